"""Comment extraction never raises, whatever HTML-ish text a server sends.

Two kinds of input: arbitrary text sprinkled with markup characters, and tag soup
built from the elements and classes the comment extractors look for (so the
interesting code paths run, with broken nesting and missing parts). Whatever comes
out must be well-formed records.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract.document import Document
from crawler.extract.registry import all_extractors
from crawler.extract.shared.comments import CommentExtractor, plain_text
from schemas.records import COMMENT_KINDS

COMMENT_EXTRACTORS = [e for e in all_extractors() if isinstance(e, CommentExtractor)]

TAGS = ["div", "li", "ol", "ul", "p", "b", "a", "span", "dl", "dt", "dd", "time", "script", "br"]
CLASSES = [
    "comment",
    "pingback",
    "children",
    "comment-list",
    "commentlist",
    "comment-content",
    "comment-body",
    "comment-author",
    "fn",
    "says",
    "reply",
    "comment-user",
    "comment-text",
    "c-item full",
    "c-item reply",
    "c-comment",
    "reviewItem userReview",
    "review-container",
    "film-detail",
    "body-text",
    "name",
    "commentTop",
    "commentBody",
    "details",
    "post-item",
    "user-name",
    "message",
    "widget",
]
ATTRIBUTES = [
    "",
    ' id="comments"',
    ' id="comment-1"',
    ' itemscope itemtype="http://schema.org/Review"',
    ' itemscope itemtype="https://schema.org/Comment"',
    ' itemprop="reviewBody"',
    ' itemprop="author"',
    ' itemprop="name"',
    ' itemprop="comment"',
    ' href="/x/comment-page-2/"',
    ' datetime="2020-01-01"',
]
WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(min_value=0, max_value=40))):
        choice = draw(st.integers(min_value=0, max_value=3))
        if choice == 0:
            tag = draw(st.sampled_from(TAGS))
            cls = draw(st.sampled_from(CLASSES))
            attributes = draw(st.sampled_from(ATTRIBUTES))
            parts.append(f'<{tag} class="{cls}"{attributes}>')
        elif choice == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif choice == 2:
            parts.append(draw(WORDS))
        else:
            parts.append(
                draw(st.sampled_from(["<", ">", "&", "&amp;", "<!--", "-->", "\x00", "\n"]))
            )
    return "".join(parts)


# Blocks each extractor recognises, filled with arbitrary text and cut off anywhere.
TEMPLATES = [
    '<div id="comments"><ol class="comment-list"><li class="comment"><div class="comment-author">'
    '<b class="fn">{0}</b></div><div class="comment-content"><p>{1}</p></div><ul class="children">'
    '<li class="pingback"><a class="url" href="/p">{0}</a>{1}</li></ul></li></ol></div>',
    '<div class="comment"><div class="comment-user"><b>{0}</b></div>'
    '<div class="comment-text"><p>{1}</p></div></div>',
    '<div class="c-item full"><div class="c-user"><a>{0}</a></div><div class="c-comment">{1}</div>'
    '</div><div class="c-item reply"><div class="c-comment">{1}</div></div>',
    '<div class="reviewItem userReview"><p class="profile_name"><a>{0}</a></p>'
    '<span itemprop="reviewBody">{1}</span></div>',
    '<li class="comment"><div><div class="commentTop"><div class="details">by {0}</div></div>'
    '<div class="commentBody">{1}</div></div><ul><li class="comment"><div><div class="commentTop">'
    '</div><div class="commentBody">{1}</div></div></li></ul></li>',
    '<div class="comments"><div class="post"><span class="user">{0}</span><div class="text">{1}'
    '</div></div><div class="post"><span class="user">{0}</span><div class="text">{1}</div></div>'
    "</div>",
    '<div itemscope itemtype="https://schema.org/Comment"><span itemprop="author">{0}</span>'
    '<div itemprop="text">{1}</div><div itemprop="comment" itemscope '
    'itemtype="https://schema.org/Comment"><div itemprop="text">{1}</div></div></div>',
]


@st.composite
def broken_blocks(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(st.sampled_from(TEMPLATES), min_size=1, max_size=4))
    html = "".join(block.format(draw(WORDS), draw(tag_soup())) for block in blocks)
    cut = draw(st.integers(min_value=0, max_value=len(html)))
    generator = '<meta name="generator" content="MediaWiki 1.35">'
    return f"<html><head>{generator}</head><body>{html[:cut]}"


HTMLISH = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    tag_soup(),
    broken_blocks(),
    st.builds(
        lambda text: (
            '<script type="application/ld+json">{"@type":"Movie","review":'
            '[{"@type":"Review","author":"a","reviewBody":' + text + "}]}</script>"
        ),
        st.text(max_size=40).map(repr),
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTMLISH)
def test_comment_extractors_never_raise(html: str) -> None:
    doc = Document("https://example.org/post/", html)
    for extractor in COMMENT_EXTRACTORS:
        if not extractor.matches(doc):
            continue
        extraction = extractor.extract(doc)
        for position, comment in enumerate(extraction.comments):
            assert comment.position == position
            assert comment.kind in COMMENT_KINDS
            assert comment.text and comment.text == comment.text.strip()
            assert comment.parent_position is None or comment.parent_position < position
            assert (comment.kind == "reply") == (comment.parent_position is not None)
            assert comment.extractor == extractor.name


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_plain_text_never_raises_or_leaves_tags(value: str) -> None:
    text = plain_text(value)
    assert "<script" not in text.lower() or "<script" in value.lower()
    assert text == text.strip()


def test_comment_extractors_are_found_and_the_generic_one_ranks_last() -> None:
    ranks = {e.name: e.comments_rank for e in COMMENT_EXTRACTORS}
    assert {
        "wordpress-comments",
        "mediawiki-comments",
        "threaded-comments",
        "review-comments",
        "structured-comments",
        "generic-comments",
    } <= set(ranks)
    # The heuristic is the last resort; platform markup beats structured data, which
    # may hold only a featured selection of the thread (issue 14).
    assert ranks["generic-comments"] > max(r for n, r in ranks.items() if n != "generic-comments")
    assert ranks["structured-comments"] > ranks["wordpress-comments"]
