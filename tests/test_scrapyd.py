"""Scale-out with the real engine: Scrapyd runs two shard jobs into spools, the merge
of the spools equals a single-process crawl of the same pages.

The test starts its own Scrapyd on 127.0.0.1 in a temporary folder, deploys the project
with ``scrapyd-deploy`` (an egg built from a copy of the project, as a user deploys it),
schedules the shards ``filmcrawl shards`` made through the HTTP API and stops the daemon
(and its jobs) when it ends, whatever happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.sample_site.generate import write_site
from crawler.sample_site.server import SITE_DIR, SampleSite
from crawler.store.database import open_database
from tests.helpers.crawl import FAST_LOCAL_SETTINGS, REPO_ROOT, crawl_env, run_crawl
from tests.helpers.spools import canonical_dump

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
# Times, and what says which operation or fetch wrote a row: a merge gives the film ids
# a single crawl's run gives (films.given_by), fetches take their own time.
TIMESTAMPS = frozenset(
    {"first_seen", "last_seen", "last_fetched", "last_changed", "given_by", "last_run_id",
     "fetch_ms", "extract_ms"}
)  # fmt: skip
COMPARED_TABLES = ("films", "film_titles", "facts", "credits", "comments", "pages")
JOB_TIMEOUT = 300
MIRRORED = "/karlablog/2020/09/miracle-in-cell-no-7/"
MIRROR = "/mirror/miracle-in-cell-no-7/"


@dataclass
class Scrapyd:
    url: str
    port: int
    home: Path
    process: subprocess.Popen[bytes]

    def call(self, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict[str, Any]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        with urllib.request.urlopen(f"{self.url}{endpoint}", data=body, timeout=30) as answer:
            result: dict[str, Any] = json.load(answer)
        assert result.get("status") == "ok", result
        return result

    def logs(self) -> str:
        texts = [(self.home / "scrapyd.out").read_text(errors="replace")[-4000:]]
        for log in sorted((self.home / "logs").rglob("*.log")):
            texts.append(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        return "\n".join(texts)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(home: Path) -> dict[str, str]:
    """The environment of a Scrapyd server: no project on the path (the deployed egg
    must bring it), no user configuration (HOME is the test's folder)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")
    }
    env["HOME"] = str(home)
    return env


def tool(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed next to {sys.executable}: install the test extra")
    return path


@pytest.fixture
def scrapyd(tmp_path: Path, request: pytest.FixtureRequest) -> Scrapyd:
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "items_dir =\n"
        "jobs_to_keep = 5\n"
        "max_proc = 2\n"
        "poll_interval = 0.5\n",
        encoding="utf-8",
    )
    with (home / "scrapyd.out").open("wb") as out:
        process = subprocess.Popen(
            [str(tool("scrapyd"))],
            cwd=home,
            env=clean_env(home),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: jobs included
        )

    def stop() -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        # Jobs still alive after the daemon (none should be) go with their group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    request.addfinalizer(stop)
    server = Scrapyd(f"http://127.0.0.1:{port}/", port, home, process)
    deadline = time.monotonic() + 30
    while True:
        try:
            server.call("daemonstatus.json")
            return server
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Scrapyd did not start:\n{server.logs()}")
            time.sleep(0.2)


def deploy(server: Scrapyd, workdir: Path) -> dict[str, Any]:
    """``scrapyd-deploy`` from a copy of the project, to a target naming the test server."""
    project = workdir / "project"
    project.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("crawler", "pipelines", "schemas"):
        shutil.copytree(REPO_ROOT / package, project / package, ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "scrapy.cfg", "README.md"):
        shutil.copy(REPO_ROOT / name, project / name)
    with (project / "scrapy.cfg").open("a", encoding="utf-8") as cfg:
        cfg.write(f"\n[deploy:test]\nurl = {server.url}\nproject = filmcrawl\n")
    result = subprocess.run(
        [str(tool("scrapyd-deploy")), "test", "--version", "r1"],
        cwd=project,
        env=clean_env(workdir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def content_rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    """A table's rows without their timestamps, sorted."""
    connection = sqlite3.connect(path)
    try:
        columns = [
            row[1]
            for row in connection.execute(f"PRAGMA table_info({table})")
            if row[1] not in TIMESTAMPS
        ]
        rows = connection.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        return sorted(rows, key=repr)
    finally:
        connection.close()


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[tuple[SampleSite, SampleSite]]:
    """The bundled sample site, and a generated 40-film site that also mirrors one
    sample page: that film and those comments then come from both shards."""
    generated = tmp_path / "generated"
    write_site(generated, pages=40, seed=8, target_bytes=20_000)
    (generated / MIRROR.strip("/")).mkdir(parents=True)
    shutil.copy(SITE_DIR / MIRRORED.strip("/") / "index.html", generated / MIRROR.strip("/"))
    sitemap = generated / "sitemap.xml"
    sitemap.write_text(
        sitemap.read_text(encoding="utf-8").replace(
            "</urlset>", f"<url><loc>{{{{BASE_URL}}}}{MIRROR}</loc></url></urlset>"
        ),
        encoding="utf-8",
    )
    with SampleSite.start() as sample, SampleSite.start(generated) as films:
        yield sample, films


def test_scrapyd_shards_merged_equal_a_single_crawl(
    tmp_path: Path, scrapyd: Scrapyd, sites: tuple[SampleSite, SampleSite]
) -> None:
    answer = deploy(scrapyd, tmp_path)
    assert (answer["project"], answer["spiders"]) == ("filmcrawl", 1)

    sample, generated = sites
    shards = tmp_path / "shards"
    made = subprocess.run(
        [
            *(sys.executable, "-m", "crawler.cli", "shards", "--out", str(shards), "-n", "2"),
            *("--sitemap", sample.url("/sitemap.xml"), "--sitemap", generated.url("/sitemap.xml")),
        ],
        env=crawl_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    manifest = json.loads((shards / "shards.json").read_text(encoding="utf-8"))
    assert manifest["rule"] == "site"
    assert sorted(shard["urls"] for shard in manifest["shards"]) == [5, 41]

    spools = [tmp_path / "spools" / f"{shard['name']}.db" for shard in manifest["shards"]]
    spools[0].parent.mkdir()
    jobs = []
    for shard, spool in zip(manifest["shards"], spools, strict=True):
        urls = (shards / shard["file"]).read_text(encoding="utf-8")
        settings = [f"FILMCRAWL_DB={spool}", *FAST_LOCAL_SETTINGS]
        data = [("project", "filmcrawl"), ("spider", "films"), ("urls", urls)]
        data += [("setting", setting) for setting in settings]
        jobs.append(scrapyd.call("schedule.json", data)["jobid"])

    # A job without URLs crawls the bundled sample site, served from inside the egg.
    bundled = tmp_path / "spools" / "bundled.db"
    data = [("project", "filmcrawl"), ("spider", "films")]
    data += [("setting", setting) for setting in (f"FILMCRAWL_DB={bundled}", *FAST_LOCAL_SETTINGS)]
    jobs.append(scrapyd.call("schedule.json", data)["jobid"])

    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        listed = scrapyd.call("listjobs.json?project=filmcrawl")
        if {job["id"] for job in listed["finished"]} >= set(jobs):
            break
        assert time.monotonic() < deadline, f"jobs did not finish:\n{scrapyd.logs()}"
        time.sleep(0.5)
    with sqlite3.connect(bundled) as connection:
        statuses = connection.execute("SELECT status FROM pages").fetchall()
    assert statuses == [("ok",)] * 5, scrapyd.logs()
    for spool in spools:
        assert spool.exists(), f"no spool {spool}:\n{scrapyd.logs()}"
        with sqlite3.connect(spool) as connection:
            status = connection.execute("SELECT status FROM crawl_runs").fetchall()
        assert status == [("finished",)], scrapyd.logs()

    merged = tmp_path / "films.db"
    merge = [sys.executable, "-m", "crawler.cli", "merge", *map(str, spools), "--into", str(merged)]
    result = subprocess.run(merge, env=crawl_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr

    urls_file = tmp_path / "all-urls.txt"
    urls_file.write_text(
        "".join((shards / shard["file"]).read_text() for shard in manifest["shards"]),
        encoding="utf-8",
    )
    single = tmp_path / "single.db"
    crawled = run_crawl(single, "--urls-file", str(urls_file))
    assert crawled.returncode == 0, crawled.stderr[-3000:]

    for table in COMPARED_TABLES:
        assert content_rows(merged, table) == content_rows(single, table), table
    db = open_database(merged)
    # 40 generated films and the sample film, whose six pages came from both spools;
    # the mirrored page's comments are copies of comments from the other spool, and the
    # mirror (the same body on another URL) is the same source (issue 14): five sources.
    assert db["films"].count == 41
    film = db["films"].get("miracle-in-cell-no-7-2013")
    assert film["source_count"] == 5
    assert (
        db.execute("SELECT count(*) FROM pages WHERE film_id = ?", [film["id"]]).fetchone()[0] == 6
    )
    assert db.execute("SELECT count(*) FROM pages WHERE mirror_of IS NOT NULL").fetchone()[0] == 1
    counts = [
        db.execute(
            "SELECT count(*), count(duplicate_of) FROM comments WHERE page_url = ?", [url]
        ).fetchone()
        for url in (sample.url(MIRRORED), generated.url(MIRROR))
    ]
    (original, _), (mirrored, _) = counts
    assert original == mirrored > 0
    assert sum(duplicates for _, duplicates in counts) == original
    assert db["facts"].count > 200 and db["credits"].count > 200

    # The merge log knows both spools by their identity and how far it took them.
    log = {row["spool_uuid"]: row["to_run_id"] for row in db.query("SELECT * FROM merges")}
    identities = set()
    for spool in spools:
        with sqlite3.connect(spool) as connection:
            identities.add(connection.execute("SELECT uuid FROM _database_identity").fetchone()[0])
    assert log == dict.fromkeys(identities, 1)
    db.close()

    # Merging the spools again changes nothing.
    before = canonical_dump(merged)
    again = subprocess.run(merge, env=crawl_env(), capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("none new") == 2
    assert canonical_dump(merged) == before
