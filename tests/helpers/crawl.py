"""Run real crawls from tests: ``filmcrawl crawl`` in a subprocess, over HTTP.

Scrapy's Twisted reactor cannot be restarted inside one process, and a real process
is what users run, so end-to-end tests drive the actual command line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.servers import Answer, ScriptedServer, film_page

REPO_ROOT = Path(__file__).resolve().parents[2]

# Tests talk to 127.0.0.1 only, quickly: no politeness delays against our own servers,
# one extraction worker so tests stay light on a two-core machine.
FAST_LOCAL_SETTINGS = (
    "FILMCRAWL_LOOPBACK_ONLY=1",
    "AUTOTHROTTLE_ENABLED=0",
    "DOWNLOAD_DELAY=0",
    "FILMCRAWL_WORKERS=1",
    "FILMCRAWL_SAMPLE_PORT=0",
)


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str


def crawl_command(
    db: Path, *args: str, settings: tuple[str, ...] = FAST_LOCAL_SETTINGS
) -> list[str]:
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), *args]
    for setting in settings:
        command += ["-s", setting]
    return command


def crawl_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
    env.setdefault("COLUMNS", "120")
    return env


def run_crawl(
    db: Path,
    *args: str,
    settings: tuple[str, ...] = FAST_LOCAL_SETTINGS,
    timeout: float = 300,
    cwd: Path | None = None,
) -> CrawlResult:
    completed = subprocess.run(
        crawl_command(db, *args, settings=settings),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=crawl_env(),
        cwd=cwd or db.parent,
        check=False,
    )
    return CrawlResult(completed.returncode, completed.stdout, completed.stderr)


@contextmanager
def crawl_holding_the_lock(
    server: ScriptedServer, db: Path, cwd: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A crawl into ``db`` that has started fetching ``/slow`` (answered after 6 s), so
    holds the database's lock while the block runs; waits for it to end afterwards."""
    server.route("/robots.txt", Answer(404))
    server.route("/slow", Answer(200, film_page().encode(), delay=6))
    crawl = subprocess.Popen(
        crawl_command(db, server.url("/slow")),
        env=crawl_env(),
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not server.requests_for("/slow") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.requests_for("/slow"), "the first crawl never started"
        yield crawl
    finally:
        crawl.wait(timeout=60)
