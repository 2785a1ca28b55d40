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
from tests.helpers.crawl import crawl_command, crawl_env, run_crawl
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
            process = subprocess.Popen(
                crawl_command(db, start, "--follow"),
                env=crawl_env(),
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
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
