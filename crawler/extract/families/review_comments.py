"""User reviews on film databases: one declarative layout per review-block markup.

Each :class:`ReviewLayout` names the repeated review block and, relative to it, where
the author, date, headline and text are (compiled XPaths, tried in order). A layout is
recognised by its markup, never by the domain, so archive copies and mirrors work:

========================  =========================================================
``imdb-lister``           IMDb user-review list 2017–2023 (``div.review-container``)
``imdb-tn15``             IMDb user-review list before 2017 (``#tn15content`` blocks)
``imdb-classic``          IMDb title page 2008–2010, featured comment (``div.comment``)
``imdb-teaser``           IMDb title page 2013–2020 (``#titleUserReviewsTeaser``)
``imdb-2021``             IMDb title page 2021– (React: ``[data-testid=review-overflow]``
                          with an ``author-link``)
``kinopoisk``             KinoPoisk 2010s ``div.reviewItem.userReview``
``kinopoisk-2022``        KinoPoisk 2020s React layout (``section.styles_review__…``)
``letterboxd``            Letterboxd ``li.film-detail`` review excerpts
``mydramalist``           MyDramaList ``div.review``
``rottentomatoes-mop``    Rotten Tomatoes 2019 audience reviews (``mop-audience-...``)
``rottentomatoes``        Rotten Tomatoes 2020– audience reviews (``audience-reviews__``)
``allocine``              AlloCiné spectator reviews (``div.review-card``)
``douban-short``          Douban short comments (``div.comment-item``, 短评)
``douban-review``         Douban reviews (``div.review-item``, 影评)
``csfd``                  ČSFD user reviews (``article[data-film-review]`` /
                          ``article[id^=review-]`` with ``a.user-title-name``)
``myanimelist-recs``      MyAnimeList user recommendations ("Recommended by <user>")
``myanimelist-reviews``   MyAnimeList reviews (``div.review-element``)
``metacritic``            Metacritic user reviews 2023– (``div.c-siteReview`` with a
                          username; critics' ones name a publication and are left out)
``metacritic-legacy``     Metacritic user reviews before 2023 (``li.review.user_review``)
``amazon``                shop customer reviews (``[data-hook=review]``)
========================  =========================================================

Sites built with CSS modules hash their class names (``styles_review__3-iKi``); their
layouts match the stable part (:func:`module_class`).

Critics' quotes (Rotten Tomatoes, Metacritic excerpts, KinoPoisk press) are not
audience comments and have no layout here. Every review is kind ``review``; its
headline, when the site shows one apart from the text, is the first paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import urljoin

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.shared.comments import (
    CommentExtractor,
    FoundComment,
    class_test,
    classes,
    first_text,
    flatten,
    inline_text,
)
from crawler.extract.shared.xpath_marks import may_find


@dataclass(frozen=True)
class ReviewLayout:
    """Where one site family puts a user review's parts (XPaths relative to the block).

    ``skip`` holds class tokens of elements inside the text that are not text (rating
    boxes, spoiler labels, helpfulness votes); ``truncated`` finds a marker that the
    page shows an excerpt; ``date_cut`` keeps the first group of a date that shares
    its element with other words (``26 November 2003 | by``).
    """

    name: str
    items: XPath
    text: tuple[XPath, ...]
    author: tuple[XPath, ...]
    date: tuple[XPath, ...] = ()
    title: tuple[XPath, ...] = ()
    skip: frozenset[str] = field(default_factory=frozenset)
    truncated: XPath | None = None
    date_cut: re.Pattern[str] | None = None
    pages: XPath | None = None


def _x(expression: str) -> XPath:
    return XPath(expression)


def module_class(name: str) -> str:
    """An XPath predicate body: a class token made by CSS modules from ``name``
    (``styles_review__3-iKi`` for ``review``), whatever its file prefix and hash."""
    return f"contains(concat(' ',normalize-space(@class)),'_{name}__')"


# "Reviewed in the United States on May 1, 2020" -> "May 1, 2020".
_REVIEWED_ON = re.compile(r"^(?:.*\b(?:on|vom|le|el|il|em|op)\s+)?(.+?)\s*$", re.IGNORECASE)
# "Publiée le 27 décembre 2020" -> "27 décembre 2020".
_PUBLISHED_PREFIX = re.compile(
    r"^\s*(?:publi[ée]e? le|posted on|published|опубликовано)?\s*(.+?)\s*$", re.IGNORECASE
)


LAYOUTS: tuple[ReviewLayout, ...] = (
    ReviewLayout(
        name="imdb-lister",
        items=_x(f"//div[{class_test('review-container')}]"),
        title=(_x(f".//a[{class_test('title')}]"),),
        author=(
            _x(f".//*[{class_test('display-name-link')}]//a"),
            _x(f".//*[{class_test('display-name-link')}]"),
        ),
        date=(_x(f".//*[{class_test('review-date')}]"),),
        text=(_x(f".//div[{class_test('text')}]"), _x(f".//div[{class_test('content')}]")),
        skip=frozenset({"actions", "spoiler-warning", "ipl-expander", "ipl-ratings-bar"}),
        pages=_x(f"//div[{class_test('load-more-data')}][@data-key and @data-ajaxurl]"),
    ),
    ReviewLayout(
        name="imdb-tn15",
        items=_x(
            "//div[@id='tn15content']/div[h2][.//a[starts-with(@href,'/user/ur')]]"
            "[following-sibling::*[1][self::p]]"
        ),
        title=(_x("./h2"),),
        author=(_x(".//a[starts-with(@href,'/user/ur')][normalize-space()]"),),
        date=(_x("./small[last()]"),),
        text=(_x("./following-sibling::p[1]"),),
        # The current page's own number is the bold one.
        pages=_x("//div[@id='tn15content']//a[starts-with(@href,'reviews?start=')][not(b)]"),
    ),
    ReviewLayout(
        name="imdb-classic",
        items=_x(
            f"//div[{class_test('comment')}][b]"
            f"[.//div[{class_test('small')}]/a[contains(@href,'/user/ur')]]"
        ),
        title=(_x("./b[1]"),),
        author=(_x(f".//div[{class_test('small')}]/a[contains(@href,'/user/ur')]"),),
        date=(_x("./b[1]/following-sibling::text()[1]"),),
        text=(_x("./p[normalize-space()]"),),
    ),
    ReviewLayout(
        name="imdb-teaser",
        items=_x(f"//*[@id='titleUserReviewsTeaser']//div[{class_test('user-comments')}]"),
        title=(_x(".//strong[1]"),),
        author=(_x(f".//*[{class_test('comment-meta')}]//a[contains(@href,'/user/ur')][1]"),),
        date=(_x(f".//*[{class_test('comment-meta')}]/text()[1]"),),
        date_cut=re.compile(r"^\s*([^|]*?)\s*\|"),
        text=(_x(f".//*[{class_test('comment-meta')}]/following-sibling::div[1]"),),
    ),
    ReviewLayout(
        name="imdb-2021",
        items=_x(
            "//*[@data-testid='review-overflow']/ancestor::div[.//*[@data-testid='author-link']][1]"
        ),
        title=(_x(".//*[@data-testid='review-summary']"),),
        author=(_x(".//*[@data-testid='author-link']"),),
        date=(_x(f".//*[{class_test('review-date')}]"),),
        text=(
            _x(".//*[@data-testid='review-overflow']//*[contains(@class,'ipc-html-content')]"),
            _x(".//*[@data-testid='review-overflow']"),
        ),
        skip=frozenset({"ipc-overflowText-overlay", "ipc-see-more"}),
    ),
    ReviewLayout(
        name="kinopoisk",
        items=_x(f"//div[{class_test('reviewItem')}][{class_test('userReview')}]"),
        title=(_x(".//*[@itemprop='headline']/@content"), _x(f".//*[{class_test('sub_title')}]")),
        author=(
            _x(f".//*[{class_test('profile_name')}]//a"),
            # A closed account is shown without a profile link.
            _x(f".//*[{class_test('profile_name')}]"),
            _x(".//*[@itemprop='author']//*[@itemprop='name']"),
        ),
        date=(_x(f".//*[{class_test('date')}]"),),
        text=(_x(".//*[@itemprop='reviewBody']"), _x(f".//*[{class_test('brand_words')}]")),
    ),
    ReviewLayout(
        name="kinopoisk-2022",
        items=_x(f"//section[{module_class('review')}]"),
        title=(_x(f".//*[{module_class('title')}]"),),
        author=(_x(f".//a[{module_class('nameLink')}]"), _x(f".//*[{module_class('name')}]")),
        date=(_x(f".//*[{module_class('date')}]"),),
        text=(_x(f".//*[{module_class('body')}]//*[{module_class('text')}]"),),
        truncated=_x(f".//*[{module_class('textTruncated')}]"),
    ),
    ReviewLayout(
        name="letterboxd",
        items=_x(
            f"//li[{class_test('film-detail')}]"
            f"[.//*[{class_test('body-text')}]][.//*[{class_test('name')}]]"
        ),
        author=(_x(f".//strong[{class_test('name')}]"),),
        date=(_x(f".//*[{class_test('date')}]"),),
        text=(_x(f".//div[{class_test('body-text')}]"),),
        skip=frozenset({"contains-spoilers", "spoiler-warning"}),
        truncated=_x(f".//div[{class_test('collapsed-text')}]"),
    ),
    ReviewLayout(
        name="mydramalist",
        items=_x(f"//div[{class_test('review')}][starts-with(@id,'review-')]"),
        author=(_x(".//a[starts-with(@href,'/profile/')][not(contains(@href,'/review'))]"),),
        date=(_x(f".//*[{class_test('datetime')}]"),),
        text=(_x(f".//div[{class_test('review-body')}]"),),
        skip=frozenset(
            {"box", "review-spoiler", "review-helpful", "review-rating", "rating-overall"}
        ),
    ),
    ReviewLayout(
        name="rottentomatoes-mop",
        items=_x(f"//li[{class_test('mop-audience-reviews__review-item')}]"),
        author=(_x(f".//*[{class_test('mop-audience-reviews__review--name')}]"),),
        date=(_x(f".//*[{class_test('mop-audience-reviews__review--duration')}]"),),
        text=(_x(f".//*[{class_test('mop-audience-reviews__review--comment')}]"),),
    ),
    ReviewLayout(
        name="rottentomatoes",
        items=_x(f"//*[{class_test('audience-reviews__item')}]"),
        author=(_x(f".//*[{class_test('audience-reviews__name')}]"),),
        date=(_x(f".//*[{class_test('audience-reviews__duration')}]"),),
        text=(_x(f".//*[{class_test('audience-reviews__review')}]"),),
    ),
    ReviewLayout(
        name="allocine",
        items=_x(f"//div[{class_test('review-card')}][.//*[{class_test('review-card-content')}]]"),
        author=(
            _x(f".//*[{class_test('review-card-user-infos')}]//*[{class_test('meta-title')}]"),
            _x(f".//*[{class_test('review-card-user-infos')}]//*[@title]/@title"),
        ),
        date=(_x(f".//*[{class_test('review-card-meta-date')}]"),),
        date_cut=_PUBLISHED_PREFIX,
        text=(_x(f".//*[{class_test('review-card-content')}]"),),
        skip=frozenset({"link-more"}),
        truncated=_x(f".//*[{class_test('review-card-content')}]//*[{class_test('link-more')}]"),
    ),
    ReviewLayout(
        name="douban-short",
        items=_x(f"//div[{class_test('comment-item')}][.//*[{class_test('comment-content')}]]"),
        author=(
            _x(f".//*[{class_test('comment-info')}]/a"),
            _x(f".//*[{class_test('comment-info')}]//a"),
        ),
        date=(
            _x(f".//*[{class_test('comment-time')}]/@title"),
            _x(f".//*[{class_test('comment-time')}]"),
        ),
        text=(
            _x(f".//*[{class_test('comment-content')}]//*[{class_test('full')}]"),
            _x(f".//*[{class_test('comment-content')}]//*[{class_test('short')}]"),
            _x(f".//*[{class_test('comment-content')}]"),
        ),
        skip=frozenset({"comment-vote", "votes", "expand"}),
    ),
    ReviewLayout(
        name="douban-review",
        items=_x(f"//div[{class_test('review-item')}][.//*[{class_test('main-bd')}]]"),
        title=(_x(f".//*[{class_test('main-bd')}]/h2"), _x(f".//*[{class_test('main-bd')}]//h3")),
        author=(
            _x(f".//header//a[{class_test('name')}]"),
            _x(f".//*[{class_test('main-hd')}]//a[{class_test('name')}]"),
        ),
        date=(
            _x(f".//*[{class_test('main-meta')}]/@content"),
            _x(f".//*[{class_test('main-meta')}]"),
        ),
        text=(
            _x(f".//*[{class_test('short-content')}]"),
            _x(f".//*[{class_test('review-content')}]"),
        ),
        skip=frozenset({"unfold", "fold", "spoiler-tip", "action"}),
        truncated=_x(f".//*[{class_test('unfold')}]"),
    ),
    ReviewLayout(
        name="csfd",
        items=_x(
            "//article[@data-film-review or starts-with(@id,'review-')]"
            f"[.//*[{class_test('user-title-name')}]]"
        ),
        author=(_x(f".//*[{class_test('user-title-name')}]"),),
        date=(_x(".//time/@datetime"), _x(".//time"), _x(f".//*[{class_test('comment-date')}]")),
        text=(
            _x(".//*[@data-film-review-content]"),
            _x(f".//*[{class_test('comment')}]"),
            _x(f".//*[{class_test('article-content')}]"),
        ),
        skip=frozenset({"span-more-small", "comment-date", "a-edit-review", "star-rating"}),
    ),
    ReviewLayout(
        name="myanimelist-recs",
        items=_x(f"//div[{class_test('detail-user-recs-text')}]"),
        author=(_x("./following-sibling::*[1]//a[contains(@href,'/profile/')][last()]"),),
        text=(_x("."),),
        skip=frozenset({"js-toggle-recommendation-button"}),
    ),
    ReviewLayout(
        name="metacritic",
        items=_x(
            f"//div[{class_test('c-siteReview')}][.//*[{class_test('c-siteReviewHeader_username')}]]"
        ),
        author=(_x(f".//*[{class_test('c-siteReviewHeader_username')}]"),),
        date=(
            _x(f".//*[{class_test('c-siteReviewHeader_reviewDate', 'c-siteReview_reviewDate')}]"),
        ),
        text=(_x(f".//*[{class_test('c-siteReview_quote')}]"),),
        skip=frozenset({"c-siteReviewReadMore", "c-globalButton"}),
    ),
    ReviewLayout(
        name="metacritic-legacy",
        items=_x(f"//li[{class_test('review')}][{class_test('user_review')}]"),
        author=(_x(f".//*[{class_test('name')}]//a"), _x(f".//*[{class_test('name')}]")),
        date=(_x(f".//*[{class_test('date')}]"),),
        text=(
            _x(f".//*[{class_test('review_body')}]//*[{class_test('blurb_expanded')}]"),
            _x(f".//*[{class_test('review_body')}]"),
        ),
        skip=frozenset({"blurb_collapsed", "toggle_expand_collapse"}),
    ),
    ReviewLayout(
        name="amazon",
        items=_x("//*[@data-hook='review']"),
        title=(_x(".//*[@data-hook='review-title']/span[not(contains(@class,'a-icon-alt'))]"),),
        author=(_x(f".//*[{class_test('a-profile-name')}]"),),
        date=(_x(".//*[@data-hook='review-date']"),),
        date_cut=_REVIEWED_ON,
        text=(_x(".//*[@data-hook='review-body']"),),
        skip=frozenset({"a-icon-alt", "a-expander-prompt", "cr-translated-review-content"}),
    ),
    ReviewLayout(
        name="myanimelist-reviews",
        items=_x(f"//div[{class_test('review-element')}]"),
        author=(_x(f".//*[{class_test('username')}]//a"), _x(f".//*[{class_test('username')}]")),
        date=(_x(f".//*[{class_test('update_at')}]"),),
        text=(_x(f".//div[{class_test('text')}]"),),
        skip=frozenset({"js-toggle-review-button", "js-readmore", "tags", "preliminary"}),
    ),
)


class ReviewCommentsExtractor(CommentExtractor):
    name: ClassVar[str] = "review-comments"
    comments_rank: ClassVar[int] = 15
    prune: ClassVar[tuple[str, ...]] = (
        *(layout.items.path for layout in LAYOUTS),
        # The main text never removes an <article> (it may be the page's own): a review
        # block that is one (ČSFD) is emptied instead.
        *(f"({layout.items.path})/*" for layout in LAYOUTS if "//article" in layout.items.path),
        # The old IMDb list puts each review's text after its header block.
        "//div[@id='tn15content']/p[preceding-sibling::*[1][self::div[h2]]]",
        # The 2008-2010 title page repeats the featured review's headline near the top.
        f"//div[{class_test('info')}][a[@href='#comment']]",
        "//*[@id='titleUserReviewsTeaser']",
        "//*[@data-testid='UserReviews']",
        f"//*[{class_test('film-popular-review', 'film-recent-reviews')}]",
        "//*[@id='audience_reviews']",
    )

    def matches(self, doc: Document) -> bool:
        return any(may_find(doc, layout.items) and layout.items(doc.tree) for layout in LAYOUTS)

    def find(self, doc: Document) -> list[FoundComment]:
        blocks: list[tuple[HtmlElement, ReviewLayout]] = []
        for layout in LAYOUTS:
            if may_find(doc, layout.items):
                blocks.extend((item, layout) for item in layout.items(doc.tree))
        if len({layout.name for _, layout in blocks}) > 1:
            order = {element: index for index, element in enumerate(doc.tree.iter())}
            blocks.sort(key=lambda block: order.get(block[0], -1))
        taken = {item for item, _ in blocks}
        return [
            _review(item, layout)
            for item, layout in blocks
            # A block inside another layout's block is part of that review.
            if not any(ancestor in taken for ancestor in item.iterancestors())
        ]

    def page_urls(self, doc: Document) -> list[str]:
        urls: list[str] = []
        for layout in LAYOUTS:
            if layout.pages is None:
                continue
            for hit in layout.pages(doc.tree):
                url = _page_url(doc.url, hit)
                if url and url not in urls:
                    urls.append(url)
        return urls


def _review(item: HtmlElement, layout: ReviewLayout) -> FoundComment:
    def skip(element: HtmlElement) -> bool:
        return not layout.skip.isdisjoint(classes(element))

    body = ""
    for expression in layout.text:
        roots = expression(item)
        if roots:
            body = flatten(roots[0], skip=skip)
            if body:
                break
    title = first_text(item, layout.title) if layout.title else None
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}" if body else title
    date = first_text(item, layout.date) if layout.date else None
    if date and layout.date_cut is not None:
        match = layout.date_cut.match(date)
        date = match.group(1) if match else date
    return FoundComment(
        text=body,
        author=first_text(item, layout.author),
        published_raw=date,
        kind="review",
        truncated=layout.truncated is not None and bool(layout.truncated(item)),
    )


def _page_url(base: str, hit: object) -> str | None:
    """An absolute URL from a pagination link or an IMDb "load more" element."""
    if not isinstance(hit, HtmlElement):
        return None
    try:
        if hit.get("data-key") and hit.get("data-ajaxurl"):
            ajax = urljoin(base, inline_text(hit.get("data-ajaxurl")))
            return f"{ajax}?paginationKey={inline_text(hit.get('data-key'))}"
        href = inline_text(hit.get("href"))
        return urljoin(base, href).split("#", 1)[0] if href else None
    except ValueError:
        return None
