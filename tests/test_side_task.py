"""framing.report.side_task: a report step computed in a forked process gives what it gives here."""

from __future__ import annotations

import os
import threading

import pytest

from framing import build_report
from framing.errors import InputError
from framing.report.side_task import SideTask, can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="no fork start method on this platform")


def where_and_sum(*numbers: int) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def bad_labels(path: str) -> None:
    raise InputError(path, "missing column label", 1)


def a_lock() -> threading.Lock:
    return threading.Lock()  # cannot be pickled, so cannot come back from a child


@needs_fork
def test_the_step_runs_in_a_child_and_its_result_comes_back():
    with SideTask(where_and_sum, 1, 2, 3) as task:
        pid, total = task.result()
    assert total == 6
    assert pid != os.getpid()


def test_without_a_child_the_step_runs_here_when_asked():
    with SideTask(where_and_sum, 4, 5, beside=False) as task:
        assert task.result() == (os.getpid(), 9)


@needs_fork
def test_an_error_in_the_step_is_raised_here_as_without_a_child():
    with SideTask(bad_labels, "labels.csv") as task:
        with pytest.raises(InputError, match="labels.csv:1: missing column label"):
            task.result()


@needs_fork
def test_a_result_that_cannot_travel_is_computed_here():
    with SideTask(a_lock) as task:
        assert isinstance(task.result(), type(threading.Lock()))


@needs_fork
def test_a_child_never_asked_for_its_result_is_stopped():
    task = SideTask(where_and_sum, 1)
    process = task._process
    task.close()
    assert process is not None and not process.is_alive()


@needs_fork
def test_the_parts_computed_beside_the_others_give_the_same_files(scored):
    assert build_report(scored, beside=True) == build_report(scored, beside=False)
