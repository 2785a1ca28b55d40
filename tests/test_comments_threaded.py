"""Slash-engine threads: nesting, collapsed comments, anonymous posters, truncation."""

from __future__ import annotations

from crawler.extract.document import Document
from crawler.extract.families.threaded_comments import ThreadedCommentsExtractor
from schemas.records import CommentRecord

EXTRACTOR = ThreadedCommentsExtractor()


def comment(cid: int, author: str, body: str, children: str = "", shrunk: bool = False) -> str:
    by = (
        f'by <a href="//slashdot.org/~{author}">{author} (1112659)</a>'
        if author
        else ("by Anonymous Coward")
    )
    more = (
        f'<div class="commentshrunk"><a href="?cid={cid}">Read the rest of this comment...</a>'
        "</div>"
        if shrunk
        else ""
    )
    return f"""
    <li id="tree_{cid}" class="comment"><div id="comment_status_{cid}" class="commentstatus"></div>
    <div id="comment_{cid}"><div class="commentTop newcomment">
      <div class="title"><h4><a name="{cid}">Re:Subject {cid}</a>
      <span class="score"> (Score:5, Insightful)</span></h4></div>
      <div class="details">{by}
      <span class="otherdetails">on Friday July 06, @08:55AM (<a href="?cid={cid}">#{cid}</a>)
      <small> </small></span></div></div>
    <div class="commentBody"><div id="comment_body_{cid}">{body}</div>{more}</div>
    <div class="commentSub">[ <a href="?pid=1">Parent</a> ]</div></div>
    <ul id="commtree_{cid}">{children}</ul></li>"""


def comments(items: str) -> list[CommentRecord]:
    doc = Document(
        "https://linux.slashdot.org/article.pl?sid=07/08/28",
        f"<html><body><ul id='commentlisting'>{items}</ul></body></html>",
    )
    return EXTRACTOR.extract(doc).comments if EXTRACTOR.matches(doc) else []


def test_comment_parts_without_subject_score_or_parent_link() -> None:
    [found] = comments(comment(1, "vigmeister", "How can MS be bound?<p>Cheers!</p>"))
    assert (found.author, found.published_raw, found.text) == (
        "vigmeister",
        "Friday July 06, @08:55AM",
        "How can MS be bound?\n\nCheers!",
    )


def test_replies_and_collapsed_comments() -> None:
    # A reply below the threshold is only a one-line link; its own replies answer the
    # nearest comment that has text.
    collapsed = '<li><a href="?cid=3">Re:Subject 1</a> by froggero1 (Score:1)<ul>'
    thread = comment(
        1,
        "a",
        "top",
        children=comment(2, "b", "answer") + collapsed + comment(4, "", "deep") + "</ul></li>",
    )
    found = comments(thread + comment(5, "e", "next thread"))
    assert [(c.author, c.text, c.kind, c.parent_position) for c in found] == [
        ("a", "top", "comment", None),
        ("b", "answer", "reply", 0),
        ("Anonymous Coward", "deep", "reply", 0),
        ("e", "next thread", "comment", None),
    ]


def test_shrunk_comment_is_truncated_and_link_left_out() -> None:
    [found] = comments(comment(7, "kebes", "<p>The copyright status is complex</p>", shrunk=True))
    assert found.truncated
    assert "Read the rest" not in found.text
