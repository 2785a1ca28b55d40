"""The crawler and the command line import the extraction stack only where a page is
extracted (issue 16: every crawler paid for it at start, 0.13 s and 14 MB here, also a
re-crawl whose pages all come back 304 and extract nothing; and so did every command).

Real processes throughout: what a module imports is seen in a fresh interpreter's
``sys.modules``, and the re-crawl is a real ``filmcrawl crawl`` over HTTP.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

import crawler.normalize
from crawler.normalize import facts
from crawler.process.fetched import FetchedPage, process_fetched_page
from crawler.process.page import process_page
from crawler.sample_site.server import SITE_DIR, SampleSite
from tests.helpers.crawl import FAST_LOCAL_SETTINGS, REPO_ROOT, crawl_env

# The extraction stack. Not lxml.html: Scrapy imports it itself (parsel's selectors).
EXTRACTION_STACK = (
    "trafilatura",
    "extruct",
    "babel",
    "dateparser",
    "crawler.extract",
    "crawler.extract.families",
    "crawler.process.page",
)

# What `filmcrawl crawl` imports before it starts (the launcher, the command line, the
# crawl command), then every component its settings name, the spider, and the modules
# of the steps the crawler runs (fetch, store, run).
CRAWLER_MODULES_PROBE = """
import importlib, json, pkgutil, sys
import crawler.cli.launch, crawler.cli.main, crawler.cli.crawl
import crawler.settings as settings
import crawler.spiders.films
import crawler.fetch, crawler.run, crawler.store
paths = [settings.TWISTED_DNS_RESOLVER, *settings.DOWNLOAD_HANDLERS.values()]
for table in ("DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES", "EXTENSIONS"):
    paths += list(getattr(settings, table))
for path in paths:
    importlib.import_module(path.rsplit(".", 1)[0])
for package in (crawler.fetch, crawler.run, crawler.store):
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
print(json.dumps({"components": len(paths), "modules": sorted(sys.modules)}))
"""

# `filmcrawl crawl` through a script that reports, at exit, what the crawler process
# imported. The guard is required: the workers' fork server imports the main script
# (as __mp_main__); without it every worker would run a crawl of its own. Only the
# process that ran the guarded block writes the report.
CRAWL_WRAPPER = """
import atexit, json, os, sys


def report():
    with open(os.environ["FILMCRAWL_TEST_MODULES_OUT"], "w") as out:
        json.dump({"pid": os.getpid(), "modules": sorted(sys.modules)}, out)


if __name__ == "__main__":
    atexit.register(report)
    from crawler.cli.launch import main

    main()
"""


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
        env=crawl_env(),
        check=True,
    )


def stack_in(modules: list[str]) -> list[str]:
    return [name for name in EXTRACTION_STACK if name in modules]


def test_what_the_crawler_imports_leaves_out_the_extraction_stack() -> None:
    probe = json.loads(python(CRAWLER_MODULES_PROBE).stdout)
    assert probe["components"] > 15  # the settings were read
    assert "pipelines.store" in probe["modules"]
    assert "crawler.fetch.politeness" in probe["modules"]
    assert "crawler.process.fetched" in probe["modules"]
    assert stack_in(probe["modules"]) == []


@pytest.mark.parametrize(
    ("arguments", "own_module"),
    [
        (["films", "--help"], "crawler.cli.query"),
        (["report", "--help"], "crawler.cli.report"),
        (["export", "--help"], "crawler.cli.export"),
        (["crawl", "--help"], "crawler.cli.crawl"),
    ],
)
def test_a_command_imports_its_own_module_only(arguments: list[str], own_module: str) -> None:
    commands = [
        "crawler.cli.crawl",
        "crawler.cli.export",
        "crawler.cli.extract",
        "crawler.cli.quality",
        "crawler.cli.query",
        "crawler.cli.report",
        "crawler.cli.scaleout",
        "crawler.cli.serve",
    ]
    run = python(
        "import json, sys\n"
        "from crawler.cli.main import main\n"
        "try:\n"
        f"    main({arguments!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    modules = json.loads(run.stdout.splitlines()[-1])
    assert "Usage: " in run.stdout
    assert [name for name in commands if name in modules] == [own_module]
    assert stack_in(modules) == []
    if own_module != "crawler.cli.crawl":
        assert "scrapy" not in modules


def test_the_help_of_the_command_line_imports_no_command() -> None:
    """`filmcrawl --help` lists the commands from the table of their lines: it took
    0.45 s importing every command (Scrapy with the crawl) for its short help."""
    run = python(
        "import json, sys\n"
        "from crawler.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    modules = json.loads(run.stdout.splitlines()[-1])
    assert "Commands:" in run.stdout and "List the films" in run.stdout
    assert [name for name in modules if name.startswith("crawler.cli.")] == ["crawler.cli.main"]
    assert "scrapy" not in modules
    assert stack_in(modules) == []


def test_the_task_a_worker_gets_is_the_chain_itself() -> None:
    """Pickled by name (as the pool sends it) and the same record as process_page."""
    assert pickle.loads(pickle.dumps(process_fetched_page)) is process_fetched_page
    url = "http://127.0.0.1/karlablog/2020/09/miracle-in-cell-no-7/"
    body = (SITE_DIR / "karlablog/2020/09/miracle-in-cell-no-7/index.html").read_bytes()
    page = FetchedPage(url, url, 200, body, "2024-01-01T00:00:00Z", content_type="text/html")
    through_task, direct = process_fetched_page(page), process_page(page)
    for record in (through_task, direct):
        record.extract_ms, record.timings_ms = None, {}
    assert through_task.status == "ok" and through_task.facts
    assert through_task == direct


def test_the_normaliser_names_load_on_first_use() -> None:
    assert sorted(crawler.normalize._MODULES) == sorted(crawler.normalize.__all__)
    for name in crawler.normalize.__all__:
        assert callable(getattr(crawler.normalize, name)), name
    assert crawler.normalize.normalise_fact is facts.normalise_fact


# --- real crawls -----------------------------------------------------------------------


def crawl_reporting_modules(
    tmp_path: Path, name: str, db: Path, *args: str, settings: tuple[str, ...]
) -> list[str]:
    """Run `filmcrawl crawl --db DB ARGS` through the wrapper; the modules its crawler
    process had imported when it exited."""
    wrapper = tmp_path / "filmcrawl_reporting_modules.py"
    wrapper.write_text(CRAWL_WRAPPER)
    out = tmp_path / f"{name}.json"
    command = [sys.executable, str(wrapper), "crawl", "--db", str(db), *args]
    for setting in settings:
        command += ["-s", setting]
    env = crawl_env() | {"FILMCRAWL_TEST_MODULES_OUT": str(out)}
    crawl = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout, stderr = crawl.communicate(timeout=300)
    assert crawl.returncode == 0, stderr[-4000:]
    assert "finished" in stdout
    report = json.loads(out.read_text())
    assert report["pid"] == crawl.pid  # the crawler's own report, not a worker's
    modules: list[str] = report["modules"]
    assert "crawler.spiders.films" in modules and "pipelines.store" in modules
    return modules


@pytest.mark.slow
def test_a_recrawl_answered_304_never_imports_the_extraction_stack(tmp_path: Path) -> None:
    db = tmp_path / "films.db"
    with SampleSite.start() as site:
        sitemap = site.url("/sitemap.xml")
        first = crawl_reporting_modules(
            tmp_path, "first", db, "--sitemap", sitemap, settings=FAST_LOCAL_SETTINGS
        )
        statuses = [row["status"] for row in Database(db).query("SELECT status FROM pages")]
        assert statuses == ["ok"] * 5
        counts = {t: Database(db)[t].count for t in ("facts", "credits", "comments")}
        assert counts == {"facts": 59, "credits": 35, "comments": 75}
        # The workers extracted, and told the crawler the extractors' tiers (the store
        # ranks facts by them): the crawler imported none of the extraction stack.
        assert stack_in(first) == []
        assert "crawler.extract.registry" not in first
        # Nor what Scrapy components switched off would load (crawler/run/switched_off.py).
        assert "aiohttp" not in first and "tldextract" not in first

        second = crawl_reporting_modules(
            tmp_path, "second", db, "--sitemap", sitemap, settings=FAST_LOCAL_SETTINGS
        )
    statuses = [row["status"] for row in Database(db).query("SELECT status FROM pages")]
    assert statuses == ["not_modified"] * 5
    assert {t: Database(db)[t].count for t in counts} == counts
    assert stack_in(second) == []


@pytest.mark.slow
def test_an_inline_crawl_imports_the_chain_when_it_extracts(tmp_path: Path) -> None:
    """With FILMCRAWL_WORKERS=0 the crawler extracts itself: the chain is imported on
    the first page, and the pages are stored as with workers."""
    db = tmp_path / "inline.db"
    settings = (
        *(s for s in FAST_LOCAL_SETTINGS if not s.startswith("FILMCRAWL_WORKERS=")),
        "FILMCRAWL_WORKERS=0",
    )
    with SampleSite.start() as site:
        modules = crawl_reporting_modules(
            tmp_path, "inline", db, "--sitemap", site.url("/sitemap.xml"), settings=settings
        )
    assert "crawler.process.page" in modules and "trafilatura" in modules
    statuses = [row["status"] for row in Database(db).query("SELECT status FROM pages")]
    assert statuses == ["ok"] * 5
    counts = {t: Database(db)[t].count for t in ("facts", "credits", "comments")}
    assert counts == {"facts": 59, "credits": 35, "comments": 75}
