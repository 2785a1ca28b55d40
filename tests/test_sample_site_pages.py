"""The bundled sample site reproduces the five seed pages as their platforms serve them.

Each seed in ``shared/seeds`` is a plain-text dump of what one real page shows. The
sample page written for it must show every non-empty seed line, in order and spelled the
same, and carry the platform markup the extractors recognise (MediaWiki generator tag,
WordPress comment lists, a schema.org ``Movie`` in JSON-LD, a label:value fact box).

"Visible text" is what a text browser prints: everything in ``<body>`` except scripts,
styles, ``<noscript>`` and ``<template>``, with an image shown as its ``alt`` text.
Seeds were dumped the same way, which is why image file names appear in them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from lxml.html import HtmlElement

from tests.conftest import shared_dir

SITE = Path(__file__).resolve().parents[1] / "crawler" / "sample_site" / "site"

PAGES = {
    "000": "asianwiki/Miracle_in_Cell_No.7/index.html",
    "001": "karlablog/2020/09/miracle-in-cell-no-7/index.html",
    "002": "xemovie/movie/miracle-in-cell-no-7/index.html",
    "003": "dramadb/movie/miracle-in-cell-no-7/index.html",
    "004": "yam/2013/08/miracle-in-cell-no-7-review/index.html",
}

# The AsianWiki cast gallery is a table whose cells stack image / actor / role; a text
# browser prints each table row as three lines running across the cells, so these seed
# lines interleave the cells. They are checked word by word here and cell by cell in
# test_asianwiki_cast_gallery_rows_render_as_in_the_seed.
GALLERY_LINES = (
    "Miracle in Cell No7-Ryoo Seung-Ryong1.jpg Miracle in Cell No.7-Park Shin-Hye.jpg "
    "Kal So-Won Miracle in Cell No7-Oh Dal-Su1.jpg Miracle in Cell No7-Park Won-Sang1.jpg",
    "Ryoo Seung-Ryong Park Shin-Hye Kal So-Won Oh Dal-Su Park Won-Sang",
    "Yong-Goo Ye-Seung (adult) Ye-Seung (child) So Yang-Ho Choi Choon-Ho",
    "Miracle in Cell No7-Jeong Man-Sik1.jpg Miracle in Cell No7-Kim Jung-Tae1.jpg "
    "Miracle in Cell No7-Kim Ki-Cheon1.jpg Miracle in Cell No.7-Jung Jin-Young.jpg",
    "Jeong Man-Sik Kim Jung-Tae Kim Ki-Cheon Jung Jin-Young",
    "Shin Bong-Sik Man-Bum Old man Seo Jang Min-Hwan",
)

_SKIPPED = frozenset({"head", "script", "style", "noscript", "template"})
# Elements a text browser starts on a new line; everything else runs inline.
# fmt: off
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section",
    "select", "summary", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "tr", "ul",
))
# fmt: on


def seed_path(number: str) -> Path:
    seeds = shared_dir() / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed folder {seeds} is absent")
    matches = sorted(seeds.glob(f"{number}_*.txt"))
    if not matches:
        pytest.skip(f"seed {number} is absent from {seeds}")
    return matches[0]


def normalise(text: str) -> str:
    return " ".join(text.split())


# The dumps mark list items the way a text browser does: an indented "1." or "•".
_LIST_MARKER = re.compile(r"^\s+(?:\d+\.|•)\s+")


def seed_lines(number: str) -> list[str]:
    text = seed_path(number).read_text(encoding="utf-8")
    return [normalise(_LIST_MARKER.sub("", line)) for line in text.splitlines() if line.strip()]


def parse(number: str) -> HtmlElement:
    return lxml.html.document_fromstring((SITE / PAGES[number]).read_bytes())


def visible_text(root: HtmlElement) -> str:
    """Whitespace-normalised text of the page as a text browser shows it."""
    parts: list[str] = []

    def walk(element: HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is not None and tag not in _SKIPPED:
            block = tag in _BLOCKS
            if block:
                parts.append("\n")
            if tag == "img":
                parts.append(f" {element.get('alt', '')} ")
            parts.append(element.text or "")
            for child in element:
                walk(child)
            if block:
                parts.append("\n")
        parts.append(element.tail or "")

    body = root.find("body")
    walk(body if body is not None else root)
    return normalise("".join(parts))


def missing_in_order(lines: list[str], text: str, table_lines: tuple[str, ...] = ()) -> list[str]:
    """Seed lines not found in ``text`` in order; ``table_lines`` are matched word-wise.

    A table-rendered line's words must all occur between the previous matched line and
    the next ordinary one.
    """
    missing: list[str] = []
    position = 0
    pending: list[str] = []
    for line in lines:
        if line in table_lines:
            pending.append(line)
            continue
        found = text.find(line, position)
        if found < 0:
            missing.append(line)
            continue
        window = text[position:found]
        missing.extend(
            f"{word!r} (from table line {row!r})"
            for row in pending
            for word in row.split()
            if word not in window
        )
        pending = []
        position = found + len(line)
    missing.extend(pending)
    return missing


@pytest.mark.parametrize("number", sorted(PAGES))
def test_every_seed_line_is_visible_in_order(number: str) -> None:
    lines = seed_lines(number)
    text = visible_text(parse(number))
    table_lines = GALLERY_LINES if number == "000" else ()
    assert not missing_in_order(lines, text, table_lines)


@pytest.mark.parametrize("number", sorted(PAGES))
def test_page_head_is_complete(number: str) -> None:
    root = parse(number)
    head = root.find("head")
    assert head is not None
    assert head.xpath("meta[@charset='UTF-8' or @charset='utf-8']")
    assert normalise(head.findtext("title") or "")
    assert head.xpath("meta[@name='description']/@content")
    for prop in ("og:title", "og:type", "og:url", "og:image", "og:site_name"):
        assert head.xpath("meta[@property=$p]/@content", p=prop), prop
    canonical = head.xpath("link[@rel='canonical']/@href")
    assert len(canonical) == 1
    assert canonical[0].startswith("https://")
    assert "127.0.0.1" not in canonical[0]


def test_asianwiki_is_a_mediawiki_page() -> None:
    root = parse("000")
    assert root.xpath("//meta[@name='generator']/@content")[0].startswith("MediaWiki 1.19")
    assert root.xpath("//link[@rel='canonical']/@href") == [
        "https://asianwiki.com/Miracle_in_Cell_No.7"
    ]
    assert normalise(root.get_element_by_id("firstHeading").text_content()) == (
        "Miracle in Cell No.7"
    )
    assert root.get_element_by_id("siteSub").text_content() == "From AsianWiki"
    assert normalise(root.get_element_by_id("jump-to-nav").text_content()) == (
        "Jump to: navigation, search"
    )
    content = root.get_element_by_id("mw-content-text")
    headlines = [normalise(h.text_content()) for h in content.xpath(".//h2/span[@class]")]
    assert headlines == [
        "Plot Synopsis",
        "Notes",
        "Cast",
        "Additional Cast Members:",
        "Image Gallery",
        "Film Festivals",
        "Comments",
    ]
    assert len(content.xpath(".//ol/li")) == 7  # the numbered notes
    rating = normalise(root.xpath("//div[contains(@class,'w4g_rb-area')]")[0].text_content())
    assert "Current user rating: 96/100 (1445 votes)" in rating
    assert "You need to enable JavaScript to vote" in rating
    for element_id in ("mw-navigation", "footer", "p-search"):
        assert root.get_element_by_id(element_id) is not None


def _comment_author_and_text(block: HtmlElement) -> tuple[str, list[str]]:
    author = normalise(block.xpath(".//div[@class='comment-user']/b")[0].text_content())
    paragraphs = block.xpath(".//div[@class='comment-text']//p")
    return author, [normalise(p.text_content()) for p in paragraphs]


def test_asianwiki_comments_are_one_block_each() -> None:
    root = parse("000")
    blocks = root.xpath("//div[@id='aw-comments']/div[@class='comment']")
    assert len(blocks) == 63
    assert all(re.fullmatch(r"c-\d+", b.get("id", "")) for b in blocks)
    ids = [int(b.get("id")[2:]) for b in blocks]
    assert ids == sorted(ids, reverse=True)  # newest first
    times = [b.xpath(".//time/@datetime")[0] for b in blocks]
    assert times == sorted(times, reverse=True)
    assert all(
        not normalise(t.text_content()) for t in root.xpath("//div[@id='aw-comments']//time")
    )
    comments = [_comment_author_and_text(b) for b in blocks]
    authors = [author for author, _ in comments]
    assert authors[:3] == ["Paul love", "Eskimo", "jonah21"]
    assert authors[-3:] == ["eunice", "ET", "Liza"]
    assert authors.count("kdawn") == 2
    assert authors.count("mady") == 2
    assert authors.count("Salma") == 2
    by_author = dict(comments)  # only read for authors with one comment
    assert len(by_author["Jennie K"]) == 3
    assert len(by_author["Chaca"]) == 2
    assert by_author["Srikanth"] == [
        "I Loved this Movie",
        "100 % Recommended Please watch this movie",
    ]
    assert by_author["Kara"][0].startswith("Dang those Koreans!")
    assert by_author["As"] == [
        "Ending could have been a bit less Hollywood but strong performance by the main characters."
    ]
    collibosher = next(b for b in blocks if _comment_author_and_text(b)[0] == "Collibosher")
    quote = collibosher.xpath(".//blockquote")
    assert len(quote) == 1
    assert normalise(quote[0].text_content()).startswith('"Why Kim So-Eun Rolling')
    assert len(_comment_author_and_text(collibosher)[1]) == 4
    ki = [paragraphs for author, paragraphs in comments if author == "Ki"]
    assert [len(p) for p in ki] == [2, 1]
    assert ki[0][1].startswith("Meanwhile, I watched")


def test_asianwiki_comment_texts_match_the_seed() -> None:
    root = parse("000")
    blocks = root.xpath("//div[@id='aw-comments']/div[@class='comment']")
    rendered = [
        normalise(f"{author} {' '.join(paragraphs)}")
        for author, paragraphs in map(_comment_author_and_text, blocks)
    ]
    lines = seed_lines("000")
    seed_block = " ".join(
        lines[lines.index("Leave a Comment") + 1 : lines.index("Latest News Latest Trailers")]
    )
    assert " ".join(rendered) == seed_block


def test_asianwiki_cast_gallery_rows_render_as_in_the_seed() -> None:
    root = parse("000")
    table = root.xpath("//table[contains(@class,'aw-cast')]")
    assert len(table) == 1
    rendered: list[str] = []
    for row in table[0].xpath("./tbody/tr | ./tr"):
        cells = []
        for cell in row.xpath("./td"):
            html = lxml.html.tostring(cell, encoding="unicode")
            pieces = re.split(r"<br\s*/?>", html)
            lines = []
            for piece in pieces:
                fragment = lxml.html.fragment_fromstring(piece, create_parent="div")
                alts = fragment.xpath(".//img/@alt")
                lines.append(normalise(" ".join(alts) or fragment.text_content()))
            cells.append(lines)
        assert {len(lines) for lines in cells} == {3}
        rendered.extend(" ".join(lines[k] for lines in cells) for k in range(3))
    assert tuple(rendered) == GALLERY_LINES
    # Kal So-Won has no picture on the wiki: a red link to the upload page stands in.
    redlinks = table[0].xpath(".//a[contains(@class,'new')]")
    assert [normalise(a.text_content()) for a in redlinks] == ["Kal So-Won"]
    assert len(table[0].xpath(".//a[@class='image']/img")) == 8


def test_karla_blog_is_a_wordpress_post_with_three_comments() -> None:
    root = parse("001")
    assert root.xpath("//meta[@name='generator']/@content") == ["WordPress 5.5"]
    assert "single-post" in root.find("body").get("class").split()
    assert root.xpath(
        "//article[contains(concat(' ',@class,' '),' post ')]//*[@class='entry-content']"
    )
    comments = root.xpath("//ol[@class='comment-list']/li[contains(@class,'comment')]")
    assert len(comments) == 3
    assert all(re.fullmatch(r"comment-\d+", c.get("id", "")) for c in comments)
    authors = [normalise(c.xpath(".//b[@class='fn']")[0].text_content()) for c in comments]
    assert authors == ["Travel with Karla", "iamraediant", "KapampanganTraveller"]
    for comment in comments:
        assert comment.xpath("./article[@class='comment-body']/footer[@class='comment-meta']")
        assert comment.xpath(".//div[@class='comment-author vcard']/img[contains(@class,'avatar')]")
        assert comment.xpath(".//div[@class='comment-metadata']//time/@datetime")
        assert len(comment.xpath(".//div[@class='comment-content']/p")) == 1
        assert comment.xpath(".//div[@class='reply']/a[@class='comment-reply-link']")
    respond = root.get_element_by_id("respond")
    assert normalise(respond.get_element_by_id("reply-title").text_content()).startswith(
        "Leave a Reply"
    )


def test_xemovie_carries_a_movie_in_json_ld() -> None:
    root = parse("002")
    scripts = root.xpath("//script[@type='application/ld+json']/text()")
    documents = [json.loads(text) for text in scripts]
    movies = [d for d in documents if d.get("@type") == "Movie"]
    assert len(movies) == 1
    movie = movies[0]
    assert movie["name"] == "Miracle in cell no 7"
    assert movie["datePublished"] == "2013-01-23"
    assert movie["genre"] == ["Comedy", "Drama"]
    assert movie["director"] == {"@type": "Person", "name": "Lee Hwan-kyung"}
    assert [a["name"] for a in movie["actor"]] == [
        "Ryu Seung-ryong",
        "Kal So-won",
        "Park Shin-hye",
    ]
    assert movie["duration"] == "PT127M"
    assert movie["inLanguage"] == "ko"
    assert movie["countryOfOrigin"]["name"] == "South Korea"
    first_paragraph = seed_lines("002")[6]
    assert movie["description"] == first_paragraph
    assert root.xpath("//img[@alt='Xemovie Logo']")
    related = root.xpath("//div[contains(@class,'related-movies')]//div[@class='movie-item']")
    assert 8 <= len(related) <= 12


def test_dramadb_has_a_label_value_fact_box() -> None:
    root = parse("003")
    box = root.xpath("//div[contains(@class,'film-details')]")
    assert len(box) == 1
    # Three markup styles in one box, as such sites mix them.
    labels = [
        normalise(label.text_content())
        for label in box[0].xpath(
            ".//ul[contains(@class,'list')]/li/b[@class='inline']"
            " | .//div[@class='details-row']/span[@class='label']"
            " | .//p/strong"
        )
    ]
    assert labels == [
        "Director & Screenwriter:",
        "Release Date:",
        "Duration:",
        "Year:",
        "Country:",
        "Native Title:",
        "Content Rating:",
        "Alternative Titles:",
        "Genre:",
    ]
    votes = normalise(root.xpath("//div[contains(@class,'rating-box')]")[0].text_content())
    assert "Total votes: 19764" in votes


def test_yam_review_has_facts_comments_and_pingbacks() -> None:
    root = parse("004")
    assert root.xpath("//meta[@name='generator']/@content")[0].startswith("WordPress ")
    first = root.xpath("//div[contains(@class,'entry-content')]/p")[0]
    assert [normalise(s.text_content()) for s in first.xpath("./strong")] == [
        "Original Title:",
        "Release date:",
        "Director:",
        "Screenplay by:",
        "Cast:",
    ]
    assert len(first.xpath("./br")) == 4
    comments = root.xpath("//ol[contains(@class,'commentlist')]//li[contains(@class,'comment')]")
    pingbacks = root.xpath("//ol[contains(@class,'commentlist')]//li[contains(@class,'pingback')]")
    assert len(comments) == 2
    assert len(pingbacks) == 7
    reply = root.xpath("//li[contains(@class,'comment')]/ul[@class='children']/li")
    assert len(reply) == 1
    assert normalise(reply[0].xpath(".//cite[@class='fn']")[0].text_content()) == "amy"
    dates = [normalise(p.xpath(".//time")[0].text_content()) for p in pingbacks]
    assert dates[0] == "August 14, 2013"
    assert dates[-1] == "April 23, 2020"


def test_robots_and_sitemap_point_at_the_five_pages() -> None:
    robots = (SITE / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: {{BASE_URL}}/sitemap.xml" in robots.splitlines()
    assert "Disallow: /" not in robots
    sitemap = lxml.etree.parse(str(SITE / "sitemap.xml"))
    locations = sitemap.xpath(
        "//s:url/s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    )
    prefix = "{{BASE_URL}}/"
    assert all(loc.startswith(prefix) for loc in locations)
    served = sorted(f"{loc.removeprefix(prefix)}index.html" for loc in locations)
    assert served == sorted(PAGES.values())


@pytest.mark.parametrize("number", sorted(PAGES))
def test_pages_link_only_to_their_real_sites(number: str) -> None:
    # Served from 127.0.0.1, a page must still point at the original site so the crawler
    # has nothing local to follow apart from the sitemap.
    html = (SITE / PAGES[number]).read_text(encoding="utf-8")
    assert "127.0.0.1" not in html
    assert "localhost" not in html
    assert "{{BASE_URL}}" not in html
