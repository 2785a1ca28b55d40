"""Film resolution: one film across sites, remakes kept apart, order never matters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalize.people import person_key
from crawler.normalize.titles import title_key
from crawler.store.film_clusters import FilmClaim, cluster_claims


def claim(
    url: str,
    titles: list[tuple[str, str]],
    year: int | None = None,
    directors: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    cast: tuple[str, ...] = (),
    tier: int = 20,
) -> FilmClaim:
    return FilmClaim(
        page_url=url,
        titles=tuple(titles),
        title_keys=frozenset(title_key(t) for _, t in titles),
        year=year,
        directors=frozenset(person_key(d) for d in directors),
        countries=frozenset(countries),
        cast=frozenset(person_key(c) for c in cast),
        tier=tier,
    )


SAMPLE_SITE = [
    # AsianWiki: no year anywhere in its facts, cast gallery only.
    claim(
        "http://s/asianwiki",
        [("primary", "Miracle in Cell No.7")],
        cast=("Ryoo Seung-Ryong", "Park Shin-Hye", "Kal So-Won"),
    ),
    claim(
        "http://s/karlablog",
        [("primary", "Miracle in Cell No. 7")],
        year=2013,
        countries=("South Korea",),
        cast=("Ryu Seung-ryong", "Kal So-won", "Park Shin-hye"),
    ),
    claim(
        "http://s/xemovie",
        [("primary", "Miracle in cell no 7")],
        year=2013,
        directors=("Lee Hwan-kyung",),
        countries=("South Korea",),
        cast=("Ryu Seung-ryong",),
        tier=10,
    ),
    claim(
        "http://s/dramadb",
        [
            ("primary", "Miracle in Cell No. 7"),
            ("native", "7번방의 선물"),
            ("alternative", "Gift From Room 7"),
        ],
        year=2013,
        directors=("Lee Hwan Kyung",),
        countries=("South Korea",),
        tier=30,
    ),
    claim(
        "http://s/yam",
        [("primary", "Miracle in Cell No. 7"), ("native", "7번방의 선물")],
        year=2013,
        directors=("Lee Hwan-Kyung",),
        cast=("Ryoo Seung-Ryong", "Kal So-Won"),
    ),
]

REMAKES = [
    claim(
        "http://s/turkish",
        [("primary", "Miracle in Cell No. 7"), ("native", "7. Koğuştaki Mucize")],
        year=2019,
        directors=("Mehmet Ada Öztekin",),
        countries=("Turkey",),
        cast=("Aras Bulut İynemli",),
    ),
    claim(
        "http://s/philippine",
        [("primary", "Miracle in Cell No. 7")],
        year=2019,
        directors=("Nuel Crisostomo Naval",),
        countries=("Philippines",),
        cast=("Aga Muhlach", "Bela Padilla"),
    ),
]


def test_the_five_sample_pages_are_one_film() -> None:
    films = cluster_claims(SAMPLE_SITE)
    assert [film.id for film in films] == ["miracle-in-cell-no-7-2013"]
    assert films[0].page_urls == sorted(c.page_url for c in SAMPLE_SITE)


def test_remakes_stay_apart_from_the_original_and_each_other() -> None:
    films = cluster_claims(SAMPLE_SITE + REMAKES)
    by_page = {url: film.id for film in films for url in film.page_urls}
    assert len(films) == 3
    assert by_page["http://s/asianwiki"] == "miracle-in-cell-no-7-2013"
    assert by_page["http://s/turkish"] != by_page["http://s/philippine"]
    assert {by_page["http://s/turkish"], by_page["http://s/philippine"]} == {
        "miracle-in-cell-no-7-2019-turkey",
        "miracle-in-cell-no-7-2019-philippines",
    }


def test_a_vague_page_cannot_chain_two_remakes_together() -> None:
    vague = claim("http://s/vague-2019", [("primary", "Miracle in Cell No. 7")], year=2019)
    films = cluster_claims([*REMAKES, vague])
    assert len(films) == 2
    assert sum(len(film.claims) for film in films) == 3


def test_an_undated_page_that_fits_two_films_equally_stays_alone() -> None:
    undated = claim("http://s/undated", [("primary", "Miracle in Cell No. 7")])
    films = cluster_claims([*REMAKES, undated])
    alone = [film for film in films if film.page_urls == ["http://s/undated"]]
    assert len(alone) == 1
    assert alone[0].id == "miracle-in-cell-no-7"


def test_different_titles_never_merge() -> None:
    films = cluster_claims(
        [
            claim("http://s/a", [("primary", "The Host")], year=2006),
            claim("http://s/b", [("primary", "Host")], year=2006),
        ]
    )
    assert len(films) == 2


@settings(max_examples=60, deadline=None)
@given(st.permutations(SAMPLE_SITE + REMAKES))
def test_resolution_does_not_depend_on_crawl_order(claims: list[FilmClaim]) -> None:
    # Regression guard for the database contract: the same pages give the same films.
    expected = {(film.id, tuple(film.page_urls)) for film in cluster_claims(SAMPLE_SITE + REMAKES)}
    assert {(film.id, tuple(film.page_urls)) for film in cluster_claims(claims)} == expected
