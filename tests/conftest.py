from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlite_utils import Database

from crawler.sample_site.server import SampleSite
from schemas.tables import migrate
from tests.helpers.querydb import crawl_sample_db

REPO_ROOT = Path(__file__).resolve().parents[1]

# The test suite is deterministic: Hypothesis draws the same examples on every run, so
# CI is never red by chance, and no per-example deadline (a busy CI machine is slow).
# `make fuzz` (FILMCRAWL_HYPOTHESIS=explore) draws new examples, many more of them.
settings.register_profile("deterministic", derandomize=True, deadline=None)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile(
    "explore" if os.environ.get("FILMCRAWL_HYPOTHESIS") == "explore" else "deterministic"
)


def shared_dir() -> Path:
    """The workplace's ``shared`` folder (seeds, real corpus); tests that read it skip
    where it is absent. ``FILMCRAWL_SHARED`` points elsewhere."""
    return Path(os.environ.get("FILMCRAWL_SHARED") or REPO_ROOT.parent / "shared")


def corpus_path() -> Path:
    """Where the real-page corpus would be (it may be absent: see :func:`corpus_dir`)."""
    return shared_dir() / "corpus" / "real"


def corpus_dir() -> Path:
    """The real-page corpus; the calling test is skipped where it is absent."""
    path = corpus_path()
    if not path.is_dir():
        pytest.skip(f"real-page corpus not available at {path}")
    return path


@pytest.fixture
def fresh_db() -> Iterator[Database]:

    db = Database(memory=True)
    migrate(db)
    yield db
    db.close()


@pytest.fixture
def sample_site() -> Iterator[SampleSite]:
    with SampleSite.start() as site:
        yield site


@pytest.fixture(scope="session")
def sample_crawl_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample site crawled once (``filmcrawl crawl`` over HTTP) for the whole
    session: read it, or copy it before changing it."""

    return crawl_sample_db(tmp_path_factory.mktemp("sample-crawl"))
