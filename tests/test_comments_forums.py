"""Forum threads (issue 14): the opening post is the page's main text, the others are
comments; quotations of other posts are not a reply's own text; marked signatures stay
out, unmarked ones stay in. One small page per software version; the golden pages
(``tests/golden/comments/*-thread.json``, ``*-topic.json``) hold whole threads."""

from __future__ import annotations

import pytest

from crawler.extract.document import Document
from crawler.extract.families.discourse_comments import DiscourseCommentsExtractor
from crawler.extract.families.invision_comments import InvisionCommentsExtractor
from crawler.extract.families.phpbb_comments import PhpBBCommentsExtractor
from crawler.extract.families.vbulletin_comments import VBulletinCommentsExtractor
from crawler.extract.families.xenforo_comments import XenForoCommentsExtractor
from crawler.extract.page import extract_document
from crawler.extract.shared.comments import CommentExtractor
from crawler.extract.shared.forum import later_page
from schemas.records import CommentRecord


def comments(
    extractor: CommentExtractor, body: str, url: str = "https://forum.example/thread/1"
) -> list[CommentRecord]:
    doc = Document(url, f"<html><body>{body}</body></html>")
    return extractor.extract(doc).comments if extractor.matches(doc) else []


def summary(found: list[CommentRecord]) -> list[tuple[str | None, str | None, str]]:
    return [(c.author, c.published_raw, c.text) for c in found]


@pytest.mark.parametrize(
    ("url", "later"),
    [
        ("https://f.example/threads/sin-city.123/page-2", True),
        ("https://f.example/threads/sin-city.123/page-1", False),
        ("https://f.example/topic/55-title/page/3/", True),
        ("https://f.example/showthread.php?t=9&page=2", True),
        ("https://f.example/viewtopic.php?t=5&start=20", True),
        ("https://f.example/viewtopic.php?t=5&start=0", False),
        ("https://f.example/showthread.php?p=5828597", False),
        ("https://f.example/t/slug/8812?page=1", False),
        ("not a url at all", False),
    ],
)
def test_later_pages_of_a_thread(url: str, later: bool) -> None:
    assert later_page(url) is later


def vb3_post(pid: int, number: int, author: str, message: str, after: str = "") -> str:
    # vBulletin 3's postbit_legacy: a table per post, the message in post_message_N.
    return f"""
    <div id="edit{pid}"><table id="post{pid}" class="tborder" cellpadding="6">
    <tr><td class="thead"><a name="post{pid}"><img src="old.gif" alt="Old"></a>
      10-30-2005, 03:{number:02d} PM</td>
      <td class="thead" align="right">#<a href="showpost.php?p={pid}&amp;postcount={number}"
      id="postcount{pid}" name="{number}"><strong>{number}</strong></a></td></tr>
    <tr valign="top"><td class="alt2" width="175"><div id="postmenu_{pid}">{author}</div>
      <div class="smallfont">Member</div><div class="smallfont"><div>Join Date: Jun 2006</div>
      <div>Posts: 144</div></div></td>
    <td class="alt1" id="td_post_{pid}"><div class="smallfont"><strong>Re: Sin City</strong></div>
      <hr><div id="post_message_{pid}">{message}</div>{after}</td></tr>
    <tr><td class="alt2"><img src="offline.gif" alt="is offline"></td>
      <td class="alt1" align="right"><a href="newreply.php?do=newreply&amp;p={pid}">
      <img src="quote.gif" alt="Reply With Quote"></a></td></tr></table></div>"""


def user(name: str) -> str:
    return f'<a class="bigusername" href="member.php?u=1">{name}</a>'


VB3_QUOTE = (
    '<div style="margin:20px; margin-top:5px; "><div class="smallfont" '
    'style="margin-bottom:2px">Zitat:</div><table cellpadding="6" width="100%"><tr>'
    '<td class="alt2"><div>Originally Posted by <strong>otto</strong></div>'
    '<div style="font-style:italic">Is the director&#39;s cut worth it?</div></td></tr>'
    "</table></div>"
)


def vb3_thread(first: int = 1) -> str:
    return (
        "<div id='posts'>"
        + "".join(
            [
                vb3_post(
                    11, first, user("otto"), "Is the director's cut worth it? Asking for a friend."
                ),
                vb3_post(
                    12,
                    first + 1,
                    user("anna_k"),
                    VB3_QUOTE + "Yes, the extra scenes give the Yellow Bastard story room.",
                    "<div>__________________<br>Kino ist Leben.</div>",
                ),
                vb3_post(13, first + 2, "guest_77", "Only if you liked the first cut."),
            ]
        )
        + "</div>"
    )


def test_vbulletin3_opener_is_not_a_comment_and_quotes_are_not_the_reply() -> None:
    found = comments(VBulletinCommentsExtractor(), vb3_thread())
    assert summary(found) == [
        (
            "anna_k",
            "10-30-2005, 03:02 PM",
            # The unmarked signature after the message stays part of the post.
            "Yes, the extra scenes give the Yellow Bastard story room.\n\n__________________\n"
            "Kino ist Leben.",
        ),
        ("guest_77", "10-30-2005, 03:03 PM", "Only if you liked the first cut."),
    ]
    assert {c.kind for c in found} == {"comment"}


def test_a_later_page_has_no_opener_by_its_post_numbers() -> None:
    found = comments(VBulletinCommentsExtractor(), vb3_thread(first=11))
    assert [c.author for c in found] == ["otto", "anna_k", "guest_77"]


def test_the_opener_is_the_main_text_and_the_replies_are_pruned() -> None:
    html = (
        "<html><body><div class='navbar'><a href='/'>Forum</a> &gt; <a href='/f/2'>Movies</a>"
        "</div><h1>Sin City: director's cut?</h1>"
        + vb3_thread()
        + "<table class='similar'><tr><td>Similar Threads</td></tr>"
        "<tr><td><a href='/t/8'>Sin City 2 trailer</a></td></tr></table></body></html>"
    )
    result = extract_document("https://forum.example/showthread.php?t=1", html)
    assert "Is the director's cut worth it? Asking for a friend." in (result.clean_text or "")
    for leaked in ("Yellow Bastard", "Only if you liked", "Similar Threads", "Join Date"):
        assert leaked not in (result.clean_text or "")
    assert [c.author for c in result.comments] == ["anna_k", "guest_77"]


def test_a_thread_with_only_its_opener_has_no_comments() -> None:
    html = "<html><body><div id='posts'>" + vb3_post(11, 1, user("otto"), "Alone.") + "</div>"
    result = extract_document("https://forum.example/showthread.php?t=2", html + "</body></html>")
    assert result.comments == []


def test_vbulletin5_posts() -> None:
    def post(node: int, number: int, author: str, text: str) -> str:
        return f"""<li class="b-post js-post" data-node-id="{node}">
        <div class="b-userinfo"><div class="author"><strong><a href="/member/1">{author}</a>
        </strong></div></div><div class="b-post__body"><div class="b-post__timestamp">
        <time itemprop="dateCreated" datetime="2019-01-0{number}T10:00:00">Jan {number}</time>
        </div><a class="b-post__count" href="#post{node}">#{number}</a>
        <div class="js-post__content-text restore h-wordwrap" itemprop="text">{text}
        <div class="bbcode_container"><div class="bbcode_quote">quoted</div></div></div></div>
        </li>"""

    body = (
        "<ul class='conversation-list'>"
        + post(1, 1, "ja", "Opener.")
        + post(2, 2, "ty", "Reply text.")
        + "</ul>"
    )
    assert summary(comments(VBulletinCommentsExtractor(), body)) == [
        ("ty", "2019-01-02T10:00:00", "Reply text.")
    ]


def test_xenforo1_posts_with_quotes_and_signatures() -> None:
    def post(pid: int, number: int, author: str, text: str) -> str:
        return f"""<li id="post-{pid}" class="message" data-author="{author}">
        <div class="messageUserInfo"><h3 class="userText"><a class="username">{author}</a></h3>
        </div><div class="messageInfo primaryContent"><div class="messageContent"><article>
        <blockquote class="messageText SelectQuoteContainer ugc baseHtml">{text}
        <div class="bbCodeBlock bbCodeQuote" data-author="x"><aside><div class="attribution
        type">x said:</div><blockquote class="quoteContainer">quoted</blockquote></aside>
        </div></blockquote></article></div><div class="baseHtml signature">sig</div>
        <div class="messageMeta"><span class="DateTime" title="Mar 4, 2015 at 12:0{number} PM">
        Mar 4, 2015</span><a class="postNumber hashPermalink">#{number}</a></div></div></li>"""

    body = (
        "<ol id='messageList' class='messageList'>"
        + post(1, 1, "mia", "Opener")
        + post(2, 2, "leo", "Agreed, the remake is weaker.")
        + "</ol>"
    )
    assert summary(comments(XenForoCommentsExtractor(), body)) == [
        ("leo", "Mar 4, 2015 at 12:02 PM", "Agreed, the remake is weaker.")
    ]


def test_phpbb_subsilver2_and_a_later_page_without_numbers() -> None:
    def post(author: str, text: str) -> str:
        return f"""<table class="tablebg" width="100%"><tr class="row1"><td valign="top">
        <b class="postauthor">{author}</b></td><td><div class="gensmall"><div>Posted: Sun Jan
        07, 2018 9:20 pm</div></div></td></tr><tr class="row1"><td></td><td>
        <div class="postbody">{text}<div class="quotetitle">x wrote:</div>
        <div class="quotecontent">quoted</div></div></td></tr></table>"""

    body = post("ewa", "Opener.") + post("jan", "A reply.")
    extractor = PhpBBCommentsExtractor()
    assert [c.author for c in comments(extractor, body)] == ["jan"]
    later = comments(extractor, body, "https://forum.example/viewtopic.php?t=5&start=15")
    assert [(c.author, c.text) for c in later] == [("ewa", "Opener."), ("jan", "A reply.")]


def test_discourse_rendered_application() -> None:
    def post(number: int, author: str, text: str) -> str:
        return f"""<article id="post_{number}" class="boxed onscreen-post" data-post-id="9{number}">
        <div class="row"><div class="topic-avatar"><img alt=""></div><div class="topic-body">
        <div class="topic-meta-data"><div class="names"><span class="first username">
        <a href="/u/{author}">{author}</a></span></div><div class="post-infos"><div
        class="post-date"><a><span class="relative-date" title="May 20, 2023 10:1{number} am"
        data-time="1684577640000">1d</span></a></div></div></div><div class="regular contents">
        <div class="cooked"><aside class="quote"><blockquote>quoted</blockquote></aside>
        <p>{text}</p></div></div></div></div></article>"""

    body = post(1, "haruka", "Opener.") + post(2, "okon", "The Korean one, clearly.")
    assert summary(comments(DiscourseCommentsExtractor(), body)) == [
        ("okon", "May 20, 2023 10:12 am", "The Korean one, clearly.")
    ]


def test_ipboard3_posts() -> None:
    def post(number: int, author: str, text: str) -> str:
        return f"""<div class="post_block hentry clear" id="post_id_{number}0">
        <div class="post_wrap"><h3 class="row2"><span class="author vcard post_username">
        <a class="url fn name" href="/user/1-x/"><span itemprop="name">{author}</span></a>
        </span></h3><div class="author_info">Members 120 posts</div><div class="post_body">
        <p class="posted_info">Posted <abbr class="published" title="2012-05-0{number}T10:00:00">
        0{number} May 2012</abbr></p><span class="post_id"><a rel="bookmark">#{number}</a></span>
        <div class="post entry-content"><blockquote class="ipsBlockquote">quoted</blockquote>
        {text}</div><div class="signature">sig</div></div></div></div>"""

    body = post(1, "marc", "Opener.") + post(2, "lola", "Une réponse.")
    assert summary(comments(InvisionCommentsExtractor(), body)) == [
        ("lola", "2012-05-02T10:00:00", "Une réponse.")
    ]
