"""Comment extraction over the saved real pages in ``shared/corpus/real``.

Every page goes through ``extract_document`` without an exception. For each page the
table below gives the number of comments a reader sees on it (counted by reading the
saved page, see the notes) and the extractor that must supply them; pages without
audience comments, including the traps (a sidebar with ~150 "recent comments" of other
posts, empty comment forms, Disqus placeholders, critics' quotes), must give none.

Tolerance: none. The files are frozen, so the count a reader sees does not move; a
difference in either direction is a regression (a lost comment, or page furniture
stored as one) and the table is the place to argue about it. Where "seen" is a
judgement call the note says which reading was taken.

The corpus is not part of the project; the test skips when it is absent
(``FILMCRAWL_SHARED`` points to another ``shared`` folder).
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from typing import NamedTuple

import pytest

from crawler.extract.page import extract_document, extraction_errors
from schemas.records import PageRecord
from tests.conftest import corpus_dir

pytestmark = pytest.mark.corpus


class Seen(NamedTuple):
    count: int
    extractor: str | None
    note: str = ""


# page -> what a reader sees on it
SEEN: dict[str, Seen] = {
    # WordPress threads
    "traf-wpblog__gormulus-sagen-duerfen.html": Seen(
        45, "wordpress-comments", "'45 Gedanken': 40 comments and 5 pingbacks, replies 3 deep"
    ),
    "traf-wpblog__thenervousbreakdown-heart-alone.html": Seen(11, "wordpress-comments"),
    "traf-wpblog__hearya-top-100-metal-vocalists.html": Seen(
        38, "wordpress-comments", "Thesis dl#comment_list, '38 comments'; page 39 linked"
    ),
    "traf-netzpolitik__cider-connection-abmahnungen.html": Seen(
        74, "wordpress-comments", "header says '91 Ergänzungen', 74 are on the page"
    ),
    "aeb-profootballtalk__anthony-lynn-comments.html.gz": Seen(34, "wordpress-comments"),
    "aeb-givewell__september-2018-open-thread.html.gz": Seen(10, "wordpress-comments"),
    "np-uproxx__shaun-of-the-dead-touring-comments.html": Seen(
        6, "wordpress-comments", "'6 comments'; the 'posted' header is the article, not one"
    ),
    # film databases
    "kinopoisk__interstellar-2014.html": Seen(10, "review-comments"),
    "kinopoisk__pirates-of-the-caribbean-2003.html": Seen(10, "review-comments"),
    "kinopoisk__redacted-bez-tsenzury-2007.html": Seen(10, "review-comments"),
    "kinopoisk__big-bang-theory-series.html": Seen(10, "review-comments"),
    "letterboxd__sweet-sweetbacks-baadasssss-song-1971.html": Seen(12, "review-comments"),
    "letterboxd__nightmare-city-no-year.html": Seen(1, "review-comments"),
    "letterboxd__this-is-the-end-similar-films.html": Seen(0, None, "poster grid"),
    "imdb__die-hard-user-reviews.html": Seen(10, "review-comments", "page 1 of 73"),
    "imdb__die-hard-1988-combined.html": Seen(1, "review-comments", "featured review"),
    "imdb__the-dark-knight-2008-combined.html": Seen(1, "review-comments", "featured review"),
    "imdb__gaslight-1944-combined.html": Seen(1, "review-comments", "featured review"),
    "imdb__the-walking-dead-tv-series.html": Seen(1, "review-comments", "featured review"),
    "imdb__kannethirey-thondrinal-1998.html": Seen(
        0, None, "empty 'User Reviews' teaser (no review in it)"
    ),
    "imdb__shawshank-2009-classic-layout.html": Seen(1, "review-comments"),
    "imdb__il-buono-il-brutto-il-cattivo-2009.html": Seen(1, "review-comments"),
    "imdb__shawshank-hungarian-locale-2019.html": Seen(1, "review-comments"),
    "imdb__the-lighthouse-2019-hungarian-locale.html": Seen(1, "review-comments"),
    "imdb__futurama-tv-series-2019.html": Seen(1, "review-comments"),
    "imdb__die-hard-critic-reviews.html": Seen(0, None, "Metacritic excerpts"),
    "mdl__crash-landing-on-you-2019.html": Seen(2, "review-comments"),
    "mdl__the-glory-2022-fragment.html": Seen(2, "review-comments", "comments box is empty"),
    "rottentomatoes__the-shawshank-redemption-1994.html": Seen(
        4, "review-comments", "4 audience reviews; 12 critics' quotes are not comments"
    ),
    "rottentomatoes__burn-after-reading-2008.html": Seen(0, None, "critics' quote bubbles"),
    "rottentomatoes__the-women-2008.html": Seen(0, None, "critics' quote bubbles"),
    "filmaffinity__el-show-de-truman-1998-es.html": Seen(0, None, "critics' excerpts"),
    "filmaffinity__the-truman-show-1998-en.html": Seen(0, None, "critics' excerpts"),
    # reader comments in markup no platform extractor knows
    "np-spanish__anticorrupcion-infanta-news.html": Seen(
        10,
        "generic-comments",
        "10 div.sf_comment blocks below the article (a symfony comment plugin); the generic"
        " detector missed them before issue 14",
    ),
    # threads of other engines
    "slashdot__microsoft-gpl3-comments-2007.html": Seen(
        80, "threaded-comments", "80 with text; 397 below threshold are title-only links"
    ),
    # traps and pages without comments
    "traf-ostbelgiendirekt__tv-tipp-loriot-100.html": Seen(
        0, None, "'0 Kommentare'; the sidebar lists ~150 comments on other posts"
    ),
    "traf-wpblog__nextkabinett-derek-jarman-the-garden.html": Seen(
        0, None, "empty comment form and a recent-comments widget"
    ),
    "np-theatlantic__the-interview-film-review-2014.html": Seen(0, None, "Disqus placeholder"),
    "np-avclub__best-film-scenes-2014.html": Seen(0, None, "Disqus placeholder"),
    "postlight-jp__takagi-diary-euc-jp-declared.html": Seen(
        0, None, "a trackback URL and a referer list, no comments"
    ),
}
# Everything else in the corpus has no comments at all (articles, encyclopedias).
NO_COMMENTS = Seen(0, None)
# Readers quote the article they comment on; a comment whose first line is in the main
# text is a leak only when that happens more often than quoting explains.
MAX_QUOTING_SHARE = 0.05
_CANONICAL = re.compile(rb"<link[^>]+rel=[\"']canonical[\"'][^>]+href=[\"']([^\"']+)", re.I)
_CP1251 = re.compile(rb"charset=[\"']?windows-1251", re.I)


def corpus_files() -> list[str]:
    path = corpus_dir()
    return sorted(p.name for p in path.iterdir() if p.name.endswith((".html", ".html.gz")))


def read_page(name: str) -> tuple[str, str]:
    """The page's URL (its canonical, else a placeholder) and its decoded HTML.

    Some files start with ``curl -i`` response headers, some are gzip; KinoPoisk
    declares windows-1251, the 2008 Rotten Tomatoes pages are undeclared windows-1252.
    """
    data = (corpus_dir() / name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    while data.startswith(b"HTTP/"):
        _, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            _, sep, rest = data.partition(b"\n\n")
        data = rest
    if _CP1251.search(data[:4000]):
        html = data.decode("cp1251", errors="replace")
    else:
        try:
            html = data.decode("utf-8")
        except UnicodeDecodeError:
            html = data.decode("cp1252", errors="replace")
    match = _CANONICAL.search(data)
    url = match.group(1).decode("ascii", "replace") if match else f"https://corpus.invalid/{name}"
    return url, html


@cache
def extracted(name: str) -> PageRecord:
    url, html = read_page(name)
    return extract_document(url, html)


def test_the_table_names_only_corpus_files() -> None:
    assert set(SEEN) <= set(corpus_files())


@pytest.mark.parametrize("name", sorted(SEEN))
def test_found_as_many_comments_as_the_page_shows(name: str) -> None:
    if name not in corpus_files():
        pytest.skip(f"{name} not in this corpus")
    seen = SEEN[name]
    result = extracted(name)
    assert not extraction_errors(result)
    assert len(result.comments) == seen.count, seen.note
    if seen.extractor is not None:
        assert {c.extractor for c in result.comments} == {seen.extractor}


def test_every_other_page_has_no_comments_and_no_errors() -> None:
    for name in corpus_files():
        if name in SEEN:
            continue
        result = extracted(name)
        assert not extraction_errors(result), name
        assert len(result.comments) == NO_COMMENTS.count, name


def test_comments_are_complete_records() -> None:
    for name in corpus_files():
        result = extracted(name)
        for comment in result.comments:
            assert comment.text.strip() == comment.text and comment.text, (name, comment.position)
            assert comment.author, (name, comment.position)
            assert "<" not in comment.author, (name, comment.position)
            assert not comment.author.lower().endswith(("says:", "says", "sagt:")), name
        assert [c.position for c in result.comments] == list(range(len(result.comments)))


def test_comments_stay_out_of_the_main_text() -> None:
    for name in corpus_files():
        result = extracted(name)
        if not result.comments:
            continue
        clean_text = result.clean_text or ""
        first_lines = [c.text.split("\n")[0] for c in result.comments]
        leaked = [line for line in first_lines if len(line) >= 30 and line[:60] in clean_text]
        assert len(leaked) <= MAX_QUOTING_SHARE * len(first_lines), (name, leaked[:3])


def test_threads_and_kinds() -> None:
    files = corpus_files()
    if "traf-wpblog__gormulus-sagen-duerfen.html" in files:
        gormulus = extracted("traf-wpblog__gormulus-sagen-duerfen.html").comments
        kinds = [c.kind for c in gormulus]
        # The markup has 15 li.comment at depth 1, 25 deeper and 5 li.pingback.
        assert (kinds.count("comment"), kinds.count("reply"), kinds.count("pingback")) == (
            15,
            25,
            5,
        )
    if "aeb-profootballtalk__anthony-lynn-comments.html.gz" in files:
        pft = extracted("aeb-profootballtalk__anthony-lynn-comments.html.gz").comments
        assert not any("says:" in (c.author or "") for c in pft)
        assert pft[0].author == "thelastchargersfan"
    if "slashdot__microsoft-gpl3-comments-2007.html" in files:
        slashdot = extracted("slashdot__microsoft-gpl3-comments-2007.html").comments
        # 32 of the 80 sit inside another comment with text; the others start a thread
        # or answer a comment shown only as a title link.
        assert sum(c.kind == "reply" for c in slashdot) == 32
        assert any(c.truncated for c in slashdot)
    if "traf-wpblog__hearya-top-100-metal-vocalists.html" in files:
        hearya = extracted("traf-wpblog__hearya-top-100-metal-vocalists.html")
        assert hearya.comment_page_urls == [
            "http://www.hearya.com/2006/12/04/hit-paraders-top-100-metal-vocalists-of-all-time/"
            "comment-page-39/"
        ]
    for name in files:
        if name.startswith(("kinopoisk", "letterboxd", "mdl", "imdb")):
            assert all(c.kind == "review" for c in extracted(name).comments), name
