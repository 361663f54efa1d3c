"""The process engine gives each worker a contiguous share of the sorted inputs (issue 15)."""

from __future__ import annotations

from typing import Any

from normcheck.batch.engine import next_task, shares


def test_shares_are_contiguous_near_equal_and_cover_everything() -> None:
    for n in (0, 1, 2, 5, 17):
        for jobs in (1, 2, 3, 8):
            tasks: list[Any] = list(range(n))
            parts = shares(tasks, jobs)
            assert [t for p in parts for t in p] == tasks
            sizes = [len(p) for p in parts]
            assert max(sizes) - min(sizes) <= 1 and len(parts) == max(1, min(jobs, n))


def test_a_worker_done_with_its_share_takes_from_the_end_of_the_longest() -> None:
    parts = shares(list(range(10)), 2)  # type: ignore[arg-type]
    got0 = [next_task(parts, 0) for _ in range(5)]
    assert got0 == [0, 1, 2, 3, 4]
    assert next_task(parts, 0) == 9 and next_task(parts, 1) == 5
    rest = []
    while (t := next_task(parts, 1)) is not None:
        rest.append(t)
    assert rest == [6, 7, 8] and next_task(parts, 0) is None
