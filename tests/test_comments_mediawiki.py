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


def test_needs_the_mediawiki_generator() -> None:
    html = wiki(block("A", "<p>x</p>")).replace(GENERATOR, "")
    assert comments(html) == []


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
