"""Shared comment machinery: plain text from markup, authors, boilerplate, numbering."""

from __future__ import annotations

import lxml.etree
import lxml.html
import pytest

from crawler.extract.shared.comments import (
    FoundComment,
    build_records,
    clean_author,
    clean_date,
    flatten,
    is_form_text,
    is_placeholder,
    plain_text,
    strip_chrome_lines,
)


def text_of(html: str) -> str:
    return flatten(lxml.html.fragment_fromstring(html, create_parent="div"))


def test_paragraphs_are_joined_by_a_blank_line() -> None:
    assert text_of("<p>One.</p><p>Two.</p>") == "One.\n\nTwo."


def test_br_is_a_line_break_and_two_br_a_paragraph() -> None:
    assert text_of("<p>a<br>b<br><br>c</p>") == "a\nb\n\nc"
    assert text_of("<p>a<br />\n<br />\nb</p>") == "a\n\nb"


def test_source_newlines_and_runs_of_spaces_are_ordinary_whitespace() -> None:
    assert text_of("<p>  one\n   two&nbsp;&nbsp;three  </p>") == "one two three"


def test_inline_markup_is_text_and_blockquotes_are_kept() -> None:
    html = "<p>I <b>loved</b> <a href='#'>it</a>.</p><blockquote><p>Quoted.</p></blockquote>"
    assert text_of(html) == "I loved it.\n\nQuoted."


def test_scripts_styles_forms_and_media_are_left_out() -> None:
    html = (
        "<p>Kept</p><script>alert(1)</script><style>p{}</style><noscript>JS</noscript>"
        "<form><textarea>draft</textarea><button>Send</button></form>"
        "<iframe>frame</iframe><img alt='photo'>"
    )
    assert text_of(html) == "Kept"


def test_chrome_is_left_out_by_class() -> None:
    html = (
        "<div class='comment-author'><b class='fn'>Jo</b> <span class='says'>says:</span></div>"
        "<p>Text</p><div class='reply'><a>Reply</a></div><span class='screen-reader-text'>x</span>"
    )
    assert text_of(html) == "Jo\n\nText"


def test_smiley_images_count_as_what_was_typed() -> None:
    assert text_of("<p>sad <img class='wp-smiley' alt=':(' src='s.png'> end</p>") == "sad :( end"


def test_escaped_markup_is_shown_text_and_kept() -> None:
    # What readers saw is the comment: "&lt;3" is the characters "<3", not a tag.
    assert text_of("<p>I &lt;3 this &amp; that</p>") == "I <3 this & that"


def test_preformatted_text_keeps_its_lines() -> None:
    assert text_of("<pre>a\n  b</pre>") == "a\nb"


def test_skip_leaves_out_chosen_elements() -> None:
    root = lxml.html.fragment_fromstring(
        "<div><p>mine</p><ul class='children'><li>not</li></ul></div>"
    )
    assert flatten(root, skip=lambda e: e.get("class") == "children") == "mine"


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    root = node = lxml.html.Element("div")
    for _ in range(5000):
        node = lxml.etree.SubElement(node, "span")
    node.text = "deep"
    assert flatten(root) == "deep"


def test_plain_text_keeps_paragraphs_and_strips_markup() -> None:
    assert plain_text("One\n\n\nTwo\nthree  four") == "One\n\nTwo\nthree four"
    assert plain_text("A <b>bold</b> move<br>next<script>x()</script>") == "A bold move\nnext"
    assert plain_text("I <3 it") == "I <3 it"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane says:", "Jane"),
        ("  Jane\n Doe  ", "Jane Doe"),
        ("blah blubb sagt:", "blah blubb"),
        ("Milan Griffes on September 12, 2018 at 4:47 pm said:", "Milan Griffes"),
        ("Review by Sean Baker", "Sean Baker"),
        ("by vigmeister", "vigmeister"),
        ("Simon Pegg", "Simon Pegg"),
        ("Onno", "Onno"),
        ("", None),
        ("says:", None),
        ("x" * 300, None),
    ],
)
def test_clean_author(raw: str, expected: str | None) -> None:
    assert clean_author(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "No comments yet.",
        "Be the first to comment!",
        "Be the first to review “Miracle in Cell No. 7”",
        "There are no reviews yet",
        "Nessun commento",
        "Dodaj komentarz",
        "Brak komentarzy",
        "Noch keine Kommentare vorhanden.",
        "Aucun commentaire pour le moment",
        "No hay comentarios todavía",
        "Seja o primeiro a comentar!",
        "Комментариев пока нет",
        "Zatím žádné komentáře",
        "Henüz yorum yok",
        "暂无评论",
        "目前沒有留言",
        "コメントはまだありません",
        "댓글이 없습니다.",
        "삭제된 댓글입니다.",
        "비밀댓글입니다",
        "[deleted]",
        "12 Comments",
    ],
)
def test_placeholders_are_recognised(text: str) -> None:
    # Issue 14: what a page shows where comments would be is not a comment.
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "No comments on the acting, it speaks for itself.",
        "Be the first? I watched it in 2013 already.",
        "I have no comments yet because I fell asleep, but the start was funny.",
        "댓글 보고 영화 봤는데 정말 좋네요",
        "留言板的朋友推荐我看这部电影，没有失望。",
    ],
)
def test_comments_mentioning_comments_are_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)


def test_placeholder_blocks_are_dropped_from_the_records() -> None:
    records = build_records(
        [FoundComment(text="Dodaj komentarz", author="Solard"), FoundComment(text="Real one.")],
        "test",
    )
    assert [r.text for r in records] == ["Real one."]


def test_dates_keep_balanced_parentheses() -> None:
    assert clean_date("2013-02-14 21:03 (UTC)") == "2013-02-14 21:03 (UTC)"
    assert clean_date("(12 May 2020)") == "12 May 2020"
    assert clean_date("on Friday July 06, @08:55AM (") == "on Friday July 06, @08:55AM"


def test_empty_brackets_of_a_removed_more_link_are_dropped() -> None:
    assert strip_chrome_lines("监狱里的狱友们各有特色…… ()") == "监狱里的狱友们各有特色……"


def test_clean_date_trims_separators() -> None:
    assert clean_date(", 26 November 2003") == "26 November 2003"
    assert clean_date("  ") is None


@pytest.mark.parametrize(
    "text",
    [
        "Leave a Reply",
        "Leave a Reply to Julili",
        "Leave a Comment",
        "Your email address will not be published. Required fields are marked *",
        "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
        "Post Comment",
        "Notify me of follow-up comments by email.",
        "Leave a Reply\nYour email address will not be published.",
    ],
)
def test_form_text_is_recognised(text: str) -> None:
    assert is_form_text(text)


@pytest.mark.parametrize(
    "text",
    ["I will leave a comment when I have seen it", "Leave a Reply\nGreat film!", ""],
)
def test_real_comments_are_not_form_text(text: str) -> None:
    assert not is_form_text(text)


def test_chrome_lines_are_stripped_only_at_the_edges() -> None:
    assert strip_chrome_lines("Great film.\n\nReply") == "Great film."
    assert strip_chrome_lines("Like\nGreat film.\n3 / 0") == "Great film."
    assert strip_chrome_lines("Reply to all: great\n\nReply") == "Reply to all: great"
    assert strip_chrome_lines("Reply") == ""


def test_records_are_numbered_in_page_order_with_replies() -> None:
    records = build_records(
        [
            FoundComment(text="first", author="A says:", published_raw=" 1 May "),
            FoundComment(text="answer", author="B", parent=0),
            FoundComment(text="ping", author="Blog", kind="pingback"),
        ],
        "test",
    )
    assert [(r.position, r.kind, r.parent_position) for r in records] == [
        (0, "comment", None),
        (1, "reply", 0),
        (2, "pingback", None),
    ]
    assert records[0].author == "A"
    assert records[0].published_raw == "1 May"
    assert {r.extractor for r in records} == {"test"}


def test_dropped_comments_hand_their_replies_to_their_parent() -> None:
    records = build_records(
        [
            FoundComment(text="top"),
            FoundComment(text="Leave a Reply", parent=0),
            FoundComment(text="deep answer", parent=1),
            FoundComment(text="   ", parent=None),
            FoundComment(text="orphan", kind="reply", parent=3),
        ],
        "test",
    )
    assert [(r.text, r.kind, r.parent_position) for r in records] == [
        ("top", "comment", None),
        ("deep answer", "reply", 0),
        ("orphan", "comment", None),
    ]


def test_pingbacks_and_reviews_never_have_a_parent() -> None:
    records = build_records(
        [
            FoundComment(text="top"),
            FoundComment(text="ping", kind="pingback", parent=0),
            FoundComment(text="a review", kind="review", parent=0),
            FoundComment(text="reply to the review", parent=2),
        ],
        "test",
    )
    assert [(r.kind, r.parent_position) for r in records] == [
        ("comment", None),
        ("pingback", None),
        ("review", None),
        ("reply", 2),
    ]
