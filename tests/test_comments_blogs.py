"""Blog and discussion comment systems other than WordPress (issue 14): one small page
per markup variant; whole pages are golden pages in ``tests/golden/comments``."""

from __future__ import annotations

from crawler.extract.document import Document
from crawler.extract.families.blogger_comments import BloggerCommentsExtractor
from crawler.extract.families.discussion_comments import DiscussionCommentsExtractor
from crawler.extract.families.drupal_comments import DrupalCommentsExtractor
from crawler.extract.families.livejournal_comments import LiveJournalCommentsExtractor
from crawler.extract.families.pixnet_comments import PixnetCommentsExtractor
from crawler.extract.page import extract_document
from crawler.extract.shared.comments import CommentExtractor
from schemas.records import CommentRecord


def comments(extractor: CommentExtractor, body: str) -> list[CommentRecord]:
    doc = Document("https://blog.example/post/1", f"<html><body>{body}</body></html>")
    return extractor.extract(doc).comments if extractor.matches(doc) else []


def threaded(found: list[CommentRecord]) -> list[tuple[str | None, str, int | None, str]]:
    return [(c.author, c.kind, c.parent_position, c.text) for c in found]


def test_drupal7_replies_follow_their_comment_in_an_indented_block() -> None:
    def comment(cid: int, name: str, text: str) -> str:
        return f"""<a id="comment-{cid}"></a><div class="comment comment-by-anonymous clearfix"
        typeof="sioc:Post sioct:Comment"><div class="attribution"><div class="comment-submitted">
        <p class="commenter-name"><span rel="sioc:has_creator"><span class="username">{name}
        </span></span></p><p class="comment-time">Tue, 01/0{cid}/2013 - 12:00</p></div></div>
        <div class="comment-text"><div class="content"><div class="field field-name-comment-body
        field-type-text-long field-label-hidden"><div class="field-items"><div class="field-item
        even"><p>{text}</p></div></div></div></div><ul class="links inline"><li
        class="comment-reply first last"><a href="/comment/reply/1/{cid}">reply</a></li></ul>
        </div></div>"""

    body = (
        "<div id='comments' class='comment-wrapper'><h2 class='title'>Comments</h2>"
        + comment(1, "Ana (not verified)", "First!")
        + "<div class='indented'>"
        + comment(2, "Ben", "Answer to Ana.")
        + "<div class='indented'>"
        + comment(3, "Ana (not verified)", "Thanks Ben.")
        + "</div></div>"
        + comment(4, "Cleo", "Another top-level comment.")
        + "</div>"
    )
    found = comments(DrupalCommentsExtractor(), body)
    assert threaded(found) == [
        ("Ana", "comment", None, "First!"),
        ("Ben", "reply", 0, "Answer to Ana."),
        ("Ana", "reply", 1, "Thanks Ben."),
        ("Cleo", "comment", None, "Another top-level comment."),
    ]
    assert found[0].published_raw == "Tue, 01/01/2013 - 12:00"


def test_drupal_submitted_line_gives_the_date() -> None:
    body = """<div id="comments"><article data-comment-user-id="0" id="comment-7"
    class="comment js-comment by-anonymous"><div class="submitted">Submitted by <span
    class="username">Lea</span> on Sun, 04/10/2022 - 17:20</div><div class="field
    field--name-comment-body"><p>Nice write-up.</p></div></article><article
    data-comment-user-id="5" id="comment-8" class="comment js-comment"><div class="submitted">
    Submitted by <span class="username">Tom</span> on Mon, 04/11/2022 - 09:00</div><div
    class="field field--name-comment-body"><p>Agreed.</p></div></article></div>"""
    found = comments(DrupalCommentsExtractor(), body)
    assert [(c.author, c.published_raw) for c in found] == [
        ("Lea", "Sun, 04/10/2022 - 17:20"),
        ("Tom", "Mon, 04/11/2022 - 09:00"),
    ]


def test_blogger_classic_comment_list() -> None:
    body = """<div id="comments"><h4>2 comments:</h4><dl id="comments-block">
    <dt class="comment-author" id="c1"><a name="c1"></a><a href="https://www.blogger.com/profile/1"
    rel="nofollow">Rina</a> said...</dt><dd class="comment-body"><p>Nonton tiga kali, tetap
    nangis.</p></dd><dd class="comment-footer"><span class="comment-timestamp"><a href="#c1"
    title="comment permalink">April 12, 2020 at 9:00 PM</a></span></dd>
    <dt class="comment-author" id="c2"><a name="c2"></a>Anonymous said...</dt><dd
    class="comment-body"><p>Film terbaik!</p></dd><dd class="comment-footer"><span
    class="comment-timestamp"><a href="#c2">April 13, 2020 at 8:15 AM</a></span></dd></dl></div>"""
    found = comments(BloggerCommentsExtractor(), body)
    assert [(c.author, c.published_raw, c.text) for c in found] == [
        ("Rina", "April 12, 2020 at 9:00 PM", "Nonton tiga kali, tetap nangis."),
        ("Anonymous", "April 13, 2020 at 8:15 AM", "Film terbaik!"),
    ]


def test_blogger_beats_the_wordpress_reading_of_its_list_items() -> None:
    html = (
        "<html><body><div id='comments' class='comments threaded'><div class='comment-thread'>"
        "<ol><li class='comment' id='c1'><div class='comment-block'><div class='comment-header'>"
        "<cite class='user'><a href='/profile/1'>Dewi</a></cite><span class='datetime'>"
        "<a href='?showComment=1#c1'>1 Mei 2021 19.00</a></span></div><p class='comment-content'>"
        "Bagus sekali.</p></div></li><li class='comment' id='c2'><div class='comment-block'>"
        "<div class='comment-header'><cite class='user'>Anonim</cite><span class='datetime'>"
        "<a href='?showComment=2#c2'>2 Mei 2021 08.00</a></span></div><p class='comment-content'>"
        "Setuju.</p></div></li></ol></div></div></body></html>"
    )
    result = extract_document("https://x.blogspot.com/2021/05/film.html", html)
    assert [(c.extractor, c.author, c.published_raw) for c in result.comments] == [
        ("blogger-comments", "Dewi", "1 Mei 2021 19.00"),
        ("blogger-comments", "Anonim", "2 Mei 2021 08.00"),
    ]


def test_livejournal_classic_indentation_by_margin() -> None:
    def comment(cid: int, margin: int, user: str, text: str) -> str:
        return f"""<div id="ljcmt{cid}" style="margin-left: {margin}px; margin-top: 5px">
        <div class="comment-wrap"><div class="comment-head"><span class="ljuser"><a
        href="https://{user}.livejournal.com/"><b>{user}</b></a></span> <span
        class="comment-datetime">2010-05-0{cid} 10:00 am UTC</span></div>
        <div class="comment-body">{text}</div><div class="comment-links"><a>Reply</a></div>
        </div></div>"""

    body = (
        comment(1, 0, "ivan", "Смотрел вчера.")
        + comment(2, 25, "olga", "И как?")
        + comment(3, 50, "ivan", "Плакал.")
        + comment(4, 25, "petr", "Я тоже смотрел.")
        + comment(5, 0, "maria", "Отличный фильм.")
    )
    found = comments(LiveJournalCommentsExtractor(), body)
    assert [(c.author, c.parent_position) for c in found] == [
        ("ivan", None),
        ("olga", 0),
        ("ivan", 1),
        ("petr", 0),
        ("maria", None),
    ]
    assert all("Reply" not in c.text for c in found)


def test_lobsters_replies_in_the_list_after_the_comment() -> None:
    def comment(short: str, user: str, text: str, replies: str = "") -> str:
        return f"""<li class="comments_subtree"><div class="comment" id="c_{short}"
        data-shortid="{short}"><div class="details"><div class="byline"><a href="/~{user}">
        <img class="avatar" alt=""></a> <a href="/~{user}">{user}</a> <span
        title="2023-08-04 10:0{len(short)}:00 -0500">1 year ago</span> | <a href="#c_{short}">
        link</a></div><div class="comment_text"><p>{text}</p></div></div></div>
        <ol class="comments">{replies}</ol></li>"""

    body = (
        "<ol class='comments comments1'>"
        + comment(
            "a1", "joe", "Top.", comment("b22", "sam", "Reply.", comment("c333", "joe", "Deep."))
        )
        + comment("d4", "kim", "Second top.")
        + "</ol>"
    )
    found = comments(DiscussionCommentsExtractor(), body)
    assert [(c.author, c.parent_position, c.text) for c in found] == [
        ("joe", None, "Top."),
        ("sam", 0, "Reply."),
        ("joe", 1, "Deep."),
        ("kim", None, "Second top."),
    ]


def test_old_reddit_nesting_and_deleted_bodies() -> None:
    def thing(tid: str, author: str, text: str, children: str = "") -> str:
        return f"""<div class=" thing id-t1_{tid} comment " data-author="{author}"
        data-type="comment"><div class="entry unvoted"><p class="tagline"><a class="author">
        {author}</a> <time datetime="2021-01-01T12:00:00+00:00">3 years ago</time></p>
        <form class="usertext"><div class="usertext-body may-blank-within md-container"><div
        class="md"><p>{text}</p></div></div></form><ul class="flat-list buttons"><li>
        <a>permalink</a></li></ul></div><div class="child"><div class="sitetable listing">
        {children}</div></div></div>"""

    body = (
        "<div class='commentarea'><div class='sitetable nestedlisting'>"
        + thing(
            "a",
            "u1",
            "Original is better.",
            thing("b", "[deleted]", "[deleted]", thing("c", "u3", "Still agree with u1.")),
        )
        + thing("d", "u4", "Remake for me.")
        + "</div></div>"
    )
    found = comments(DiscussionCommentsExtractor(), body)
    assert [(c.author, c.parent_position, c.text) for c in found] == [
        ("u1", None, "Original is better."),
        # The deleted comment is gone; its reply answers its parent.
        ("u3", 0, "Still agree with u1."),
        ("u4", None, "Remake for me."),
    ]


def test_pixnet_owner_reply_without_a_named_author() -> None:
    body = """<div id="comment-text"><ul class="single-post"><li class="post-info"><span
    class="user-name">阿明</span><span class="post-time">於 2013/03/16 22:41 回覆</span></li>
    <li class="post-text">好看！</li><li class="reply-text">版主回覆：(03/17/2013 09:12:05 AM)
    <br>謝謝！</li></ul></div>"""
    found = comments(PixnetCommentsExtractor(), body)
    assert [(c.author, c.kind, c.published_raw, c.text) for c in found] == [
        ("阿明", "comment", "2013/03/16 22:41", "好看！"),
        (None, "reply", "03/17/2013 09:12:05 AM", "謝謝！"),
    ]


def test_reddit_shreddit_comments_nest() -> None:
    def comment(author: str, depth: int, text: str, replies: str = "") -> str:
        return f"""<shreddit-comment author="{author}" depth="{depth}" thingid="t1_{author}">
        <div slot="commentMeta"><a href="/user/{author}/">{author}</a> · <faceplate-timeago
        ts="2024-02-0{depth + 1}T10:00:00.000Z"><time datetime="2024-02-0{depth + 1}T10:00:00.000Z"
        >1y ago</time></faceplate-timeago></div><div slot="comment"><p>{text}</p></div>
        <shreddit-comment-action-row slot="actionRow">Reply Share</shreddit-comment-action-row>
        {replies}</shreddit-comment>"""

    body = (
        "<shreddit-comment-tree>"
        + comment(
            "kimchi_fan", 0, "The Korean original is better.", comment("ankara99", 1, "Disagree.")
        )
        + comment("lurker", 0, "Both made me cry.")
        + "</shreddit-comment-tree>"
    )
    found = comments(DiscussionCommentsExtractor(), body)
    assert [(c.author, c.parent_position, c.published_raw, c.text) for c in found] == [
        ("kimchi_fan", None, "2024-02-01T10:00:00.000Z", "The Korean original is better."),
        ("ankara99", 0, "2024-02-02T10:00:00.000Z", "Disagree."),
        ("lurker", None, "2024-02-01T10:00:00.000Z", "Both made me cry."),
    ]
