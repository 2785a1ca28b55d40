"""No HTML, however odd, makes an extractor raise.

The generated pages mix the markup the extractors look for (infoboxes, fact-box labels,
cast galleries, MediaWiki and WordPress ids and classes, schema.org microdata and
JSON-LD) with random text, attributes and nesting.
"""

from __future__ import annotations

import json
from html import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract.document import Document
from crawler.extract.page import extract_document, extraction_errors
from crawler.extract.registry import all_extractors

TAGS = [
    "div", "p", "span", "b", "strong", "a", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "small", "sup", "i", "article",
    "section", "nav", "footer", "form", "time", "fb:like",
]  # fmt: skip
CLASSES = [
    "infobox", "infobox vevent", "entry-content", "post-content", "character", "char",
    "name", "label", "type", "meta-label", "plainlist", "reference", "mw-headline",
    "mw-editsection", "comments", "menu", "aw-cast", "w4g_rb-area", "title-extra", "main",
    "summary", "entry-title", "film-title", "references", "",
]  # fmt: skip
IDS = ["mw-content-text", "firstHeading", "tn15title", "comments", "Cast", "Notes", "x", ""]
WORDS = [
    "Director:", "Directed by", "Cast", "Starring", "Writers (WGA):", "Release date:",
    "Runtime:", "Rating:", "★★★¾☆", "9.5/10", "(1445 votes)", " as ", "Ryu Seung-ryong",
    "2013", "(1988)", "South Korean", "comedy-drama film", "is a", "Genre:", "режиссер",
    "Dirección", "·", "|", "...", "more", "See more »", "&", ",", "\u00a0", "\u200b",
    "7번방의 선물", "Total votes:", "=", "$675 120 017", "Box office", ":", "", "\n", "\x08",
]  # fmt: skip

words = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=6).map(" ".join)


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attributes = ""
    if draw(st.booleans()):
        attributes += f' class="{escape(draw(st.sampled_from(CLASSES)))}"'
    if draw(st.integers(0, 4)) == 0:
        attributes += f' id="{escape(draw(st.sampled_from(IDS)))}"'
    if draw(st.integers(0, 6)) == 0:
        attributes += ' itemscope itemtype="http://schema.org/Movie"'
    if draw(st.integers(0, 6)) == 0:
        prop = draw(st.sampled_from(["name", "director", "actor", "genre", "datePublished"]))
        attributes += f' itemprop="{prop}"'
    if draw(st.integers(0, 8)) == 0:
        attributes += ' style="display:none"'
    children = []
    if depth < 4:
        children = draw(st.lists(elements(depth + 1) | words.map(escape), max_size=4))
    closing = "" if draw(st.integers(0, 10)) == 0 else f"</{tag}>"  # broken markup too
    return f"<{tag}{attributes}>{escape(draw(words))}{''.join(children)}{closing}"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.sampled_from(WORDS),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "name",
                    "director",
                    "actor",
                    "aggregateRating",
                    "genre",
                    "ratingValue",
                    "bestRating",
                    "characterName",
                    "@graph",
                    "datePublished",
                    "itemReviewed",
                    "alternateName",
                    "startDate",
                ]
            ),
            children | st.sampled_from(["Movie", "TVSeries", "Person", "PerformanceRole"]),
            max_size=4,
        )
    ),
    max_leaves=12,
)


@st.composite
def pages(draw: st.DrawFn) -> str:
    head = ""
    if draw(st.booleans()):
        head += '<meta name="generator" content="{}">'.format(
            draw(st.sampled_from(["MediaWiki 1.35", "WordPress 5.5", "Joomla"]))
        )
    if draw(st.booleans()):
        og = draw(st.sampled_from(["video.movie", "video.tv_show", "article"]))
        title = escape(draw(words))
        head += f'<meta property="og:type" content="{og}">'
        head += f'<meta property="og:title" content="{title}">'
    for _ in range(draw(st.integers(0, 2))):
        data = draw(json_values)
        text = (
            json.dumps(data)
            if draw(st.booleans())
            else json.dumps(data)[: draw(st.integers(0, 40))]
        )
        head += f'<script type="application/ld+json">{text}</script>'
    body_class = draw(st.sampled_from(["", "single-post postid-1", "mediawiki"]))
    body = "".join(draw(st.lists(elements(), max_size=5)))
    return f'<html><head>{head}</head><body class="{body_class}">{body}</body></html>'


URLS = st.sampled_from(
    [
        "https://example.org/",
        "https://example.org/2020/09/miracle-in-cell-no-7/",
        "http://127.0.0.1:8000/a/b/index.html",
        "",
        "::",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=pages(), url=URLS)
def test_extractors_never_raise_on_html(html: str, url: str) -> None:
    doc = Document(url, html)
    for extractor in all_extractors():
        if extractor.matches(doc):
            extraction = extractor.extract(doc)
            for path in extraction.prune_xpaths:
                doc.tree.xpath(path)  # every prune path is valid XPath


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=pages() | st.text(max_size=300))
def test_extract_document_never_raises(html: str) -> None:
    result = extract_document("https://example.org/film", html)
    assert extraction_errors(result) == []
