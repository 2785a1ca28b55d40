"""WordPress film posts: fact lines, cast bullets, ratings, and the film's title."""

from __future__ import annotations

import pytest

from crawler.extract.families.wordpress import WordPressFilmExtractor
from crawler.extract.page import extract_document
from tests.helpers.extract import credits, facts, run, titles


def post(content: str, title: str = "Miracle in Cell No. 7", entries: int = 1) -> str:
    body = "".join(
        f'<article class="post"><h1 class="entry-title">{title}</h1>'
        f'<div class="entry-content">{content}</div></article>'
        for _ in range(entries)
    )
    return f"""<html><head><meta name="generator" content="WordPress 5.5"></head>
    <body class="post-template-default single single-post postid-7">{body}
    <div id="comments"><ol class="comment-list"><li>Director: a commenter's joke</li></ol></div>
    </body></html>"""


FACT_LINES = """<p><strong>Original Title:</strong>&nbsp;7번방의 선물<br />
<strong>Release date:</strong>&nbsp;January 24, 2013<br />
<strong>Director:</strong>&nbsp;Lee Hwan-Kyung<br />
<strong>Screenplay by:</strong>&nbsp;Lee Hwan-Kyung, Kim Hwang-Sung<br />
<strong>Cast:</strong>&nbsp;Ryoo Seung-Ryong, Kal So-Won</p>
<p>It might get corny at times, but it's nearly impossible not to fall for it.</p>
<p><strong>Rating:</strong>&nbsp;★★★¾☆&nbsp;</p>"""


def test_fact_lines() -> None:
    found = run(WordPressFilmExtractor(), post(FACT_LINES))
    assert found.title == "Miracle in Cell No. 7"
    assert titles(found) == {("primary", "Miracle in Cell No. 7"), ("native", "7번방의 선물")}
    assert facts(found) == {
        ("title", "Miracle in Cell No. 7"),
        ("native_title", "7번방의 선물"),
        ("release_date", "January 24, 2013"),
        ("director", "Lee Hwan-Kyung"),
        ("writer", "Lee Hwan-Kyung"),
        ("writer", "Kim Hwang-Sung"),
        ("rating", "★★★¾☆"),
    }
    assert ("cast", "Kal So-Won", None) in credits(found)
    # the fact lines are pruned; the review and the reviewer's rating are not
    assert len(found.prune_xpaths) == 1
    assert "Original Title" in found.prune_xpaths[0]


def test_cast_bullets_and_rating_make_a_film_post() -> None:
    content = """<h2>Miracle in Cell No. 7</h2><ul>
    <li>Ryu Seung-ryong as Lee Yong-gu</li><li>Kal So-won as Ye-sung (Child)</li>
    <li>The little girl Kal So-won as Ye Sung, she was amazing.</li></ul>
    <p><strong>My Rating – 9.5/10</strong></p>"""
    url = "https://karlablog.com/2020/09/miracle-in-cell-no-7/"
    found = run(WordPressFilmExtractor(), post(content, title="Thank you – Lee Yong-gu"), url)
    assert found.title == "Miracle in Cell No. 7"  # the heading the slug spells, not the post title
    assert ("rating", "9.5/10") in facts(found)
    assert credits(found) == {
        ("cast", "Ryu Seung-ryong", "Lee Yong-gu"),
        ("cast", "Kal So-won", "Ye-sung (Child)"),
    }


@pytest.mark.parametrize(
    ("post_title", "title", "native"),
    [
        ("Review: Parasite (2019)", "Parasite", None),
        ("[Movie Review] Parasite", "Parasite", None),
        ("Parasite (기생충) review", "Parasite", "기생충"),
    ],
)
def test_post_titles(post_title: str, title: str, native: str | None) -> None:
    content = "<p>Director: Bong Joon-ho<br>Runtime: 132 min<br>Genre: Thriller</p>"
    found = run(WordPressFilmExtractor(), post(content, title=post_title))
    assert found.title == title
    assert (("native", native) in titles(found)) == (native is not None)


def test_sentence_like_post_title_is_not_a_film_title() -> None:
    content = "<p>Director: Bong Joon-ho<br>Runtime: 132 min<br>Genre: Thriller</p>"
    found = run(WordPressFilmExtractor(), post(content, title="Why I cried… again!"))
    assert found.title is None
    assert ("director", "Bong Joon-ho") in facts(found)


def test_director_stripped_from_post_title_and_year_beside_it() -> None:
    content = """<ul><li>The Garden · Derek Jarman (1990)</li>
    <li>A nearly wordless narrative. Director: Derek Jarman · Stars: Tilda Swinton,
    Johnny Mills</li></ul>"""
    found = run(WordPressFilmExtractor(), post(content, title="Derek Jarman · The Garden"))
    assert found.title == "The Garden"
    assert ("year", "1990") in facts(found)
    assert ("cast", "Tilda Swinton", None) in credits(found)


def test_ordinary_posts_yield_nothing() -> None:
    content = "<p>We went to the cinema. The director was there.</p><ul><li>Popcorn</li></ul>"
    assert run(WordPressFilmExtractor(), post(content, title="Our weekend")).empty


def test_list_of_films_is_not_one_film() -> None:
    content = "".join(
        f"<h2>{n}. Film {n}</h2><p><strong>Director:</strong> Person {n}<br>"
        f"<strong>Year:</strong> 201{n}</p>"
        for n in range(1, 5)
    )
    assert run(WordPressFilmExtractor(), post(content, title="Four films")).empty


def test_archive_pages_are_not_posts() -> None:
    assert run(WordPressFilmExtractor(), post(FACT_LINES, entries=3)).empty


def test_not_wordpress() -> None:
    html = f'<html><body><div class="entry-content">{FACT_LINES}</div></body></html>'
    assert run(WordPressFilmExtractor(), html).empty


def test_a_review_headline_matching_the_slug_loses_its_affixes() -> None:
    # Regression: the slug matched "Miracle in Cell No. 7 (2019) Review" whole and the
    # film was named after the headline.

    html = (
        '<html><head><meta name="generator" content="WordPress 6.1"></head>'
        '<body class="single single-post"><article class="post">'
        '<h1 class="entry-title">Miracle in Cell No. 7 (2019) Review</h1>'
        '<div class="entry-content"><p><strong>Director:</strong> Nuel Crisostomo Naval<br>'
        "<strong>Release date:</strong> December 25, 2019</p><p>A father and his daughter.</p>"
        "</div></article></body></html>"
    )
    result = extract_document(
        "https://blog.example/2020/01/miracle-in-cell-no-7-2019-review/", html
    )
    assert [t.title for t in result.titles if t.kind == "primary"] == ["Miracle in Cell No. 7"]
