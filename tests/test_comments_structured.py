"""schema.org Comment and Review in JSON-LD and microdata; critics and the page's own
review are not audience comments."""

from __future__ import annotations

import json
from typing import Any

from crawler.extract.document import Document
from crawler.extract.families.structured_comments import StructuredCommentsExtractor
from crawler.extract.page import extract_document
from schemas.records import CommentRecord

EXTRACTOR = StructuredCommentsExtractor()


def comments(head: str = "", body: str = "") -> list[CommentRecord]:
    doc = Document(
        "https://site.example/film/1", f"<html><head>{head}</head><body>{body}</body></html>"
    )
    return EXTRACTOR.extract(doc).comments if EXTRACTOR.matches(doc) else []


def jsonld(*nodes: dict[str, Any]) -> str:
    # "</" is escaped as sites must, or a "</script>" in a text would end the block.
    return "".join(
        '<script type="application/ld+json">' + json.dumps(node).replace("</", "<\\/") + "</script>"
        for node in nodes
    )


def review(author: Any, body: str, **extra: Any) -> dict[str, Any]:
    return {"@type": "Review", "author": author, "reviewBody": body, **extra}


def test_jsonld_reviews_nested_in_a_movie() -> None:
    movie = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": "Film",
        "review": [
            review(
                {"@type": "Person", "name": "ann"},
                "Good.\n\nVery.",
                name="Title",
                datePublished="2020-01-02",
            ),
            review("bo", "Fine."),
        ],
    }
    found = comments(jsonld(movie))
    assert [(c.author, c.text, c.published_raw, c.kind) for c in found] == [
        ("ann", "Title\n\nGood.\n\nVery.", "2020-01-02", "review"),
        ("bo", "Fine.", None, "review"),
    ]


def test_critics_are_left_out() -> None:
    movie = {
        "@type": "Movie",
        "review": [
            review(
                {"@type": "Person", "name": "Zaki"},
                "Alchemy.",
                publisher={"@type": "Organization", "name": "SF"},
            ),
            review({"@type": "Organization", "name": "Paper"}, "Meh."),
            review({"@type": "Person", "name": "X", "url": "https://rt.example/critic/x"}, "Hm."),
            {"@type": "CriticReview", "author": "Y", "reviewBody": "No."},
            review("audience", "Yes."),
        ],
    }
    assert [c.author for c in comments(jsonld(movie))] == ["audience"]


def test_a_lone_top_level_review_is_the_page_itself() -> None:
    own = review({"@type": "Person", "name": "Blogger"}, "My long review of the film.")
    assert comments(jsonld(own)) == []
    # ... but several top-level reviews are a list of reviews.
    assert len(comments(jsonld(own, review("two", "Second.")))) == 2


def test_a_review_by_the_page_author_is_not_a_comment() -> None:
    article = {"@type": "BlogPosting", "author": {"@type": "Person", "name": "Kim"}}
    movie = {"@type": "Movie", "review": [review("Kim", "Mine."), review("Lee", "Theirs.")]}
    assert [c.author for c in comments(jsonld(article, movie))] == ["Lee"]
    assert [c.author for c in comments('<meta name="author" content="Lee">' + jsonld(movie))] == [
        "Kim"
    ]


def test_jsonld_comments_with_replies_and_markup_in_text() -> None:
    article = {
        "@type": "Article",
        "comment": [
            {
                "@type": "Comment",
                "author": {"@type": "Person", "name": "a"},
                "text": "Top <b>level</b><script>x()</script>",
                "dateCreated": "2021-01-01",
                "comment": {"@type": "Comment", "author": "b", "text": "Answer"},
            },
            {"@type": "Comment", "author": "c", "text": "Second"},
        ],
    }
    found = comments(jsonld(article))
    assert [(c.author, c.text, c.kind, c.parent_position) for c in found] == [
        ("a", "Top level", "comment", None),
        ("b", "Answer", "reply", 0),
        ("c", "Second", "comment", None),
    ]


def test_nodes_without_text_are_dropped() -> None:
    assert comments(jsonld({"@type": "Movie", "review": review("x", "")})) == []


def test_microdata_review_reads_the_shown_name_not_the_link() -> None:
    body = """
    <div itemscope itemtype="http://schema.org/Movie">
    <div itemprop="reviews" itemscope itemtype="http://schema.org/Review">
      <meta itemprop="headline" content="Песчинки?"/>
      <div itemprop="author" itemscope itemtype="http://schema.org/Person">
        <a href="/user/2421183/" itemprop="name">Ocean Child</a></div>
      <p><span itemprop="reviewBody">Текст.<br><br>Ещё.</span></p>
      <meta itemprop="datePublished" content="2017-12-18"/>
    </div></div>"""
    assert [(c.author, c.text, c.published_raw) for c in comments(body=body)] == [
        ("Ocean Child", "Песчинки?\n\nТекст.\n\nЕщё.", "2017-12-18")
    ]


def test_microdata_critics_and_empty_teasers_are_left_out() -> None:
    body = """
    <div itemscope itemtype="http://schema.org/Movie">
    <ul id="pro-reviews"><li><div itemprop="review" itemscope itemtype="http://schema.org/Review">
      <div itemprop="reviewBody">A critic's excerpt.</div>
      <div itemprop="author">Roger Ebert: rogerebert.com</div></div></li></ul>
    <table><tr itemprop="reviews" itemscope itemtype="http://schema.org/Review">
      <td><b itemprop="publisher" itemscope itemtype="http://schema.org/Organization">
      <span itemprop="name">ReelViews</span></b>
      <div itemprop="reviewbody">Thrill-a-minute.</div></td></tr></table>
    <div itemprop="review" itemscope itemtype="http://schema.org/Review"><h2>User Reviews</h2>
      <a href="/reviews-enter">Review this title</a></div>
    </div>"""
    assert comments(body=body) == []


def test_same_reviews_in_both_syntaxes_are_kept_once() -> None:
    head = jsonld({"@type": "Movie", "review": [review("ann", "Good film.")]})
    body = """<div itemscope itemtype="https://schema.org/Movie">
      <div itemprop="review" itemscope itemtype="https://schema.org/Review">
      <span itemprop="author">ann</span><p itemprop="reviewBody">Good   film.</p></div>
      <div itemprop="review" itemscope itemtype="https://schema.org/Review">
      <span itemprop="author">bo</span><p itemprop="reviewBody">Other.</p></div></div>"""
    assert [c.author for c in comments(head, body)] == ["ann", "bo"]


def test_microdata_article_author_is_the_page_author() -> None:
    body = """<article itemscope itemtype="https://schema.org/BlogPosting">
      <span itemprop="author" itemscope itemtype="https://schema.org/Person">
      <span itemprop="name">Kim</span></span>
      <div itemprop="review" itemscope itemtype="https://schema.org/Review">
      <span itemprop="author">Kim</span><p itemprop="reviewBody">My own verdict.</p></div>
      <div itemprop="comment" itemscope itemtype="https://schema.org/Comment">
      <span itemprop="author">Kim</span><p itemprop="text">Thanks for reading!</p></div>
    </article>"""
    assert [(c.author, c.kind) for c in comments(body=body)] == [("Kim", "comment")]


def test_reviews_nested_in_products_books_and_organizations() -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": "Blu-ray",
            "review": [review({"@type": "Person", "name": "ann"}, "Great transfer.")],
        },
        {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "mainEntity": {
                "@type": "Book",
                "name": "Novel",
                "review": {"@type": "Review", "author": "bo", "reviewBody": "Loved it."},
            },
        },
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "Cinema",
            "review": [review("cy", "Comfortable seats.")],
        },
    )
    assert [(c.author, c.kind) for c in comments(head)] == [
        ("ann", "review"),
        ("bo", "review"),
        ("cy", "review"),
    ]


def test_microdata_user_comments() -> None:
    body = """<div itemscope itemtype="http://schema.org/Movie"><span itemprop="name">Film</span>
      <div itemprop="comment" itemscope itemtype="http://schema.org/UserComments">
      <span itemprop="creator" itemscope itemtype="http://schema.org/Person">
      <span itemprop="name">dana</span></span><time itemprop="commentTime"
      datetime="2012-03-01">1 March 2012</time><p itemprop="commentText">Saw it twice.</p></div>
      </div>"""
    assert [(c.author, c.published_raw, c.text) for c in comments(body=body)] == [
        ("dana", "2012-03-01", "Saw it twice.")
    ]


def featured_and_visible(featured_author: str) -> list[tuple[str | None, str]]:
    """The comments of a page whose JSON-LD holds one review by ``featured_author`` and
    whose HTML shows three reviews (by ann, bob and cyd)."""
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "Movie",
            "name": "Film",
            "review": review({"@type": "Person", "name": featured_author}, "Featured, long."),
        }
    )
    listing = "".join(
        f"<div class='review-item'><a class='review-author' href='/u/{name}'>{name}</a>"
        f"<span class='review-date'>2023-01-0{index}</span><div class='review-body'>"
        f"Visible review by {name}, long enough to count.</div></div>"
        for index, name in enumerate(("ann", "bob", "cyd"), start=1)
    )
    html = (
        f"<html><head>{head}</head><body><h1>Film</h1>"
        f"<div class='reviews'>{listing}</div></body></html>"
    )
    result = extract_document("https://site.example/film/1", html)
    return [(c.author, c.extractor) for c in result.comments]


def test_a_featured_structured_review_gives_way_to_the_visible_list() -> None:
    # Issue 14, item 5: JSON-LD carries one featured review, the page shows three.
    assert featured_and_visible("ann") == [
        ("ann", "generic-comments"),
        ("bob", "generic-comments"),
        ("cyd", "generic-comments"),
    ]


def test_structured_reviews_stay_when_the_visible_blocks_are_another_thread() -> None:
    assert featured_and_visible("zed") == [("zed", "structured-comments")]
