"""WordPress comment lists: threading, pingbacks, authors, dates, further pages, traps."""

from __future__ import annotations

from pathlib import Path

from crawler.extract.document import Document
from crawler.extract.families.wordpress_comments import (
    WordPressCommentsExtractor,
    comment_page_urls,
)
from crawler.extract.page import extract_document
from schemas.records import CommentRecord

GOLDEN = Path(__file__).parent / "golden" / "comments"
EXTRACTOR = WordPressCommentsExtractor()
URL = "https://blog.example.org/2021/05/a-post/"


def comments(html: str, url: str = URL) -> list[CommentRecord]:
    doc = Document(url, html)
    if not EXTRACTOR.matches(doc):
        return []
    return EXTRACTOR.extract(doc).comments


def li(body: str, *, cls: str = "comment", ident: str = "1", children: str = "") -> str:
    nested = f"<ul class='children'>{children}</ul>" if children else ""
    return f"<li id='comment-{ident}' class='{cls} depth-1'>{body}{nested}</li>"


def html5(author: str, text: str, date: str = "2021-05-03T09:12:44+00:00") -> str:
    return (
        "<article class='comment-body'><footer class='comment-meta'>"
        f"<div class='comment-author vcard'><img class='avatar' alt=''><b class='fn'>{author}</b>"
        " <span class='says'>says:</span></div>"
        f"<div class='comment-metadata'><a href='#c'><time datetime='{date}'>May 3</time></a></div>"
        f"</footer><div class='comment-content'><p>{text}</p></div>"
        "<div class='reply'><a class='comment-reply-link'>Reply</a></div></article>"
    )


def page(items: str, list_class: str = "comment-list") -> str:
    return (
        "<html><body><article><p>Post text.</p></article><div id='comments' class='comments-area'>"
        f"<ol class='{list_class}'>{items}</ol></div></body></html>"
    )


def test_html5_comment_parts() -> None:
    [comment] = comments(page(li(html5("Ana", "Great film."))))
    assert (comment.author, comment.text, comment.published_raw) == (
        "Ana",
        "Great film.",
        "2021-05-03T09:12:44+00:00",
    )
    assert (comment.kind, comment.position, comment.parent_position) == ("comment", 0, None)
    assert comment.extractor == "wordpress-comments"


def test_nested_children_are_replies_to_their_parent() -> None:
    thread = li(
        html5("A", "one"),
        ident="1",
        children=li(html5("B", "two"), ident="2", children=li(html5("C", "three"), ident="3")),
    ) + li(html5("D", "four"), ident="4")
    found = comments(page(thread))
    assert [(c.author, c.text, c.kind, c.parent_position) for c in found] == [
        ("A", "one", "comment", None),
        ("B", "two", "reply", 0),
        ("C", "three", "reply", 1),
        ("D", "four", "comment", None),
    ]


def test_classic_comment_body_without_content_wrapper() -> None:
    # Older themes put the paragraphs straight into .comment-body after the header.
    body = (
        "<div class='comment-body'><div class='comment-author vcard'><cite class='fn'>Gloria</cite>"
        " <span class='says'>says:</span></div><div class='comment-meta commentmetadata'>"
        "<a href='#c'>July 30, 2011 at 7:48 pm</a></div><p>The Wilson sisters.</p>"
        "<p>Barracuda!</p><div class='reply'><a>Reply</a></div></div>"
    )
    [comment] = comments(page(li(body), list_class="commentlist"))
    assert comment.author == "Gloria"
    assert comment.published_raw == "July 30, 2011 at 7:48 pm"
    assert comment.text == "The Wilson sisters.\n\nBarracuda!"


def test_author_in_strong_with_date_in_permalink() -> None:
    # GiveWell's theme: "<strong>Name</strong> on <a>date</a> said:"
    body = (
        "<div class='comment-body'><div class='comment-author'><strong>Milan Griffes</strong> on "
        "<a href='https://x/#comment-9'>September 12, 2018 at 4:47 pm</a> said:</div>"
        "<p>Any update?</p></div>"
    )
    [comment] = comments(page(li(body)))
    assert comment.author == "Milan Griffes"
    assert comment.published_raw == "September 12, 2018 at 4:47 pm"
    assert comment.text == "Any update?"


def test_pingback_and_trackback_name_the_linking_post() -> None:
    items = li(
        "<p>Pingback: <a class='url' href='https://b.example/p'>Top 10 | Film Notes</a></p>",
        cls="pingback",
        ident="5",
    ) + li(
        "<div class='comment-body'>Trackback: <a class='url' href='https://c.example/t'>Digest</a>"
        "<p>[…] a great list […]</p></div>",
        cls="trackback",
        ident="6",
    )
    found = comments(page(items))
    assert [(c.kind, c.author, c.text) for c in found] == [
        ("pingback", "Top 10 | Film Notes", "Top 10 | Film Notes"),
        ("pingback", "Digest", "[…] a great list […]"),
    ]


def test_pingback_whose_link_shows_a_date_is_named_by_its_url() -> None:
    item = li(
        "<div class='comment-body'><div class='comment-meta commentmetadata'>"
        "<a class='url' href='http://other.example/post/'><time datetime='2013-08-14'>"
        "August 14, 2013</time></a></div><p>[…] Miracle in Cell 7 […]</p></div>",
        cls="pingback",
    )
    [comment] = comments(page(item))
    assert comment.author == "http://other.example/post/"
    assert comment.published_raw == "2013-08-14"
    assert comment.text == "[…] Miracle in Cell 7 […]"


def test_div_style_comment_list() -> None:
    html = (
        "<html><body><div id='comments'><div class='commentlist'>"
        "<div id='comment-7' class='comment depth-1'><div class='comment-author'>"
        "<cite class='fn'>Ike</cite></div><div class='comment-content'><p>Hi</p></div></div>"
        "</div></div></body></html>"
    )
    assert [(c.author, c.text) for c in comments(html)] == [("Ike", "Hi")]


def test_thesis_definition_list() -> None:
    html = (
        "<html><body><div id='comments'><dl id='comment_list'>"
        "<dt class='comment depth-1' id='comment-1'><span class='comment_author'>Armanox</span>"
        "<span class='comment_time'><a href='#comment-1'>June 28, 2015 at 10:25 pm</a></span></dt>"
        "<dd class='comment'><div class='format_text'><p>No Shagrath?<br>Really?</p></div></dd>"
        "</dl></div></body></html>"
    )
    [comment] = comments(html)
    assert (comment.author, comment.published_raw, comment.text) == (
        "Armanox",
        "June 28, 2015 at 10:25 pm",
        "No Shagrath?\nReally?",
    )


def test_recent_comments_widget_and_form_give_nothing() -> None:
    html = (GOLDEN / "wordpress-form-only.html").read_text(encoding="utf-8")
    doc = Document("https://filmkabinett.example.de/2022/01/das-boot-directors-cut/", html)
    assert not EXTRACTOR.matches(doc)


def test_widget_items_styled_as_comments_are_ignored() -> None:
    html = (
        "<html><body><aside class='widget-area'><div id='comments' class='widget'>"
        "<ol class='comment-list'>" + li(html5("X", "other post")) + "</ol></div></aside>"
        "</body></html>"
    )
    assert comments(html) == []


def test_comment_form_item_text_is_dropped() -> None:
    found = comments(page(li(html5("A", "Leave a Reply")) + li(html5("B", "Real"), ident="2")))
    assert [(c.author, c.position) for c in found] == [("B", 0)]


def test_further_comment_pages_of_this_post_only() -> None:
    html = (
        "<html><body><div id='comments'><ol class='comment-list'>" + li(html5("A", "x")) + "</ol>"
        "<div class='nav-links'><a href='/2021/05/a-post/comment-page-2/#comments'>Older</a>"
        "<a href='https://blog.example.org/2021/05/a-post/comment-page-2/'>2</a>"
        "<a href='?cpage=3#comments'>3</a></div></div>"
        "<a href='/2021/05/a-post/comment-page-1/#comment-3'>self page</a>"
        "<div class='widget'><a href='/2021/04/other/comment-page-4/#comment-9'>Other</a></div>"
        "<a href='/2021/04/other/comment-page-2/'>other post</a>"
        "</body></html>"
    )
    doc = Document(URL + "comment-page-1/", html)
    assert comment_page_urls(doc) == [
        "https://blog.example.org/2021/05/a-post/comment-page-2/",
        "https://blog.example.org/2021/05/a-post/comment-page-1/?cpage=3",
    ]
    assert EXTRACTOR.extract(doc).comment_page_urls == comment_page_urls(doc)


def test_golden_thread_pages_and_dates() -> None:
    html = (GOLDEN / "wordpress-thread.html").read_text(encoding="utf-8")
    extraction = EXTRACTOR.extract(
        Document("https://reelnotes.example.org/2021/05/prison-films/", html)
    )
    assert extraction.comment_page_urls == [
        "https://reelnotes.example.org/2021/05/prison-films/comment-page-2/"
    ]
    assert extraction.comments[0].published_raw == "2021-05-03T09:12:44+00:00"
    assert extraction.comments[4].published_raw is None
    assert extraction.prune_regions  # the thread and the form, as elements (issue 16)


def test_tree_is_not_modified() -> None:
    html = (GOLDEN / "wordpress-thread.html").read_text(encoding="utf-8")
    doc = Document(URL, html)
    before = doc.tree.text_content()
    EXTRACTOR.extract(doc)
    assert doc.tree.text_content() == before


def test_a_further_comment_page_is_not_also_a_followed_link() -> None:
    # It is handed on as a further comment page (as deep as its page, continuing its
    # film); listed among the followed links too, it was stored as one (page_links
    # keeps one kind per link) and lost its film.
    html = (GOLDEN / "wordpress-thread.html").read_text(encoding="utf-8")
    record = extract_document("https://reelnotes.example.org/2021/05/prison-films/", html)
    assert record.comment_page_urls == [
        "https://reelnotes.example.org/2021/05/prison-films/comment-page-2/"
    ]
    assert record.links
    assert not set(record.links) & set(record.comment_page_urls)
