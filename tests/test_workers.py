"""The extraction worker pool: order, hard deadlines, crashes, and no orphans."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.process.pool import WorkerCrashedError, WorkerPool, WorkerTimeoutError
from tests.helpers import worker_tasks

REPO_ROOT = Path(__file__).resolve().parents[1]


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


def test_results_come_back_in_submission_order() -> None:
    pool = WorkerPool(2)

    async def main() -> list[int]:
        done: list[int] = []

        async def one(value: int, seconds: float) -> None:
            done.append(await pool.run("lane", worker_tasks.slow_square, value, seconds))

        await asyncio.gather(one(1, 0.6), one(2, 0.0), one(3, 0.3), one(4, 0.0))
        return done

    try:
        assert run(main()) == [1, 4, 9, 16]
    finally:
        pool.close()


def test_inline_mode_runs_in_this_process() -> None:
    pool = WorkerPool(0)
    assert run(pool.run("lane", worker_tasks.pid)) == os.getpid()


def test_a_task_past_the_hard_deadline_is_killed_and_the_pool_recovers() -> None:
    pool = WorkerPool(1, hard_timeout=1.0)
    try:
        with pytest.raises(WorkerTimeoutError):
            run(pool.run("lane", worker_tasks.hang))
        assert pool.restarts == 1
        assert run(pool.run("lane", worker_tasks.square, 7)) == 49
    finally:
        pool.close()


def test_a_dying_worker_fails_only_its_own_task() -> None:
    pool = WorkerPool(1)

    async def main() -> tuple[BaseException | int, ...]:
        return tuple(
            await asyncio.gather(
                pool.run("a", worker_tasks.die),
                pool.run("b", worker_tasks.slow_square, 5, 0.1),
                return_exceptions=True,
            )
        )

    try:
        crashed, innocent = run(main())
        assert isinstance(crashed, WorkerCrashedError)
        assert innocent == 25
    finally:
        pool.close()


SCRIPT = """
import asyncio, sys, time
sys.path.insert(0, {root!r})
from crawler.process.pool import WorkerPool
from tests.helpers import worker_tasks
pool = WorkerPool(2)
async def main():
    pids = await asyncio.gather(*(pool.run(str(i), worker_tasks.pid) for i in range(4)))
    print(" ".join(str(p) for p in sorted(set(pids))), flush=True)
    await pool.run("x", worker_tasks.hang)
asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (dead, not yet reaped by init) is gone for our purposes.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux-only")
def test_workers_die_with_a_killed_crawler() -> None:
    # Regression: a crawler killed by SIGKILL left its workers running on a 20 MB page.
    parent = subprocess.Popen(
        [sys.executable, "-c", SCRIPT.format(root=str(REPO_ROOT))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert workers and all(_alive(pid) for pid in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def test_local_work_keeps_its_place_in_the_order() -> None:
    pool = WorkerPool(1)

    async def main() -> list[int]:
        done: list[int] = []

        async def one(value: int, seconds: float, local: bool) -> None:
            done.append(
                await pool.run("lane", worker_tasks.slow_square, value, seconds, local=local)
            )

        await asyncio.gather(one(1, 0.5, False), one(2, 0.0, True), one(3, 0.0, False))
        return done

    try:
        assert run(main()) == [1, 4, 9]
    finally:
        pool.close()


def test_workers_are_recycled_without_stranding_work() -> None:
    # Regression: ProcessPoolExecutor's max_tasks_per_child deadlocks on Python 3.11
    # (CPython gh-115634); a 10,000-page benchmark stalled at 6,891 pages.
    pool = WorkerPool(2, max_tasks_per_child=3, hard_timeout=30)

    async def main() -> list[int]:
        squares = await asyncio.gather(
            *(pool.run(str(i % 5), worker_tasks.square, i) for i in range(40))
        )
        pids = await asyncio.gather(*(pool.run("pid", worker_tasks.pid) for _ in range(12)))
        assert len(set(pids)) >= 4  # 12 tasks, at most 3 per worker
        return list(squares)

    try:
        assert run(main()) == [i * i for i in range(40)]
        assert pool.restarts == 0
    finally:
        pool.close()


def test_a_stuck_task_does_not_fail_the_tasks_queued_behind_it() -> None:
    pool = WorkerPool(1, hard_timeout=1.0)

    async def main() -> tuple[BaseException | int, ...]:
        return tuple(
            await asyncio.gather(
                pool.run("a", worker_tasks.hang),
                *(pool.run(str(i), worker_tasks.square, i) for i in range(5)),
                return_exceptions=True,
            )
        )

    try:
        stuck, *others = run(main())
        assert isinstance(stuck, WorkerTimeoutError)
        assert others == [0, 1, 4, 9, 16]
    finally:
        pool.close()
