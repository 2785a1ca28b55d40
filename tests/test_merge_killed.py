"""A merge killed with SIGKILL halfway leaves the main database exactly as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.crawl import REPO_ROOT, crawl_env
from tests.helpers.spools import Film, canonical_dump, crawl_into

pytestmark = pytest.mark.slow

T1, T2 = "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"


def big_spool(path: Path, pages: int) -> Path:
    films = [
        Film(
            f"http://127.0.0.1:8000/film/{i}",
            f"Film number {i} of the archive",
            year=1950 + i % 70,
            director=f"Director {i % 300}",
            content="scene " * 800 + str(i),
            comments=[
                (f"user{j}", f"comment {j} on film {i}: " + "a long and heartfelt remark " * 8)
                for j in range(10)
            ],
        )
        for i in range(pages)
    ]
    return crawl_into(
        path, *([(film, T2) for film in films[k : k + 500]] for k in range(0, pages, 500))
    )


def merge_command(spool: Path, into: Path) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", "merge", str(spool), "--into", str(into)]


def test_a_killed_merge_leaves_the_main_database_as_it_was(tmp_path: Path) -> None:
    main = tmp_path / "films.db"
    small = crawl_into(
        tmp_path / "small.db", [(Film("http://127.0.0.1:8000/stalker", "Stalker", year=1979), T1)]
    )
    first = subprocess.run(
        merge_command(small, main), env=crawl_env(), cwd=REPO_ROOT, capture_output=True, check=False
    )
    assert first.returncode == 0, first.stderr
    before = canonical_dump(main)
    spool = big_spool(tmp_path / "big.db", 4000)

    wal = Path(f"{main}-wal")
    process = subprocess.Popen(
        merge_command(spool, main),
        env=crawl_env(),
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Kill once the merge's transaction has spilled megabytes into the WAL: it is
    # writing, and far from its commit (films and comments are still to come).
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 16 * 1024 * 1024:
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the merge ended before it could be killed"

    connection = sqlite3.connect(main)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    assert canonical_dump(main) == before

    # The spool is merged in full by the next attempt.
    again = subprocess.run(
        merge_command(spool, main), env=crawl_env(), cwd=REPO_ROOT, capture_output=True, check=False
    )
    assert again.returncode == 0, again.stderr
    connection = sqlite3.connect(main)
    assert connection.execute("SELECT count(*) FROM pages").fetchone() == (4001,)
    assert connection.execute("SELECT count(*) FROM merges").fetchone() == (2,)
    connection.close()
