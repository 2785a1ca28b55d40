"""The last-resort extractor: repeated author + text blocks, and what it must refuse."""

from __future__ import annotations

from pathlib import Path

from crawler.extract.document import Document
from crawler.extract.families.generic_comments import GenericCommentsExtractor
from schemas.records import CommentRecord

GOLDEN = Path(__file__).parent / "golden" / "comments"
EXTRACTOR = GenericCommentsExtractor()


def comments(body: str) -> list[CommentRecord]:
    doc = Document("https://site.example/page", f"<html><body>{body}</body></html>")
    return EXTRACTOR.extract(doc).comments


def post(author: str, text: str, inner: str = "", cls: str = "entry") -> str:
    return (
        f"<div class='{cls}'><span class='user-name'>{author}</span>"
        "<span class='posted-date'>1 May 2020</span>"
        f"<div class='message'><p>{text}</p>{inner}</div></div>"
    )


def test_repeated_blocks_in_a_discussion_region() -> None:
    body = (
        "<div class='discussion'>"
        + post("ann", "The first hour is a comedy, the rest is a tragedy.")
        + post("bo", "I watched it twice and cried twice, as expected.")
        + "</div>"
    )
    found = comments(body)
    assert [(c.author, c.published_raw, c.text) for c in found] == [
        ("ann", "1 May 2020", "The first hour is a comedy, the rest is a tragedy."),
        ("bo", "1 May 2020", "I watched it twice and cried twice, as expected."),
    ]
    assert {c.extractor for c in found} == {"generic-comments"}


def test_nested_blocks_are_replies_and_not_part_of_the_parent_text() -> None:
    body = (
        "<div class='comments'>"
        + post(
            "ann",
            "Is the remake worth watching at all?",
            inner=post("bo", "Yes, the ending differs a lot."),
        )
        + post("cy", "The original is better in every way.")
        + "</div>"
    )
    found = comments(body)
    assert [(c.author, c.kind, c.parent_position, c.text) for c in found] == [
        ("ann", "comment", None, "Is the remake worth watching at all?"),
        ("bo", "reply", 0, "Yes, the ending differs a lot."),
        ("cy", "comment", None, "The original is better in every way."),
    ]


def test_needs_a_comment_context() -> None:
    body = "<div class='team'>" + post("ann", "A" * 40) + post("bo", "B" * 40) + "</div>"
    assert comments(body) == []
    assert len(comments("<h2>Reader comments</h2><div>" + body[len("<div class='team'>") :])) == 2


def test_a_single_block_is_not_a_thread() -> None:
    assert (
        comments("<div class='comments'>" + post("ann", "Only one comment here, sadly.") + "</div>")
        == []
    )


def test_short_texts_are_not_comments() -> None:
    body = "<div class='comments'>" + post("ann", "ok") + post("bo", "yes") + "</div>"
    assert comments(body) == []


def test_sidebars_and_widgets_are_ignored() -> None:
    thread = "<div class='comments'>" + post("ann", "A" * 40) + post("bo", "B" * 40) + "</div>"
    assert comments(f"<aside>{thread}</aside>") == []
    assert comments(f"<div class='sidebar'>{thread}</div>") == []
    assert comments(f"<div id='recentcomments'>{thread}</div>") == []


def test_link_lists_are_not_comments() -> None:
    # A "recent comments" list: every text is a link to another post.
    item = (
        "<li class='rc'><span class='comment-author'>{0}</span> on "
        "<a class='comment-text' href='/p/{0}'>A long title of some other post about films</a></li>"
    )
    body = "<ul class='comments'>" + item.format("ann") + item.format("bo") + "</ul>"
    assert comments(body) == []


def test_critics_quotes_are_not_comments() -> None:
    quote = (
        "<div class='quote'><div class='content'><p>Funny in spots, but bloody uneven.</p></div>"
        "<div class='criticContent'><div class='author'><a>Robert Roten</a></div></div></div>"
    )
    assert comments("<div class='reviews'>" + quote + quote + "</div>") == []


def test_golden_forum_prunes_only_the_thread() -> None:
    html = (GOLDEN / "forum-generic.html").read_text(encoding="utf-8")
    extraction = EXTRACTOR.extract(
        Document("https://board.example.org/t/miracle-in-cell-no-7-worth-the-hype/5521", html)
    )
    assert len(extraction.comments) == 4
    # The thread's container, by its classes and the blocks it holds: not the sidebar's
    # "post-item" links, not a loose class that could match the article.
    assert extraction.prune_xpaths == [
        "//div[contains(concat(' ',normalize-space(@class),' '),' topic-posts ')]"
        "[.//div[contains(concat(' ',normalize-space(@class),' '),' post-item ')]]"
    ]
