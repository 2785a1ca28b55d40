"""MediaWiki comment sections: AsianWiki's blocks and the Comments extension."""

from __future__ import annotations

from pathlib import Path

from crawler.extract.document import Document
from crawler.extract.families.mediawiki_comments import MediaWikiCommentsExtractor
from schemas.records import CommentRecord

REPO = Path(__file__).resolve().parents[1]
ASIANWIKI = REPO / "crawler/sample_site/site/asianwiki/Miracle_in_Cell_No.7/index.html"
EXTENSION = REPO / "tests/golden/comments/mediawiki-comments-extension.html"
EXTRACTOR = MediaWikiCommentsExtractor()
GENERATOR = "<meta name='generator' content='MediaWiki 1.19.2'>"


def comments(html: str) -> list[CommentRecord]:
    doc = Document("https://wiki.example.org/wiki/Film", html)
    return EXTRACTOR.extract(doc).comments if EXTRACTOR.matches(doc) else []


def block(author: str, text: str, extra: str = "", cls: str = "comment") -> str:
    return (
        f"<div class='{cls}'><div class='comment-user'><b>{author}</b> "
        "<time class='comment-date' datetime='2014-05-17T22:41:32Z'></time></div>"
        f"<div class='comment-text'>{text}</div>{extra}</div>"
    )


def wiki(body: str) -> str:
    return f"<html><head>{GENERATOR}</head><body><div id='aw-comments'>{body}</div></body></html>"


def test_asianwiki_block() -> None:
    [comment] = comments(wiki(block("Paul love", "<p>I cried a lot .\n</p>")))
    assert (comment.author, comment.text, comment.published_raw, comment.kind) == (
        "Paul love",
        "I cried a lot .",
        "2014-05-17T22:41:32Z",
        "comment",
    )


def test_asianwiki_quote_is_kept_between_paragraphs() -> None:
    text = '<p>Uh, you guys</p><p>Sarah wrote:</p><blockquote><p>"Why?"</p></blockquote><p>Sad.</p>'
    [comment] = comments(wiki(block("Collibosher", text)))
    assert comment.text == 'Uh, you guys\n\nSarah wrote:\n\n"Why?"\n\nSad.'


def test_asianwiki_replies_nested_or_marked() -> None:
    nested = block("B", "<p>nested answer</p>")
    html = wiki(
        block("A", "<p>question</p>", extra=nested)
        + block("C", "<p>marked answer</p>", cls="comment comment-reply")
        + block("D", "<p>new thread</p>")
    )
    assert [(c.author, c.kind, c.parent_position) for c in comments(html)] == [
        ("A", "comment", None),
        ("B", "reply", 0),
        ("C", "reply", 0),
        ("D", "comment", None),
    ]


def test_asianwiki_blocks_need_a_mediawiki_page() -> None:
    html = wiki(block("A", "<p>x</p>")).replace(GENERATOR, "")
    assert comments(html) == []
    # A mirror that drops the generator tag still has the skin's markup.
    skinned = html.replace("<body>", "<body class='mediawiki ltr skin-vector'>")
    assert [c.author for c in comments(skinned)] == ["A"]


def extension_item(user: str, text: str, cls: str = "full") -> str:
    return (
        f"<div class='c-item {cls}'><div class='c-container'><div class='c-user'>{user}"
        "<span class='c-user-level'>Rookie</span><div class='c-time'>3 days ago</div></div>"
        f"<div class='c-comment'>{text}</div><div class='c-actions'><a href='#'>Permalink</a>"
        "</div></div></div>"
    )


def test_comments_extension_authors_in_links_spans_and_text() -> None:
    # Issue 14: a rendition with the name in a <span> lost all 63 authors.
    items = (
        extension_item("<a href='/wiki/User:Ann' rel='nofollow'>Ann</a>", "Linked user here.")
        + extension_item("<span>Bo Ra</span>", "A skin without user links.")
        + extension_item("<span class='c-username'>Cy</span>", "A named span.", "reply")
        + extension_item("Anonymous #2", "An anonymous visitor.")
    )
    found = comments(f"<html><body><div id='allcomments'>{items}</div></body></html>")
    assert [(c.author, c.kind, c.published_raw) for c in found] == [
        ("Ann", "comment", "3 days ago"),
        ("Bo Ra", "comment", "3 days ago"),
        ("Cy", "reply", "3 days ago"),
        ("Anonymous #2", "comment", "3 days ago"),
    ]
    assert all("Rookie" not in c.text and "Permalink" not in c.text for c in found)


def test_asianwiki_sample_page_has_all_63_comments_in_order() -> None:
    found = comments(ASIANWIKI.read_text(encoding="utf-8"))
    assert len(found) == 63
    assert [c.author for c in found[:3]] == ["Paul love", "Eskimo", "jonah21"]
    assert found[-1].author == "Liza"
    jennie = next(c for c in found if c.author == "Jennie K")
    assert jennie.text.count("\n\n") == 2
    assert all(c.published_raw for c in found)
    assert all(c.kind == "comment" for c in found)


def test_comments_extension_threads_replies_and_skips_ignored_stubs() -> None:
    found = comments(EXTENSION.read_text(encoding="utf-8"))
    assert [(c.author, c.kind, c.parent_position, c.published_raw) for c in found] == [
        ("Minseo", "comment", None, "2 years ago"),
        ("Arturo", "reply", 0, "2 years ago"),
        ("Kezia", "comment", None, "1 year ago"),
    ]
    assert "Permalink" not in found[0].text
