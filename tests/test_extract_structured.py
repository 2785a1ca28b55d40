"""schema.org Movie/TVSeries (JSON-LD, microdata) and OpenGraph film pages."""

from __future__ import annotations

import json
from typing import Any

from crawler.extract.families.structured import OpenGraphMovieExtractor, SchemaMovieExtractor
from tests.helpers.extract import credits, facts, run, titles


def page(*nodes: Any, head: str = "", body: str = "") -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{n if isinstance(n, str) else json.dumps(n)}</script>'
        for n in nodes
    )
    return f"<html><head>{head}{scripts}</head><body>{body}</body></html>"


MOVIE = {
    "@context": "https://schema.org",
    "@type": "Movie",
    "name": "Miracle in cell no 7",
    "datePublished": "2013-01-23",
    "genre": ["Comedy", "Drama"],
    "director": {"@type": "Person", "name": "Lee Hwan-kyung"},
    "actor": [
        {"@type": "Person", "name": "Ryu Seung-ryong"},
        {"@type": "PerformanceRole", "actor": {"@type": "Person", "name": "Kal So-won"},
         "characterName": "Ye-seung"},
    ],
    "duration": "PT127M",
    "countryOfOrigin": {"@type": "Country", "name": "South Korea"},
    "inLanguage": "ko",
    "aggregateRating": {"@type": "AggregateRating", "ratingValue": 9.1, "bestRating": 10,
                        "ratingCount": 1234},
}  # fmt: skip


def test_jsonld_movie() -> None:
    found = run(SchemaMovieExtractor(), page(MOVIE))
    assert found.title == "Miracle in cell no 7"
    assert titles(found) == {("primary", "Miracle in cell no 7")}
    assert facts(found) == {
        ("title", "Miracle in cell no 7"),
        ("release_date", "2013-01-23"),
        ("genre", "Comedy"),
        ("genre", "Drama"),
        ("director", "Lee Hwan-kyung"),
        ("runtime_minutes", "PT127M"),
        ("country", "South Korea"),
        ("language", "ko"),
        ("rating", "9.1/10"),
        ("rating_votes", "1234"),
    }
    assert credits(found) == {
        ("director", "Lee Hwan-kyung", None),
        ("cast", "Ryu Seung-ryong", None),
        ("cast", "Kal So-won", "Ye-seung"),
    }


def test_a_broken_block_does_not_cost_the_good_one() -> None:
    broken = '{"@context": "https://schema.org", "@type": "VideoObject", "name": "trail'
    found = run(SchemaMovieExtractor(), page(broken, MOVIE))
    assert found.title == "Miracle in cell no 7"


def test_movie_inside_a_review_and_a_graph() -> None:
    review = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Reviews"},
        {"@type": "Review", "itemReviewed": {"@type": "Movie", "name": "Parasite",
                                              "dateCreated": "2019-05-21T09:14:00+02:00"},
         "reviewRating": {"@type": "Rating", "ratingValue": 5}},
    ]}  # fmt: skip
    found = run(SchemaMovieExtractor(), page(review))
    assert found.title == "Parasite"
    # a creation time of day is when the record was made, not the film
    assert not {"year", "release_date"} & {field for field, _ in facts(found)}


def test_date_created_and_released_event_give_the_year() -> None:
    # issue 14: film databases (Czech, Chinese) date a Movie only by dateCreated
    created = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": "Počátek",
        "dateCreated": "2010",
        "director": [{"@type": "Person", "name": "Christopher Nolan"}],
    }
    assert ("year", "2010") in facts(run(SchemaMovieExtractor(), page(created)))
    created_day = {**created, "dateCreated": "2010-07-08"}
    assert ("year", "2010") in facts(run(SchemaMovieExtractor(), page(created_day)))
    released = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": "Sweetback",
        "releasedEvent": [
            {
                "@type": "PublicationEvent",
                "startDate": "1971-04-23",
                "location": {"@type": "Country", "name": "USA"},
            }
        ],
    }
    assert ("release_date", "1971-04-23") in facts(run(SchemaMovieExtractor(), page(released)))


def test_several_films_are_a_listing() -> None:
    listing = {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "item": {"@type": "Movie", "name": "Parasite"}},
        {"@type": "ListItem", "item": {"@type": "Movie", "name": "Burning"}},
    ]}  # fmt: skip
    found = run(SchemaMovieExtractor(), page(listing))
    assert found.empty and found.title is None


def test_tvseries_start_date_creator_and_locale() -> None:
    series = {"@context": "https://schema.org", "@type": "TVSeries", "name": "Salt and Iron",
              "startDate": "2018-02-11", "inLanguage": "en-GB",
              "creator": [{"@type": "Person", "name": "Maeve Doherty"},
                          {"@type": "Organization", "name": "Tidewater Pictures"}]}  # fmt: skip
    found = run(SchemaMovieExtractor(), page(series))
    assert facts(found) == {
        ("title", "Salt and Iron"),
        ("release_date", "2018-02-11"),
        ("writer", "Maeve Doherty"),
    }


def test_year_only_dates_and_years_in_names() -> None:
    node = {"@type": "Movie", "name": "Die Hard (1988)",
            "releasedEvent": [{"@type": "PublicationEvent", "startDate": "1988"}]}  # fmt: skip
    found = run(SchemaMovieExtractor(), page(node))
    assert found.title == "Die Hard"
    assert facts(found) == {("title", "Die Hard"), ("year", "1988")}


def test_microdata_movie_and_folded_labels() -> None:
    html = """<html><body><div itemscope itemtype="http://schema.org/Movie">
      <h1 itemprop="name">Kannethirey Thondrinal</h1>
      <span itemprop="genre">Romance</span><div itemprop="genre">Genres: Romance</div>
      <span itemprop="director" itemscope itemtype="http://schema.org/Person">
        <span itemprop="name">Ravichandran</span></span>
      <meta itemprop="datePublished" content="1998-09">
    </div></body></html>"""
    found = run(SchemaMovieExtractor(), html)
    assert facts(found) == {
        ("title", "Kannethirey Thondrinal"),
        ("genre", "Romance"),
        ("director", "Ravichandran"),
        ("release_date", "1998-09"),
    }


def test_no_film_node_no_match() -> None:
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Parasite wins",
    }
    assert run(SchemaMovieExtractor(), page(article)).empty


def test_opengraph_movie_title_without_site_and_year() -> None:
    head = (
        '<meta property="og:type" content="video.movie">'
        '<meta property="og:title" content="The Shawshank Redemption (1994) - IMDb">'
        '<meta property="og:site_name" content="IMDb">'
    )
    found = run(OpenGraphMovieExtractor(), page(head=head))
    assert found.title == "The Shawshank Redemption"
    assert facts(found) == {("title", "The Shawshank Redemption"), ("year", "1994")}


def test_opengraph_is_only_a_fallback_and_only_for_films() -> None:
    head = '<meta property="og:type" content="video.movie"><meta property="og:title" content="X">'
    assert run(OpenGraphMovieExtractor(), page(MOVIE, head=head)).empty
    article = '<meta property="og:type" content="article"><meta property="og:title" content="X">'
    assert run(OpenGraphMovieExtractor(), page(head=article)).empty


def test_an_episode_page_is_about_the_episode_not_its_series() -> None:
    # issue 14 item 7
    episode = {"@context": "https://schema.org", "@graph": [
        {"@type": "TVSeries", "name": "Dark", "startDate": "2017-12-01"},
        {"@type": "TVEpisode", "name": "Secrets", "datePublished": "2017-12-01",
         "partOfSeries": {"@type": "TVSeries", "name": "Dark"}},
    ]}  # fmt: skip
    found = run(SchemaMovieExtractor(), page(episode))
    assert found.title == "Secrets"
    assert found.kinds == ["TVEpisode"]
    episodes = [{"@type": "TVEpisode", "name": name} for name in ("Secrets", "Lies")]
    season = {"@context": "https://schema.org", "@type": "TVSeason", "name": "Dark: Season 1",
              "episode": episodes}  # fmt: skip
    assert run(SchemaMovieExtractor(), page(season)).title == "Dark: Season 1"


def test_microdata_people_on_links_are_named_by_the_link_text() -> None:
    body = """<div itemscope itemtype="http://schema.org/Movie"><h1 itemprop="name">Hope</h1>
    <a itemprop="director" href="/director/lee-joon-ik">Lee Joon-ik</a>
    <a itemprop="actor" href="/actor/sol-kyung-gu">Sol Kyung-gu</a>
    <meta itemprop="dateCreated" content="2013"></div>"""
    found = run(SchemaMovieExtractor(), page(body=body))
    assert credits(found) == {("director", "Lee Joon-ik", None), ("cast", "Sol Kyung-gu", None)}
    assert ("year", "2013") in facts(found)


def test_a_critic_s_one_review_rates_the_film_user_reviews_do_not_issue_14() -> None:
    movie = {"@type": "Movie", "name": "Heat", "dateCreated": "1995-12-15"}
    critic = {"@context": "https://schema.org", "@type": "Review", "itemReviewed": movie,
              "reviewRating": {"ratingValue": "4", "bestRating": "5"}}  # fmt: skip
    assert ("rating", "4/5") in facts(run(SchemaMovieExtractor(), page(critic)))
    users = {**MOVIE, "review": [
        {"@type": "Review", "reviewRating": {"ratingValue": 2, "bestRating": 10}},
        {"@type": "Review", "reviewRating": {"ratingValue": 9, "bestRating": 10}},
    ]}  # fmt: skip
    found = run(SchemaMovieExtractor(), page(users))
    assert [value for field, value in facts(found) if field == "rating"] == ["9.1/10"]
