"""Issue 17, item 13: near-copy links do not depend on batch boundaries or order.

Two identical crawls gave 22-34 different ``near_duplicate_of`` values: near-copies
were flagged only in the films of the pages of the batch being written, so a comment
of another film that became an exact copy later (or moved with a re-resolved page)
left links that depended on which pages had shared a batch.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.process.fingerprint import fingerprint_page
from crawler.sample_site.generate import write_site
from crawler.sample_site.server import SampleSite
from crawler.store.film_resolution import NEAR_DUPLICATE_BITS, NearCopyIndex
from crawler.store.writer import write_batch
from schemas.records import CommentRecord, PageRecord, TitleRecord
from schemas.tables import migrate
from tests.helpers.crawl import FAST_LOCAL_SETTINGS, run_crawl

pytestmark = pytest.mark.redteam

ORIGINAL = (
    "I watched this movie with my mother and we both cried at the end, the little girl is "
    "an amazing actress and the father made my heart break into a thousand pieces"
)
NEAR_COPY = ORIGINAL.replace("amazing", "wonderful")
OTHER = (
    "The best cinema I have seen this year: the story of a father and his daughter, told "
    "without a single false note, and the prison scenes are funny and sad at once"
)
# Columns that say when, not what: they differ between any two crawls.
# Times, and how long fetching and extracting took (issue 18 columns).
TIME_COLUMNS = {
    "first_seen",
    "last_seen",
    "last_fetched",
    "last_changed",
    "fetched_at",
    "fetch_ms",
    "extract_ms",
}


def film_page(url: str, title: str, comments: list[tuple[str, str, str]]) -> PageRecord:
    item = PageRecord(
        url=url,
        requested_url=url,
        http_status=200,
        content_hash=url.encode().hex()[:64].ljust(64, "0"),
        fetched_at="2026-01-01T00:00:00Z",
        title=title,
        clean_text=f"{title} is a film.",
        titles=[TitleRecord(title, "primary", "test")],
        comments=[
            CommentRecord(text=text, author=author, published=published, position=position)
            for position, (author, text, published) in enumerate(comments)
        ],
    )
    return fingerprint_page(item)


def pages() -> list[PageRecord]:
    return [
        film_page(
            "http://127.0.0.1:8000/alpha",
            "Alpha Film",
            [("ana", ORIGINAL, "2020-01-05"), ("bo", NEAR_COPY, "2020-01-11")],
        ),
        # The same author posted it earlier under another film: Alpha's "original" is a copy.
        film_page("http://127.0.0.1:8000/beta", "Beta Film", [("ana", ORIGINAL, "2019-01-01")]),
        film_page("http://127.0.0.1:8000/gamma", "Gamma Film", [("di", "Another film.", None)]),
    ]


def comments_table(db: Database) -> list[str]:
    return [
        json.dumps({k: v for k, v in row.items() if k not in TIME_COLUMNS}, sort_keys=True)
        for row in db.query("SELECT * FROM comments ORDER BY id")
    ]


def written_in(batches: list[list[PageRecord]]) -> list[str]:
    db = Database(memory=True)
    migrate(db)
    for batch in batches:
        write_batch(db, batch, 1)
    return comments_table(db)


def test_near_copies_are_the_same_for_every_batching_and_order() -> None:
    items = pages()
    reference = written_in([items])
    for order in itertools.permutations(items):
        assert written_in([[item] for item in order]) == reference, [i.url for i in order]
        assert written_in([list(order[:2]), list(order[2:])]) == reference
    rows = {json.loads(row)["text"]: json.loads(row) for row in reference}
    assert rows[NEAR_COPY]["near_duplicate_of"] is None  # its original is itself a copy


@pytest.mark.slow
def test_two_crawls_of_one_site_store_identical_tables(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, pages=120, seed=5, target_bytes=20_000)
    tables: list[dict[str, list[str]]] = []
    with SampleSite.start(site) as server:
        for batch, concurrency in ((1, 1), (50, 16), (7, 4)):
            db = tmp_path / f"batch-{batch}.db"
            result = run_crawl(
                db,
                server.url("/"),
                "--follow",
                settings=(
                    *FAST_LOCAL_SETTINGS,
                    f"FILMCRAWL_BATCH_SIZE={batch}",
                    f"CONCURRENT_REQUESTS={concurrency}",
                    f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
                ),
            )
            assert result.returncode == 0, result.stderr[-3000:]
            database = Database(db)
            tables.append(
                {
                    table: [
                        json.dumps(
                            {k: v for k, v in row.items() if k not in TIME_COLUMNS},
                            sort_keys=True,
                        )
                        for row in database.query(f"SELECT * FROM {table} ORDER BY {key}")
                    ]
                    for table, key in (("comments", "id"), ("pages", "url"))
                }
            )
    assert len(tables[0]["pages"]) == 121
    assert sum('"near_duplicate_of": "' in row for row in tables[0]["comments"]) > 100
    for other in tables[1:]:
        assert other["pages"] == tables[0]["pages"]
        assert other["comments"] == tables[0]["comments"]


def test_a_copy_whose_first_copy_moves_keeps_its_films_near_copy_links() -> None:
    # Issue 16: only films one of whose comments became, or stopped being, an exact
    # copy are flagged again. Gamma's earlier copy makes Alpha's first comment a copy
    # (Alpha's near-copy loses its original) and points Beta's copy elsewhere (Beta is
    # not flagged again, and its near-copy keeps its original).
    items = [
        film_page(
            "http://127.0.0.1:8000/alpha",
            "Alpha Film",
            [("ana", ORIGINAL, "2020-01-05"), ("bo", NEAR_COPY, "2020-01-11")],
        ),
        film_page(
            "http://127.0.0.1:8000/beta",
            "Beta Film",
            [
                ("ana", ORIGINAL, "2020-02-01"),
                ("cy", OTHER, "2020-03-01"),
                ("ed", OTHER.replace("best", "finest"), "2020-04-01"),
            ],
        ),
        film_page("http://127.0.0.1:8000/gamma", "Gamma Film", [("ana", ORIGINAL, "2019-01-01")]),
        film_page("http://127.0.0.1:8000/delta", "Delta Film", [("di", NEAR_COPY, "2018-01-01")]),
    ]
    reference = written_in([items])
    for order in itertools.permutations(items):
        assert written_in([[item] for item in order]) == reference, [i.url for i in order]
        assert written_in([list(order[:2]), list(order[2:])]) == reference
    links = [json.loads(row) for row in reference]
    assert sum(row["duplicate_of"] is not None for row in links) == 2
    assert sum(row["near_duplicate_of"] is not None for row in links) == 1


def test_the_near_copy_index_finds_what_a_scan_of_every_hash_finds() -> None:
    # Issue 16: the index replaced a comparison with every earlier original.
    rng = random.Random(16)
    bases = [rng.getrandbits(64) for _ in range(40)]
    values = []
    for _ in range(3000):
        value = rng.choice(bases)
        for _ in range(rng.randrange(6)):  # 0-5 flipped bits: near and not near
            value ^= 1 << rng.randrange(64)
        values.append(value)
    index = NearCopyIndex()
    scanned: list[tuple[str, int]] = []
    for number, value in enumerate(values):
        expected = next(
            (name for name, other in scanned if (value ^ other).bit_count() <= NEAR_DUPLICATE_BITS),
            None,
        )
        assert index.first_near(value) == expected
        if expected is None:
            index.add(str(number), value)
            scanned.append((str(number), value))
    assert 40 <= len(scanned) < 3000
