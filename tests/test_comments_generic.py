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


# --- issue 14: every block, any markup ------------------------------------------------------


def card(author: str, text: str, cls: str = "c-card", tag: str = "div") -> str:
    return (
        f"<{tag} class='{cls}'><a class='c-card__who' href='/user/{author}'>{author}</a>"
        f"<span class='c-card__when'>3 days ago</span><p class='c-card__text'>{text}</p></{tag}>"
    )


def cards(numbers: range) -> list[str]:
    return [card(f"user{i}", f"Comment number {i} about the film, long enough.") for i in numbers]


def test_every_block_across_ads_load_more_and_page_containers() -> None:
    # Issue 14: a hidden page came back with 24 of 31-37 comments.
    first = cards(range(20))
    ad = "<div class='ad-slot'>Advertisement</div>"
    body = (
        "<section id='comments'><h2>31 comments</h2>"
        f"<div class='c-list'>{''.join(first[:10])}{ad}{''.join(first[10:])}</div>"
        f"<div class='c-list'>{''.join(cards(range(20, 27)))}</div>"
        "<div class='c-more' style='display:none'><div class='c-list'>"
        f"{''.join(cards(range(27, 31)))}</div></div>"
        "<button class='c-load'>Load more comments</button></section>"
    )
    found = comments(body)
    assert [c.author for c in found] == [f"user{i}" for i in range(31)]


def test_replies_with_their_own_class_nested_in_comments() -> None:
    reply = card("bo", "A reply with a different class.", cls="reply-item", tag="li")
    parent = (
        "<li class='cmt'><span class='nick'>ann</span><span class='date'>2021-05-01</span>"
        "<p class='txt'>A comment that has a reply below it.</p>"
        f"<ul class='replies'>{reply}</ul></li>"
    )
    other = (
        "<li class='cmt'><span class='nick'>cy</span><span class='date'>2021-05-02</span>"
        "<p class='txt'>A second top-level comment here.</p></li>"
    )
    found = comments(f"<ul class='comment-list'>{parent}{other}</ul>")
    assert [(c.author, c.kind, c.parent_position) for c in found] == [
        ("ann", "comment", None),
        ("bo", "reply", 0),
        ("cy", "comment", None),
    ]


def test_flat_blocks_nest_by_their_depth_class() -> None:
    def item(author: str, depth: int) -> str:
        return (
            f"<div class='comment depth-{depth}'><span class='author'>{author}</span>"
            f"<div class='comment-text'>Text by {author} at depth {depth}.</div></div>"
        )

    body = (
        "<div class='comments'>"
        + "".join(item(a, d) for a, d in [("a", 1), ("b", 2), ("c", 3), ("d", 2), ("e", 1)])
        + "</div>"
    )
    assert [(c.author, c.parent_position) for c in comments(body)] == [
        ("a", None),
        ("b", 0),
        ("c", 1),
        ("d", 0),
        ("e", None),
    ]


def test_authors_from_profile_links_and_labels() -> None:
    linked = (
        "<div class='entry'><a href='/members/ann.12/'>ann</a><div class='txt'>"
        "The cell scenes are the best part of the film.</div></div>"
    )
    labelled = (
        "<div class='entry'><div class='txt'>Both films end with a balloon, watch both.</div>"
        "<div class='meta'>Recommended by <a href='/mal/bo'>bo</a></div></div>"
    )
    found = comments(f"<div class='recommendations'>{linked}{labelled}</div>")
    assert [c.author for c in found] == ["ann", "bo"]


def test_css_module_class_names() -> None:
    def review(author: str, text: str) -> str:
        return (
            "<section class='styles_root__2sOaS styles_review__3-iKi'>"
            "<div class='styles_head__33Abq'>"
            f"<a class='styles_nameLink__Cxtf1' href='/user/1/'>{author}</a>"
            "<span class='styles_date__2GNx8'>2 января 2008</span></div>"
            "<div class='styles_body__1z79z'>"
            f"<div class='styles_text__1MaEG'>{text}</div></div></section>"
        )

    body = (
        "<div class='styles_reviews__x1'>"
        + review("spacegirl", "Трио Родригез-Миллер-Тарантино сродни атомной бомбе.")
        + review("Kabal", "Какой фурор в свое время произвело появление красного флага.")
        + "</div>"
    )
    found = comments(body)
    assert [(c.author, c.kind, c.published_raw) for c in found] == [
        ("spacegirl", "review", "2 января 2008"),
        ("Kabal", "review", "2 января 2008"),
    ]


def test_critics_under_a_critics_heading_and_publishers_are_not_comments() -> None:
    quotes = card("Lidia", "Perhaps this is the cinema of tomorrow, stylish and cold.") + card(
        "Roman", "One should faint from tenderness, but the film keeps its distance."
    )
    assert comments(f"<h2>Critic reviews</h2><div class='reviews'>{quotes}</div>") == []
    press = (
        "<div class='review-row'><b itemprop='publisher'>ReelViews</b>"
        "<span class='author'>James B.</span><div class='summary'>A thrill-a-minute ride "
        "with one of the best villains.</div></div>"
    )
    assert comments(f"<div class='reviews'>{press}{press}</div>") == []


def test_one_persons_list_is_not_a_discussion() -> None:
    # A profile page: every "comment box" holds the owner's rating of another film.
    body = (
        "<div class='user-ratings-comments'>"
        + "".join(
            card("Solard", f"My rating of film number {i}, with a few words.") for i in range(5)
        )
        + "</div>"
    )
    assert comments(body) == []


def test_placeholder_boxes_are_not_comments() -> None:
    body = (
        "<div class='comments'>"
        + "".join(card(f"user{i}", "Dodaj komentarz") for i in range(4))
        + "</div>"
    )
    assert comments(body) == []
