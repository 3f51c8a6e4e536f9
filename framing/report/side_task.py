"""One step of a report computed in a forked process while this one builds the rest.

On a large corpus the outlet-style stage (``style.analyze_style`` and its figures) takes
seconds of scikit-learn and matplotlib and needs nothing from the other stages, so on a
machine with a spare core it runs beside them. ``fork`` shares the scored corpus with the
child without copying or pickling it; only the result comes back, pickled through a pipe.

The result is the same either way: the step is deterministic, and whenever the child cannot
deliver (no ``fork`` on this platform, one core, an error in the step, a child that died), the
step runs again here when its result is asked for, so an error is raised here as it would be
without a child.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import Any, Callable

_UNSET = object()


def can_fork() -> bool:
    """Whether a child process can share this one's memory (``fork``: Linux and the other Unixes)."""
    return "fork" in multiprocessing.get_all_start_methods()


def _run_in_child(writer, function: Callable[..., Any], args: tuple) -> None:
    """The child's whole life: compute, send ``(True, result)``, or ``(False, None)`` on any error."""
    try:
        outcome = (True, function(*args))
    except BaseException:  # the parent recomputes, and raises the error itself
        outcome = (False, None)
    try:
        writer.send(outcome)
    except Exception:  # an unpicklable result: the parent recomputes
        writer.send((False, None))
    finally:
        writer.close()


class SideTask:
    """``function(*args)``, started now in a forked child when ``beside`` is true, else run on ``result()``."""

    def __init__(self, function: Callable[..., Any], *args: Any, beside: bool = True) -> None:
        self._function, self._args = function, args
        self._value: Any = _UNSET
        self._process = self._reader = None
        if beside and can_fork():
            context = multiprocessing.get_context("fork")
            self._reader, writer = context.Pipe(duplex=False)
            for stream in (sys.stdout, sys.stderr):  # a child would write out any text still buffered here
                if stream is not None:
                    stream.flush()
            self._process = context.Process(target=_run_in_child, args=(writer, function, args), daemon=True)
            self._process.start()
            writer.close()

    def __enter__(self) -> "SideTask":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        """Stop a child whose result was never asked for (the report failed before it was needed)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._reader.close()
            self._process = None

    def result(self) -> Any:
        """The step's result: the child's when it delivered one, else computed here now."""
        if self._value is _UNSET:
            self._value = self._collect()
        return self._value

    def _collect(self) -> Any:
        if self._process is not None:
            try:
                delivered, value = self._reader.recv()
            except (EOFError, OSError):  # the child died without sending
                delivered, value = False, None
            finally:
                self._reader.close()
                self._process.join()
                self._process = None
            if delivered:
                return value
        return self._function(*self._args)


def spare_core() -> bool:
    """More than one core to run on, so a child process speeds things up instead of queueing."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) > 1
    return (os.cpu_count() or 1) > 1
