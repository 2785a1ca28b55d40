"""Issue 14 (items 7 and 8): series and episodes are works of their own kind, and a page
served on two URLs is one source.

Pages written here in schema.org markup go through the whole pure chain and the batch
writer into a real SQLite file, as a crawl would store them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from crawler.normalize.kinds import kind_family, normalise_kind, page_kind
from crawler.process.page import process_html
from crawler.store.film_clusters import FilmClaim, cluster_claims, consensus_kind
from crawler.store.writer import write_batch
from schemas.records import PageRecord
from schemas.tables import migrate


def work_page(node: dict[str, Any], body: str = "", canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<html><head>{link}<title>{node['name']}</title>"
        f'<script type="application/ld+json">{json.dumps(node)}</script></head>'
        f"<body><h1>{node['name']}</h1><p>{body}</p></body></html>"
    )


SERIES = {
    "@context": "https://schema.org",
    "@type": "TVSeries",
    "name": "Nocturne",
    "startDate": "2019-03-01",
    "creator": {"@type": "Person", "name": "Ilse Varga"},
}
# The pilot has the series' name and year: only the kind keeps them apart.
EPISODE = {
    "@context": "https://schema.org",
    "@type": "TVEpisode",
    "name": "Nocturne",
    "datePublished": "2019-03-01",
    "director": {"@type": "Person", "name": "Ilse Varga"},
    "partOfSeries": {"@type": "TVSeries", "name": "Nocturne"},
}


def stored(pages: dict[str, str], tmp_path: Path) -> Database:
    db = Database(tmp_path / "films.db")
    migrate(db)
    items: list[PageRecord] = []
    for index, (url, html) in enumerate(sorted(pages.items())):
        item = process_html(url, html.encode())
        item.fetched_at = f"2026-01-01T00:00:0{index}Z"
        items.append(item)
    write_batch(db, items, generation=1)
    return db


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("TVEpisode", "episode"),
        ("http://schema.org/TVSeries", "series"),
        ("TV Series 1999–2013", "series"),
        ("сериал, 12 сезонов", "series"),
        ("Long métrage", "movie"),
        ("1997 film", "movie"),
        ("OVA", "video"),
        ("电视剧", "series"),
        ("Mini-series", "miniseries"),
        ("Color", None),
        ("Video Game 2008", None),
    ],
)
def test_kinds_are_read_from_types_labels_and_title_notes(raw: str, kind: str | None) -> None:
    assert normalise_kind(raw) == kind


def test_a_page_calls_everything_movie_until_it_says_more() -> None:
    assert page_kind(["Movie", "TV Series"]) == "series"
    assert page_kind(["Movie"]) == "movie"
    assert page_kind(["Format: 35 mm"]) is None
    assert kind_family("miniseries") == kind_family("series") != kind_family("episode")


def test_the_page_record_carries_the_kind_of_its_work() -> None:
    assert process_html("https://tv.example/nocturne", work_page(SERIES)).kind == "series"
    assert process_html("https://tv.example/nocturne/1", work_page(EPISODE)).kind == "episode"
    news = "<html><body><article><h1>Rain</h1><p>It rains.</p></article></body></html>"
    assert process_html("https://news.example/rain", news).kind is None


def test_a_series_and_its_episode_are_two_films_of_their_kinds(tmp_path: Path) -> None:
    # issue 14 item 7
    db = stored(
        {
            "https://tv.example/nocturne": work_page(SERIES),
            "https://tv.example/nocturne/s1e1": work_page(EPISODE),
            "https://other.example/shows/nocturne": work_page(SERIES, body="A night shift."),
        },
        tmp_path,
    )
    films = {row["kind"]: row for row in db.query("SELECT * FROM films")}
    assert set(films) == {"series", "episode"}
    assert films["episode"]["id"] == "nocturne-2019-episode"
    assert films["series"]["source_count"] == 2
    pages = dict(db.execute("SELECT url, kind FROM pages").fetchall())
    assert pages["https://tv.example/nocturne/s1e1"] == "episode"


def test_the_consensus_kind_is_what_most_sources_say() -> None:
    claims = [
        FilmClaim("https://a.example/x", kind="miniseries", tier=30),
        FilmClaim("https://b.example/x", kind="series", tier=10),
        FilmClaim("https://c.example/x", kind="series", tier=30),
        FilmClaim("https://d.example/x"),
    ]
    assert consensus_kind(claims) == "series"
    assert consensus_kind(claims[:1] + claims[3:]) == "miniseries"
    assert consensus_kind(claims[3:]) is None


def test_kinds_of_one_family_may_be_one_work() -> None:
    keys = frozenset({"nocturne"})
    claims = [
        FilmClaim("https://a.example/x", title_keys=keys, year=2019, kind="series"),
        FilmClaim("https://b.example/x", title_keys=keys, year=2019, kind="miniseries"),
        FilmClaim("https://c.example/x", title_keys=keys, year=2019),
    ]
    assert len(cluster_claims(claims)) == 1


MOVIE = {
    "@context": "https://schema.org",
    "@type": "Movie",
    "name": "Glass Harbour",
    "datePublished": "2016-05-04",
    "director": {"@type": "Person", "name": "Tomas Ek"},
}


def test_a_mirror_is_one_source_in_the_consensus_and_in_conflicts(tmp_path: Path) -> None:
    # issue 14 item 8: the same page on two URLs (a mirror declares the original's
    # canonical URL) must not outvote a second site.
    original = work_page(MOVIE, canonical="https://films.example/glass-harbour")
    other_site = work_page({**MOVIE, "datePublished": "2016-05-06"})
    db = stored(
        {
            "https://films.example/glass-harbour": original,
            "https://mirror.example/films.example/glass-harbour": original,
            "https://elsewhere.example/glass-harbour": other_site,
        },
        tmp_path,
    )
    mirrors = dict(db.execute("SELECT url, mirror_of FROM pages").fetchall())
    assert mirrors["https://mirror.example/films.example/glass-harbour"] == (
        "https://films.example/glass-harbour"
    )
    assert mirrors["https://films.example/glass-harbour"] is None
    film = next(db.query("SELECT * FROM films"))
    assert film["source_count"] == 2
    # one source each: the tie goes to the smaller value, not to the doubled page
    assert film["release_date"] == "2016-05-04"
    conflict = next(db.query("SELECT * FROM fact_conflicts WHERE field = 'release_date'"))
    assert conflict["source_count"] == 2
    values = json.loads(conflict["values"])
    assert [len(value["sources"]) for value in values] == [1, 1]


def test_pages_with_the_same_body_are_mirrors_and_a_changed_page_is_not(tmp_path: Path) -> None:
    html = work_page(MOVIE)
    db = stored({"https://a.example/gh": html, "https://b.example/gh": html}, tmp_path)
    assert db.execute("SELECT count(*) FROM pages WHERE mirror_of IS NOT NULL").fetchone()[0] == 1
    item = process_html("https://b.example/gh", work_page(MOVIE, body="Now with a synopsis."))
    item.fetched_at = "2026-01-02T00:00:00Z"
    write_batch(db, [item], generation=2)
    assert db.execute("SELECT count(*) FROM pages WHERE mirror_of IS NOT NULL").fetchone()[0] == 0
    assert next(db.query("SELECT source_count FROM films"))["source_count"] == 2


def test_only_the_series_family_rules_apart_equal_titles_and_years() -> None:
    keys = frozenset({"nocturne"})
    series = FilmClaim("https://a.example/x", title_keys=keys, year=2019, kind="series")
    episode = FilmClaim("https://b.example/x", title_keys=keys, year=2019, kind="episode")
    assert len(cluster_claims([series, episode])) == 2
