"""Issue 17, item 4: Ctrl-C (and SIGTERM) during a crawl.

The signals go to the whole process group, as a terminal sends Ctrl-C: the crawler,
its fork server and its extraction workers. The first stops taking new pages and
lets the pages in flight finish; the second aborts at once. Either way no page is
marked failed because of it, the run row says ``interrupted``, the command exits 1,
and the next run resumes exactly (the checks of the SIGKILL test).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.run.status import EXIT_FAILED, EXIT_OK
from crawler.sample_site.generate import write_site
from crawler.sample_site.server import SampleSite
from tests.helpers.crawl import FAST_LOCAL_SETTINGS, crawl_command, crawl_env, run_crawl
from tests.helpers.resume import assert_resumed_exactly

pytestmark = [pytest.mark.slow, pytest.mark.redteam]

# (signals sent, 0.3 s apart): one Ctrl-C, two (abort), SIGTERM as systemd sends it.
INTERRUPTIONS = [
    (signal.SIGINT,),
    (signal.SIGINT, signal.SIGINT),
    (signal.SIGTERM,),
    (signal.SIGINT, signal.SIGINT),
    (signal.SIGINT,),
]


def start_in_own_group(command: list[str], cwd: Path) -> subprocess.Popen[str]:
    """A crawl in a process group of its own (the crawler, its fork server, its
    workers), which a signal reaches as a terminal's Ctrl-C does; stderr is piped."""
    return subprocess.Popen(
        command,
        env=crawl_env(),
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_interrupted_crawls_resume_exactly_and_never_fail_a_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    paths = write_site(site, pages=320, seed=11, target_bytes=12_000)
    reference_db = tmp_path / "reference.db"
    db = tmp_path / "films.db"
    rng = random.Random(20261204)
    with SampleSite.start(site) as server:
        start = server.url("/")
        assert run_crawl(reference_db, start, "--follow").returncode == EXIT_OK
        interrupted = 0
        for signals in INTERRUPTIONS:
            process = start_in_own_group(crawl_command(db, start, "--follow"), tmp_path)
            time.sleep(rng.uniform(2.0, 6.0))
            if process.poll() is None:
                for number in signals:
                    os.killpg(process.pid, number)
                    time.sleep(0.3)
                interrupted += 1
            _, stderr = process.communicate(timeout=120)
            assert "Traceback" not in stderr, stderr[-3000:]
            if process.returncode == EXIT_OK:
                continue  # finished before the signal
            assert process.returncode == EXIT_FAILED, stderr[-3000:]
            # Both signals may come before the engine started: then only the abort.
            assert "again aborts at once" in stderr or "aborting now" in stderr
            if "nothing was crawled" in stderr:
                continue  # aborted before the run began
            if len(signals) == 2 and "aborting now" in stderr:
                assert "aborted by a second SIGINT" in stderr
            last = next(Database(db).query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))
            assert last["status"] == "interrupted", last
        assert interrupted >= 3, "the crawl finished before it could be interrupted"
        failed = list(
            Database(db).query(
                "SELECT url, status, status_reason FROM pages "
                "WHERE status NOT IN ('ok', 'unchanged', 'not_modified')"
            )
        )
        assert failed == []
        final = run_crawl(db, start, "--follow")
        assert final.returncode == EXIT_OK, final.stderr[-3000:]
    assert_resumed_exactly(db, reference_db, len(paths) + 1)
    statuses = {row["status"] for row in Database(db).query("SELECT status FROM pages")}
    assert statuses <= {"ok", "unchanged", "not_modified"}


def test_a_signal_as_the_crawl_closes_lets_the_close_finish(tmp_path: Path) -> None:
    """A Ctrl-C or SIGTERM that comes while the crawl is closing by itself (its pages all
    fetched, its last batch still being written) lets that close finish: the pages are
    stored, the run is recorded as finished, the lock file is removed. The graceful
    stop used to end the engine at once instead, so the process left before the close
    had written anything: the run row stayed ``running``, the lock file stayed, exit 1
    (``.ci/run`` caught it in the test above, with a SIGTERM at the end of a resumed run)."""
    site = tmp_path / "site"
    paths = write_site(site, pages=150, seed=5, target_bytes=12_000)
    db = tmp_path / "films.db"
    # Every page is written in one batch when the spider closes: a close of a second
    # or so, long enough for the signal to come in the middle of it.
    settings = (
        *FAST_LOCAL_SETTINGS,
        "LOG_LEVEL=INFO",
        "FILMCRAWL_BATCH_SIZE=100000",
        "FILMCRAWL_FLUSH_SECONDS=3600",
    )
    with SampleSite.start(site) as server:
        command = crawl_command(db, server.url("/"), "--follow", settings=settings)
        process = start_in_own_group(command, tmp_path)
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if "Closing spider (finished)" in line:
                os.killpg(process.pid, signal.SIGTERM)
                break
        lines += process.stderr.readlines()
        process.stderr.close()
        process.wait(timeout=120)
    stderr = "".join(lines)
    assert "Closing spider (finished)" in stderr
    assert "Traceback" not in stderr, stderr[-3000:]
    assert process.returncode == EXIT_OK, stderr[-3000:]
    run = next(Database(db).query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))
    assert (run["status"], run["finished_at"] is not None) == ("finished", True), run
    assert not db.with_name(db.name + ".lock").exists()
    stored = Database(db).execute("SELECT count(*) FROM pages WHERE status = 'ok'").fetchone()
    assert stored[0] == len(paths) + 1


def fork_server_of(pid: int, timeout: float = 60.0) -> None:
    """Wait until the crawler ``pid`` has started its workers' fork server: the
    launcher does that first thing, before the crawl command imports Scrapy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            try:
                status = (entry / "status").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status and b"forkserver" in command:
                return
        time.sleep(0.005)
    raise AssertionError("the crawler started no fork server")


@pytest.mark.parametrize("presses", [1, 2])
def test_a_ctrl_c_while_the_crawl_starts_gets_the_crawls_answer(
    tmp_path: Path, presses: int
) -> None:
    """A Ctrl-C while the crawl command is still importing Scrapy, before the crawl's
    own handlers exist (CI's busy machine took over 2 s to get there), got a bare
    "Aborted!" from the command line. One is now acted on once the crawl has started,
    two end it at once; either way with the crawl's own words and exit 1."""
    with SampleSite.start() as site:
        process = start_in_own_group(crawl_command(tmp_path / "films.db", site.url("/")), tmp_path)
        fork_server_of(process.pid)
        for _ in range(presses):
            os.killpg(process.pid, signal.SIGINT)
            time.sleep(0.05)
        _, stderr = process.communicate(timeout=120)
    assert "Traceback" not in stderr and "Aborted!" not in stderr, stderr[-3000:]
    assert process.returncode == EXIT_FAILED, stderr[-3000:]
    if presses == 1:
        assert "Ctrl-C again aborts at once" in stderr, stderr[-3000:]
    else:
        assert "SIGINT again: aborting now" in stderr, stderr[-3000:]
        assert "aborted before the run began; nothing was crawled" in stderr, stderr[-3000:]
