"""The batch writer: re-crawls never duplicate, nothing stored is ever lost."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from crawler.process.fingerprint import fingerprint_page
from crawler.store import frontier
from crawler.store.writer import write_batch
from schemas.records import CommentRecord, CreditRecord, FactRecord, PageRecord, TitleRecord
from schemas.tables import migrate

URL = "http://127.0.0.1:8000/film"


def page(
    fetched_at: str,
    *,
    facts: list[tuple[str, str]],
    comments: list[tuple[str, str]],
    content_hash: str = "a" * 64,
) -> PageRecord:
    item = PageRecord(
        url=URL,
        requested_url=URL,
        http_status=200,
        content_hash=content_hash,
        fetched_at=fetched_at,
        title="Miracle in Cell No. 7",
        clean_text="A father is falsely accused.",
        titles=[TitleRecord("Miracle in Cell No. 7", "primary", "test")],
        facts=[FactRecord(field, value, value, "test") for field, value in facts],
        credits=[
            CreditRecord(
                "Lee Hwan-kyung", "director", None, "Lee Hwan-kyung", "leehwankyung", "test"
            )
        ],
        comments=[
            CommentRecord(text=text, author=author, position=i)
            for i, (author, text) in enumerate(comments)
        ],
    )
    return fingerprint_page(item)


def linked_page(path: str, hash_digit: str, text: str, comment: str) -> PageRecord:
    """A page without titles that the film page at ``URL`` links to."""
    return fingerprint_page(
        PageRecord(
            url=URL + path,
            requested_url=URL + path,
            http_status=200,
            content_hash=hash_digit * 64,
            fetched_at="2026-01-01T00:00:00Z",
            clean_text=text,
            parent_url=URL,
            depth=1,
            comments=[CommentRecord(text=comment, author="b", position=0)],
        )
    )


def test_a_page_and_its_records_are_written_with_its_frontier_entry(fresh_db: Database) -> None:
    frontier.add(fresh_db, [frontier.FrontierEntry(URL, "seed", 0, None)], 1, "t0")
    counts = write_batch(
        fresh_db,
        [
            page(
                "2026-01-01T00:00:00Z",
                facts=[("year", "2013")],
                comments=[("kdawn", "so touching")],
            )
        ],
        generation=1,
    )
    assert (counts.pages_new, counts.facts_new, counts.comments_new) == (1, 1, 1)
    assert fresh_db["pages"].get(URL)["film_id"] == "miracle-in-cell-no-7-2013"
    assert fresh_db["films"].get("miracle-in-cell-no-7-2013")["title"] == "Miracle in Cell No. 7"
    assert list(fresh_db.query("SELECT state, outcome FROM frontier")) == [
        {"state": "done", "outcome": "ok"}
    ]


def test_recrawling_moves_last_seen_and_never_duplicates(fresh_db: Database) -> None:
    first = page("2026-01-01T00:00:00Z", facts=[("year", "2013")], comments=[("a", "one")])
    write_batch(fresh_db, [first], 1)
    again = page("2026-01-02T00:00:00Z", facts=[("year", "2013")], comments=[("a", "one")])
    counts = write_batch(fresh_db, [again], 2)
    assert (counts.facts_new, counts.comments_new, counts.pages_unchanged) == (0, 0, 1)
    fact = next(fresh_db.query("SELECT * FROM facts"))
    assert (fact["first_seen"], fact["last_seen"]) == (
        "2026-01-01T00:00:00Z",
        "2026-01-02T00:00:00Z",
    )
    assert fresh_db["comments"].count == 1


def test_a_changed_page_keeps_what_it_no_longer_shows(fresh_db: Database) -> None:
    write_batch(
        fresh_db,
        [
            page(
                "2026-01-01T00:00:00Z",
                facts=[("year", "2013"), ("genre", "Drama")],
                comments=[("a", "one"), ("b", "two")],
            )
        ],
        1,
    )
    changed = page(
        "2026-01-02T00:00:00Z",
        facts=[("year", "2013"), ("genre", "Comedy")],
        comments=[("a", "one"), ("c", "three")],
        content_hash="b" * 64,
    )
    counts = write_batch(fresh_db, [changed], 2)
    assert (counts.pages_changed, counts.facts_new, counts.comments_new) == (1, 1, 1)
    facts = {row["value"]: row["current"] for row in fresh_db.query("SELECT * FROM facts")}
    assert facts == {"2013": 1, "Drama": 0, "Comedy": 1}
    # Comments a page no longer shows are kept.
    assert fresh_db["comments"].count == 3
    assert fresh_db["pages"].get(URL)["last_changed"] == "2026-01-02T00:00:00Z"


def test_a_failed_fetch_keeps_the_stored_content(fresh_db: Database) -> None:
    write_batch(fresh_db, [page("2026-01-01T00:00:00Z", facts=[("year", "2013")], comments=[])], 1)
    failed = PageRecord(
        url=URL,
        requested_url=URL,
        status="http_error",
        status_reason="HTTP 503",
        http_status=503,
        fetched_at="2026-01-02T00:00:00Z",
    )
    counts = write_batch(fresh_db, [failed], 2)
    assert counts.failures == {"http_error": 1}
    row = fresh_db["pages"].get(URL)
    assert (row["status"], row["http_status"]) == ("http_error", 503)
    assert row["clean_text"] == "A father is falsely accused."
    assert fresh_db["facts"].count == 1


def test_the_same_comment_on_two_pages_points_at_the_first(fresh_db: Database) -> None:
    one = page("2026-01-01T00:00:00Z", facts=[], comments=[("Eddy", "Lump of Sugar had magic")])
    other = page("2026-01-01T00:00:00Z", facts=[], comments=[("eddy", "Lump of  sugar had magic")])
    other.url = other.requested_url = "http://127.0.0.1:8000/film-mirror"
    other = fingerprint_page(other)
    write_batch(fresh_db, [other, one], 1)
    rows = {row["page_url"]: row for row in fresh_db.query("SELECT * FROM comments")}
    assert rows[URL]["duplicate_of"] is None
    assert rows["http://127.0.0.1:8000/film-mirror"]["duplicate_of"] == rows[URL]["id"]


@pytest.mark.parametrize(
    "bad", ["Robert'); DROP TABLE comments;--", "\x00\x1f", "<script>x</script>"]
)
def test_hostile_text_is_stored_verbatim(fresh_db: Database, bad: str) -> None:
    write_batch(fresh_db, [page("2026-01-01T00:00:00Z", facts=[], comments=[(bad, bad)])], 1)
    row = next(fresh_db.query("SELECT author, text FROM comments"))
    assert row == {"author": bad, "text": bad}


def test_a_comment_page_written_with_its_parent_keeps_the_parents_film(
    fresh_db: Database,
) -> None:
    # Regression (found while building the merge): the further comment page was first
    # given its parent's film, then reset to none in the same resolution pass.
    parent = page("2026-01-01T00:00:00Z", facts=[("year", "2013")], comments=[("a", "one")])
    parent.comment_page_urls = [URL + "/comment-page-2/"]
    continuation = linked_page("/comment-page-2/", "c", "A father is falsely accused.", "two")
    for batch in ([parent, continuation], [continuation, parent]):
        db = Database(memory=True)

        migrate(db)
        write_batch(db, batch, 1)
        films = {row["url"]: row["film_id"] for row in db.query("SELECT url, film_id FROM pages")}
        assert set(films.values()) == {"miracle-in-cell-no-7-2013"}
        assert db.execute("SELECT count(*) FROM comments WHERE film_id IS NULL").fetchone() == (0,)
    # Written in a later batch than its parent, it gets the film too.
    write_batch(fresh_db, [parent], 1)
    write_batch(fresh_db, [continuation], 1)
    assert fresh_db["pages"].get(URL + "/comment-page-2/")["film_id"] == "miracle-in-cell-no-7-2013"


def test_a_comment_page_stored_as_a_followed_link_is_one_again_after_migration(
    fresh_db: Database,
) -> None:
    # Before the link fix, a --follow crawl stored a further comment page's link as
    # "follow": migrated, the page continues its parent's film again.
    parent = page("2026-01-01T00:00:00Z", facts=[("year", "2013")], comments=[("a", "one")])
    continuation = URL + "/comment-page-2/"
    parent.comment_page_urls = [continuation]
    write_batch(fresh_db, [parent], 1)
    fresh_db.execute("UPDATE page_links SET kind = 'follow'")
    fresh_db.execute("DELETE FROM _sqlite_migrations WHERE name = '0010_comment_page_links'")
    migrate(fresh_db)
    assert list(fresh_db.query("SELECT link_url, kind FROM page_links")) == [
        {"link_url": continuation, "kind": "comments"}
    ]


def test_a_page_merely_linked_from_a_film_page_gets_no_film(fresh_db: Database) -> None:
    # A followed link of a film page (an about page, a 404, a review whose film was
    # not recognised) does not continue that film: its records are not the film's.
    parent = page("2026-01-01T00:00:00Z", facts=[("year", "2013")], comments=[("a", "one")])
    parent.links = [URL + "/about/", URL + "/gone/"]
    about = linked_page("/about/", "d", "We write about cinema.", "nice blog")
    gone = PageRecord(
        url=URL + "/gone/",
        requested_url=URL + "/gone/",
        http_status=404,
        fetched_at="2026-01-01T00:00:00Z",
        parent_url=URL,
        depth=1,
        status="http_error",
    )
    write_batch(fresh_db, [parent, about, gone], 1)
    films = {row["url"]: row["film_id"] for row in fresh_db.query("SELECT url, film_id FROM pages")}
    assert films == {URL: "miracle-in-cell-no-7-2013", URL + "/about/": None, URL + "/gone/": None}
    assert fresh_db.execute(
        "SELECT film_id FROM comments WHERE page_url = ?", [URL + "/about/"]
    ).fetchone() == (None,)
    # A database an older version wrote so is mended by its migration; a further
    # comment page keeps the film.
    continuation = linked_page("/comment-page-2/", "c", "A father is falsely accused.", "two")
    parent.comment_page_urls = [continuation.url]
    write_batch(fresh_db, [parent, continuation], 1)
    film = "miracle-in-cell-no-7-2013"
    for table, column in (("pages", "url"), ("comments", "page_url")):
        fresh_db.execute(f"UPDATE {table} SET film_id = ? WHERE {column} LIKE ?", [film, URL + "%"])
    fresh_db.execute("DELETE FROM _sqlite_migrations WHERE name = '0010_comment_page_links'")
    migrate(fresh_db)
    films = {row["url"]: row["film_id"] for row in fresh_db.query("SELECT url, film_id FROM pages")}
    assert films == {URL: film, URL + "/about/": None, URL + "/gone/": None, continuation.url: film}
    comments = dict(fresh_db.execute("SELECT page_url, film_id FROM comments").fetchall())
    assert comments == {URL: film, URL + "/about/": None, continuation.url: film}


def test_near_copies_are_flagged_not_deleted(fresh_db: Database) -> None:
    original = (
        "I watched this movie with my mother and we both cried at the end, the little girl "
        "is an amazing actress and the father made my heart break"
    )
    near_copy = original.replace("amazing", "wonderful")
    other = "Completely different words here about a totally unrelated film scene and music"
    write_batch(
        fresh_db,
        [
            page(
                "2026-01-01T00:00:00Z",
                facts=[],
                comments=[("ana", original), ("bo", near_copy), ("ana", other)],
            )
        ],
        1,
    )
    rows = {row["text"]: row for row in fresh_db.query("SELECT * FROM comments")}
    assert len(rows) == 3
    assert rows[near_copy]["near_duplicate_of"] == rows[original]["id"]
    assert rows[original]["near_duplicate_of"] is None
    # Two different comments by one author stay two, and neither is a copy.
    assert rows[other]["near_duplicate_of"] is None and rows[other]["duplicate_of"] is None
