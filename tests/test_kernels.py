"""framing.kernels: the compiled loops' own contracts (each is also checked through the module using it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from framing.kernels import group_sums, hash_slots, utf8_slices


def empty_table(size: int = 2) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(size, np.uint64), np.full(size, -1, np.int64)


def test_hash_slots_number_new_hashes_in_order_of_first_meeting() -> None:
    hashes = np.array([50, 7, 50, 9, 7, 2**63 + 5, 50], np.uint64)
    skip = np.array([False, False, False, True, False, False, False])
    slots, new_tokens, table_hash, table_slot = hash_slots(hashes, skip, *empty_table(), 0)
    assert slots.tolist() == [0, 1, 0, -1, 1, 2, 0]
    assert new_tokens.tolist() == [0, 1, 5]
    assert len(table_hash) >= 2 * 3  # grown: never more than half full
    # A later batch finds the same slots, and numbers its new hashes after them.
    again, new_tokens, *_ = hash_slots(np.array([9, 2**63 + 5, 50, 11], np.uint64), np.zeros(4, bool),
                                       table_hash, table_slot, 3)
    assert again.tolist() == [3, 2, 0, 4]
    assert new_tokens.tolist() == [0, 3]


def test_hash_slots_grow_the_table_without_losing_a_slot() -> None:
    # From a table of two slots, doubled ten times while the hashes arrive; each keeps its slot.
    hashes = np.arange(1, 2001, dtype=np.uint64)
    slots, new_tokens, *_ = hash_slots(np.concatenate((hashes, hashes[::-1])), np.zeros(4000, bool), *empty_table(), 0)
    assert slots[:2000].tolist() == list(range(2000))
    assert slots[2000:].tolist() == list(range(1999, -1, -1))
    assert len(new_tokens) == 2000


@pytest.mark.parametrize("text", ["", "plain", "café — naïve", "emoji 😀 here", "Ελλάδα and 中文"])
def test_utf8_slices_are_pythons_encoding(text: str) -> None:
    codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    starts = np.array([0, 0, len(text) // 2, len(text)], np.int64)
    ends = np.array([len(text), len(text) // 2, len(text), len(text)], np.int64)
    offsets, data, ok = utf8_slices(codes, starts, ends)
    assert ok
    pieces = [bytes(data[offsets[item]:offsets[item + 1]]).decode("utf-8") for item in range(len(starts))]
    assert pieces == [text[start:end] for start, end in zip(starts.tolist(), ends.tolist())]


def test_utf8_slices_refuse_a_lone_surrogate() -> None:
    codes = np.array([ord("a"), 0xD83D, ord("b")], np.uint32)
    assert not utf8_slices(codes, np.array([0], np.int64), np.array([3], np.int64))[2]


def kahan(values: list[float]) -> float:
    """Compensated summation, written out plainly."""
    total = compensation = 0.0
    for value in values:
        adjusted = value - compensation
        new_total = total + adjusted
        compensation = (new_total - total) - adjusted
        total = new_total
    return total


def test_group_sums_are_each_groups_compensated_sum_in_row_order() -> None:
    generator = np.random.default_rng(5)
    groups = generator.integers(-1, 6, 5000)  # -1: a row left out
    values = np.round(generator.normal(0, 1000, 5000), 3) * generator.choice([1.0, -1.0, 0.5, 3.7], 5000)
    sums = group_sums(groups, values, 7)
    assert sums.tolist() == [kahan(values[groups == group].tolist()) for group in range(7)]
    assert sums[6] == 0.0  # a group without rows


@pytest.mark.parametrize("values, expected", [
    ([1.0] + [1e-16] * 10, 1.000000000000001),  # a plain running sum gives 1.0
    ([0.1] * 10, 1.0),  # a plain running sum gives 0.9999999999999999
    ([np.inf, 1.0, 2.0], np.inf),  # no inf - inf = nan in the compensation
    ([], 0.0),
])
def test_group_sums_compensate_rounding(values: list[float], expected: float) -> None:
    assert group_sums(np.zeros(len(values), np.int64), np.array(values, float), 1).tolist() == [expected]


def test_without_a_writable_cache_folder_the_loops_still_compile() -> None:
    # A locked-down machine: numba finds nowhere to cache. framing warns once and compiles in memory.
    script = textwrap.dedent("""
        import warnings
        import numba.core.caching as caching
        import numpy as np
        caching.CacheImpl._locator_classes = []  # as if no folder were writable
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            from framing.kernels import NO_CACHE_WARNING, quote_spans
        assert [str(warning.message) for warning in caught] == [NO_CACHE_WARNING], caught
        print(quote_spans(np.frombuffer('say "hi"'.encode("utf-32-le"), np.uint32)).tolist())
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[[4, 8]]"
