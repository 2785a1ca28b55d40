"""Comments on an unknown platform: repeated blocks that each carry an author and a text.

The last resort when no platform extractor knows the markup. A thread is a group of
same-shaped sibling blocks (same tag and leading class, or the same id stem, or bare
same-tag items) where most blocks have

* an **author**: an element whose class, id or ``itemprop`` names an author, user,
  nick, poster or name; a link to a user profile (``/user/…``, ``/members/…``,
  ``member.php?u=``, ``/@name``); or a name after a label ("Recommended by", "by",
  "von", "작성자:", "作者：");
* a **text**: the element whose class names a text, body, content or message (the
  largest one that is not the author), else the block without its author, date and
  interface chrome;
* optionally a **date** (``<time>``, a date-ish class, a short date-like text),

inside a region that says it holds comments (class or id words such as comment,
review, reply, discussion, forum, kommentar, recenz, отзыв, or a heading such as
"Comments", "Рецензии", "评论", "댓글").

Once the best group is found, *every* block of that shape in the thread is taken: the
blocks nested in others (replies), the ones after an interruption (an ad, a "load more"
box, a second page container) and the siblings of the thread's container. Nesting
gives the reply structure; so does indentation where the blocks are flat siblings
(``depth-2`` / ``level-2`` classes, ``margin-left`` styles, Hacker News' indent cell).

It is deliberately conservative, because a false positive stores page furniture as
audience comments: sidebars, widgets, navigation and footers are ignored, as are link
lists ("recent comments" widgets), critics' quotes (a critic class or a "critics"
heading), placeholders ("No comments yet"), a list of one person's items (a profile's
ratings: every block by the same author) and groups whose texts average under 20
characters. It ranks last among comment sources.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_PROSE, Extraction
from crawler.extract.shared.comments import (
    CommentExtractor,
    FoundComment,
    build_records,
    class_test,
    classes,
    element_inline_text,
    flatten,
    inline_text,
    is_chrome,
    is_form_text,
    is_placeholder,
)
from crawler.extract.shared.threads import style_depth, xpath_depth

# --- words in class, id, itemprop and data-role that mark each part of a block ----------
_AUTHOR_WORDS = (
    "author",
    "user",
    "nick",
    "poster",
    "commenter",
    "byline",
    "member",
    "name",
    "reviewer",
    "writer",
    "handle",
)
# Author-ish words that also name a box of statistics or a title, not a name.
_NOT_AUTHOR_WORDS = (
    "vote",
    "login",
    "date",
    "time",
    "count",
    "rating",
    "score",
    "level",
    "rank",
    "stat",
    "avatar",
    "photo",
    "image",
    "thumb",
    "title-wrap",
    "action",
    "link-more",
)
_TEXT_WORDS = (
    "text",
    "body",
    "content",
    "message",
    "msg",
    "comment",
    "entry",
    "post",
    "review",
    "desc",
    "txt",
    "bbwrapper",
    "cooked",
    "reple",
    "short",
    "opinion",
)
_NOT_TEXT_WORDS = (
    *_AUTHOR_WORDS,
    "date",
    "time",
    "meta",
    "header",
    "footer",
    "count",
    "action",
    "tool",
    "vote",
    "like",
    "avatar",
    "title",
    "info",
    "rating",
    "reply-link",
    "button",
    "toggle",
)
_REVIEW_WORDS = ("review", "rezension", "recenz", "recens", "reseña", "critique", "otzyv", "avis")
_TITLE_WORDS = ("title", "headline", "summary", "subject")
MAX_TITLE_CHARS = 200
_DATE_WORDS = ("date", "time", "posted", "timestamp", "published", "created", "datetime")
_THREAD_WORDS = (
    "comment",
    "review",
    "reply",
    "replies",
    "discussion",
    "forum",
    "message",
    "feedback",
    "guestbook",
    "respons",
    "thread",
    "topic",
    "kommentar",
    "komentar",
    "commentaire",
    "commento",
    "avis",
    "reseña",
    "opinion",
    "opini",
    "recens",
    "rezens",
    "recenz",
    "reactie",
    "yorum",
    "otzyv",
    "otziv",
    "cmt",
    "cbox",
    "reple",
    "answer",
    "recommend",
)
# Regions that never hold this page's comments.
_FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "header", "menu"})
_FURNITURE_WORDS = (
    "sidebar",
    "menu",
    "navbar",
    "navigation",
    "breadcrumb",
    "recentcomments",
    "recent-comments",
    "recent_comments",
    "latest-comments",
    "footer",
    "related",
    "popular-posts",
)
# Sidebar widgets, but page builders also call every block a widget (Elementor's
# ``elementor-widget-container``): furniture unless a comment region lies in between.
_WEAK_FURNITURE_WORDS = ("widget",)
# Critics' quotes and press reviews are not audience comments.
_CRITIC_WORDS = ("critic", "pro-review", "press-review", "kritik", "presse")
_THREAD_HEADING = re.compile(
    r"(?:comments?|reviews?|responses?|replies|discussion|kommentare?|commentaires?|"
    r"comentarios?|commenti|komentarz[ey]?|komentáře|recenze|recenzje|rezensionen|reacties|"
    r"yorumlar|opinie|avis|critiques|recommendations?|отзывы|рецензии|комментарии|"
    r"评论|評論|留言|回應|回响|短评|影评|コメント|レビュー|댓글|리뷰|후기)",
    re.IGNORECASE,
)
_CRITIC_HEADING = re.compile(
    r"(?:critics?\b|critic reviews|press|presse|kritiker|кинокритик|критик|影评人|媒体)",
    re.IGNORECASE,
)

# --- author, date and depth from the markup's text and attributes ----------------------
_PROFILE_HREF = re.compile(
    r"(?:/(?:users?|u|members?|profiles?|people|persons?|uzivatel[ei]?|usuarios?|utilisateurs?|"
    r"benutzer|nutzer|membres?|authors?|autor|bloggers?|space|home|~)(?:/|\.php)|member\.php|"
    r"memberlist\.php|profile\.php|viewprofile|showuser=|/@[\w.-]+/?$|"
    r"[?&](?:u|uid|user|userid|user_id|member)=\w)",
    re.IGNORECASE,
)
# A label that the author's name follows: "Recommended by <a>x</a>", "作者：<b>x</b>".
_BY_LABEL = re.compile(
    r"(?:^|[\s(|·•—–-])(?:(?:recommended|posted|written|reviewed|submitted|commented|shared|"
    r"review|comment|reply|answer(?:ed)?)\s+)?(?:by|von|par|por|di|door|av|przez|od|от)\s*:?\s*$"
    r"|(?:作者|作成者|投稿者|発言者|작성자|글쓴이|닉네임|автор|author|autor|auteur|autore)\s*[:：]\s*$",
    re.IGNORECASE,
)
# A label element whose whole text names the next element as the author
# (``<dt>작성자</dt><dd>이름</dd>``, ``<th>Author</th><td>…</td>``).
_AUTHOR_LABEL_ELEMENT = re.compile(
    r"\s*(?:作者|作成者|投稿者|発言者|发表者|發表者|留言者|작성자|글쓴이|닉네임|이름|автор|author|"
    r"autor|auteur|autore|name|nickname|posted by|written by|by)\s*[:：]?\s*",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(
    r"(?:^|\s)(?:date|posted(?: on)?|datum|fecha|data|date de publication|дата|날짜|작성일|"
    r"등록일|日期|時間|时间|發表於|发表于|投稿日)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_DATE_TEXT = re.compile(
    r"\d{4}\s?[-./年]\s?\d{1,2}|\d{1,2}\s?[-./]\s?\d{1,2}\s?[-./]\s?\d{2,4}|\d{1,2}:\d{2}|"
    r"\b\d{1,2}\.?\s+[^\W\d_]{3,}\.?,?\s+\d{4}|\b[^\W\d_]{3,}\.?\s+\d{1,2},?\s+\d{4}|"
    r"\b(?:ago|yesterday|today)\b|\d\s*(?:분|시간|일|주|개월|년)\s*전|\d\s*(?:分钟|小时|天|"
    r"週間|日|時間)前|\bназад\b|\bvor\s+\d|\bil y a\b|\bhace\s+\d",
    re.IGNORECASE,
)
# Relative dates written out ("Hace una hora", "vor einer Stunde", "昨天").
_RELATIVE_DATE = re.compile(
    r"\b(?:ago|yesterday|today|hace|il y a|vor|fa|назад|вчера|сегодня|gestern|heute|hier)\b"
    r"|前|전|昨天|今天|昨日|今日|어제|오늘",
    re.IGNORECASE,
)
_DEPTH_TOKEN = re.compile(
    r"^(?:[a-z]+[-_])*(?:depth|level|lvl|indent|ind|nest|nested|twig|child)[-_]?(\d{1,2})$"
)
# Hacker News-style tables: an indent cell whose ``indent`` or spacer width is the depth.
_indent_cell = xpath_depth(
    XPath(f".//td[{class_test('ind')}][1]/@indent | .//td[{class_test('ind')}][1]/img/@width")
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4"})
_MAIN_HEADING_TAGS = frozenset({"h1", "h2"})
_CANDIDATE_PARENTS = XPath("//body//*[count(*) >= 2]")

MIN_BLOCKS = 2
# A block with more text than this is a page section, not one comment.
MAX_BLOCK_CHARS = 30_000
# The comment region may hold this much text besides the thread (heading, buttons).
MAX_REGION_EXTRA_CHARS = 300
MIN_REGION_EXTRA_CHARS = 40
_PROSE = XPath(
    "descendant-or-self::*[self::h1 or self::h2]"
    " | descendant-or-self::p[string-length(normalize-space()) > 40]"
)
_HOLDS_ARTICLE = XPath(".//h1 | .//*[@itemprop='articleBody']")
MIN_AVERAGE_TEXT = 20
MAX_AUTHOR_WORDS = 6
# An element whose class says it is the author may hold a longer nickname.
MAX_NAMED_AUTHOR_WORDS = 10
MAX_AUTHOR_CHARS = 60
MAX_DATE_CHARS = 60
MAX_LINK_SHARE = 0.5
# At least this share of a group's blocks must name an author.
MIN_AUTHOR_SHARE = 0.6
CONTEXT_ANCESTORS = 6
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+")
_BEFORE_DIGIT = re.compile(r"\d")
_COUNTER = re.compile(r"(?:^|\s)\d[\d\s.,]*(?:\s|$)|:")
_WORD_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])")
# CSS modules append a hash with digits or capitals (``styles_review__3-iKi``,
# ``styles_text__FoFti``); a BEM element name (``comment__author``) is kept.
_CSS_MODULE_HASH = re.compile(r"__(?=[\w-]*[0-9A-Z])[A-Za-z0-9_-]{3,10}$")


@dataclass
class _Block:
    element: HtmlElement
    author: str | None
    author_elements: list[HtmlElement]
    body: HtmlElement
    date: str | None
    date_elements: list[HtmlElement]


@cache
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation per word list: substring tests at C speed."""
    return re.compile("|".join(re.escape(word) for word in words))


def _count_before(headings: list[tuple[int, HtmlElement]], position: int) -> int:
    """How many headings come before ``position`` in page order (binary search)."""
    return bisect.bisect_left(headings, position, key=lambda entry: entry[0])


class _Page:
    """What the detector computes about one page's elements, each at most once."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._words: dict[HtmlElement, str] = {}
        self._blocks: dict[HtmlElement, _Block | None] = {}
        self._lengths: dict[HtmlElement, int] = {}
        self._has: dict[tuple[HtmlElement, int], bool] = {}
        self._authors: dict[HtmlElement, tuple[list[HtmlElement], str | None]] = {}
        self._elements: dict[HtmlElement, list[HtmlElement]] = {}
        self._signatures: dict[HtmlElement, tuple[str, str] | None] = {}
        self._order: dict[HtmlElement, int] | None = None
        # Blocks of the same shape nested in a block (its replies), by block.
        self.nested: dict[HtmlElement, list[HtmlElement]] = {}

    def words(self, element: HtmlElement) -> str:
        """Class, id, itemprop and data-role, lower-cased, camelCase split, without the
        hashes CSS modules append (``styles_nameLink__Cxtf1`` -> ``styles_name-link``)."""
        cached = self._words.get(element)
        if cached is None:
            parts: list[str] = []
            for name in ("class", "id", "itemprop", "data-role"):
                value = element.get(name)
                if value:
                    parts.extend(
                        _WORD_SPLIT.sub("-", _CSS_MODULE_HASH.sub("", token))
                        for token in value.split()
                    )
            cached = " ".join(parts).lower()
            self._words[element] = cached
        return cached

    def has_word(self, element: HtmlElement, words: tuple[str, ...]) -> bool:
        key = (element, id(words))
        cached = self._has.get(key)
        if cached is None:
            text = self.words(element)
            cached = bool(text) and _word_pattern(words).search(text) is not None
            self._has[key] = cached
        return cached

    def length(self, element: HtmlElement) -> int:
        """Characters of visible-ish text (whitespace collapsed), a cheap size measure."""
        cached = self._lengths.get(element)
        if cached is None:
            cached = len(" ".join("".join(element.itertext()).split()))
            self._lengths[element] = cached
        return cached

    def block(self, member: HtmlElement) -> _Block | None:
        if member not in self._blocks:
            self._blocks[member] = _block(self, member)
        return self._blocks[member]

    def author(self, member: HtmlElement) -> tuple[list[HtmlElement], str | None]:
        """The block's author alone: cheaper than :meth:`block`, and enough to turn
        most groups (menus, link lists) down."""
        if member not in self._authors:
            self._authors[member] = (
                ([], None) if is_chrome(member) else _author(self, member, self.elements(member))
            )
        return self._authors[member]

    def elements(self, member: HtmlElement) -> list[HtmlElement]:
        cached = self._elements.get(member)
        if cached is None:
            cached = self._elements[member] = _own_elements(self, member)
        return cached

    def headings(self, element: HtmlElement) -> list[HtmlElement]:
        """The nearest heading above ``element`` in page order, and the nearest main
        heading (a section's h3 may sit between a "Critic Reviews" h1 and the quotes)."""
        if self._order is None:
            self._order = {}
            self._heading_list: list[tuple[int, HtmlElement]] = []
            for index, node in enumerate(self.doc.tree.iter()):
                self._order[node] = index
                if node.tag in _HEADING_TAGS:
                    self._heading_list.append((index, node))
        found: list[HtmlElement] = []
        main = False
        count = _count_before(self._heading_list, self._order.get(element, 0))
        for _, heading in reversed(self._heading_list[:count]):
            if heading in element.iterancestors():
                continue
            if not found:
                found.append(heading)
                main = heading.tag in _MAIN_HEADING_TAGS
            elif heading.tag in _MAIN_HEADING_TAGS:
                found.append(heading)
                main = True
            if main:
                break
        return found

    def signature(self, element: HtmlElement) -> tuple[str, str] | None:
        if element in self._signatures:
            return self._signatures[element]
        found = self._signatures[element] = _signature(element)
        return found


class GenericCommentsExtractor(CommentExtractor):
    name: ClassVar[str] = "generic-comments"
    tier: ClassVar[int] = TIER_PROSE
    comments_rank: ClassVar[int] = 90

    def matches(self, doc: Document) -> bool:
        return True

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        thread = _best_thread(doc)
        if thread is not None:
            extraction.comments = build_records(_found(thread), self.name)
            if extraction.comments:
                extraction.prune_xpaths = thread.prune
        return extraction

    def find(self, doc: Document) -> list[FoundComment]:
        thread = _best_thread(doc)
        return [] if thread is None else _found(thread)


@dataclass
class _Thread:
    page: _Page
    blocks: list[_Block]
    prune: list[str]
    # The region says its blocks are reviews (a review list rather than a discussion).
    reviews: bool = False


# --- finding the thread -------------------------------------------------------------------


def _signature(element: HtmlElement) -> tuple[str, str] | None:
    """Tag and leading class up to its first digit, without a CSS-module hash (``post-17``
    and ``post-18`` are alike); else the id's stem (``edit123`` -> ``#edit``); else the
    bare tag of a list item, article or table row."""
    tag = element.tag
    if not isinstance(tag, str):
        return None
    tokens = (element.get("class") or "").split()
    if tokens:
        first = _BEFORE_DIGIT.split(_CSS_MODULE_HASH.sub("", tokens[0]), maxsplit=1)[0]
        if first:
            return (tag, first)
    identifier = element.get("id") or ""
    if _DIGIT.search(identifier):
        stem = _NUMBER.sub("", identifier).strip("-_")
        if stem:
            return (tag, f"#{stem}")
    if tag in ("li", "article", "tr", "dd", "section", "blockquote"):
        return (tag, "")
    return None


def _best_thread(doc: Document) -> _Thread | None:
    """The page's comment thread: every block of the best group's shape, and what to
    prune from the main text."""
    page = _Page(doc)
    best: tuple[HtmlElement, tuple[str, str]] | None = None
    best_score = (0, 0)
    for parent in _CANDIDATE_PARENTS(doc.tree):
        groups: dict[tuple[str, str], int] = defaultdict(int)
        for child in parent:
            signature = page.signature(child)
            if signature is not None:
                groups[signature] += 1
        candidates = [s for s, n in groups.items() if n >= MIN_BLOCKS]
        if not candidates or _in_furniture(page, parent):
            continue
        for signature in candidates:
            members = [child for child in parent if page.signature(child) == signature]
            blocks = _accepted(page, parent, members)
            if blocks is None:
                continue
            score = (
                sum(1 for b in blocks if b.author),
                sum(page.length(b.body) for b in blocks),
            )
            if score > best_score:
                best, best_score = (parent, signature), score
    if best is None:
        return None
    parent, signature = best
    roots = _thread_roots(page, parent, signature)
    members = _members(page, roots, signature)
    blocks = [block for block in (page.block(m) for m in members) if block is not None]
    # Beyond the group that proved the thread, a block must name its author or date.
    blocks = [
        b
        for b in blocks
        if (b.author or b.date or b.element.getparent() is parent)
        and not is_placeholder(_block_text(page, b, members))
    ]
    if len(blocks) < MIN_BLOCKS:
        return None
    reviews = any(
        page.has_word(element, _REVIEW_WORDS)
        for element in [blocks[0].element, *roots, *list(roots[0].iterancestors())[:2]]
    )
    shared = _shared_classes([b.element for b in blocks if page.signature(b.element) == signature])
    prune = _prune_expressions([_region(page, roots)], signature, shared)
    if not prune:
        prune = _prune_expressions(roots, signature, shared)
    return _Thread(page=page, blocks=blocks, prune=prune, reviews=reviews)


def _members(
    page: _Page, roots: list[HtmlElement], signature: tuple[str, str]
) -> list[HtmlElement]:
    """Every block of the thread, in page order: the group's shape anywhere under its
    containers (replies nested in comments, blocks after an ad or in a "more" box),
    and same-tag blocks whose class or id names a comment or reply although their
    leading class differs (alternating ``alt`` classes, ``div.reply`` in ``div.comment``)."""
    tag = signature[0]
    shaped = {
        element
        for root in roots
        for element in root.iterdescendants(tag)
        if page.signature(element) == signature
    }
    parts = {
        part
        for member in shaped
        if (block := page.block(member)) is not None
        for part in block.author_elements
    }
    members: list[HtmlElement] = []
    for root in roots:
        for element in root.iterdescendants(tag):
            if element in shaped:
                members.append(element)
            elif page.has_word(element, _THREAD_WORDS) and page.signature(element) is not None:
                block = page.block(element)
                # Not a wrapper around a block's own parts, and not a lone quotation.
                if (
                    block is not None
                    and block.author
                    and not any(part in parts for part in element.iterdescendants())
                    and not element.xpath("ancestor::blockquote")
                ):
                    members.append(element)
    return [m for m in members if not _in_critics(page, m, roots[0])]


def _thread_roots(page: _Page, parent: HtmlElement, blocks: tuple[str, str]) -> list[HtmlElement]:
    """The thread's container and the same-shaped containers near it that hold blocks of
    the same kind too: a thread split into page containers, or a "shown" list and a
    "load more" box after it. Near = inside the comment region around the container
    (the nearest ancestor whose class or id names comments), else its parent."""
    signature = page.signature(parent)
    container = parent.getparent()
    if signature is None or container is None:
        return [parent]
    for ancestor in list(parent.iterancestors())[:CONTEXT_ANCESTORS]:
        if ancestor.tag in ("body", "html"):
            break
        if page.has_word(ancestor, _THREAD_WORDS) and not _in_furniture(page, ancestor):
            container = ancestor
            break
    roots = [
        element
        for element in container.iter(parent.tag)
        if element is parent
        or (
            page.signature(element) == signature
            and any(page.signature(block) == blocks and _authored(page, block) for block in element)
        )
    ]
    chosen = set(roots)
    return [root for root in roots if not any(a in chosen for a in root.iterancestors())]


def _authored(page: _Page, element: HtmlElement) -> bool:
    block = page.block(element)
    return block is not None and block.author is not None


def _region(page: _Page, roots: list[HtmlElement]) -> HtmlElement:
    """The comment region around the thread (its heading, "load more" button and form
    with it) when it holds little else: what the main text must lose."""
    if len(roots) > 1:
        common = [a for a in roots[0].iterancestors() if all(a in r.iterancestors() for r in roots)]
        if not common:
            return roots[0]
        region = common[0]
    else:
        region = roots[0]
    thread_length = sum(page.length(root) for root in roots)
    limit = min(MAX_REGION_EXTRA_CHARS, max(MIN_REGION_EXTRA_CHARS, thread_length // 4))
    for ancestor in list(region.iterancestors())[:CONTEXT_ANCESTORS]:
        if ancestor.tag in ("body", "html", "main", "article") or _HOLDS_ARTICLE(ancestor):
            break
        if page.length(ancestor) - thread_length > limit:
            break
        added = [child for child in ancestor if child is not region]
        if any(_is_other_prose(child) for child in added):
            break  # a paragraph or a heading of something else: the article, a post
        region = ancestor
    return region


def _is_other_prose(element: HtmlElement) -> bool:
    """A paragraph, or a heading that does not announce the comments ("Comments (5)")."""
    for hit in _PROSE(element):
        if hit.tag in ("p", "h1"):
            return True
        if not _THREAD_HEADING.search(element_inline_text(hit)):
            return True
    return False


def _accepted(page: _Page, parent: HtmlElement, members: list[HtmlElement]) -> list[_Block] | None:
    """The group's blocks if they look like a comment thread, else None (cheap tests
    first: most groups of a page are menus and link lists)."""
    sizes = [page.length(member) for member in members]
    if sum(sizes) < MIN_BLOCKS * MIN_AVERAGE_TEXT:
        return None
    if not _thread_context(page, parent, members[0]):
        return None
    sized = [m for m, size in zip(members, sizes, strict=True) if size <= MAX_BLOCK_CHARS]
    authors = [author for author in (page.author(m)[1] for m in sized) if author]
    if len(authors) < MIN_BLOCKS or len(authors) < MIN_AUTHOR_SHARE * len(members):
        return None
    # One person's list (a profile's ratings or posts) is not a discussion.
    if len(authors) > MIN_BLOCKS and len({a.casefold() for a in authors}) == 1:
        return None
    if _in_critics(page, members[0], parent):
        return None
    found = [block for block in (page.block(m) for m in sized) if block is not None]
    if len(found) < MIN_BLOCKS:
        return None
    texts = [_block_text(page, block, members) for block in found]
    if sum(len(text) for text in texts) / len(texts) < MIN_AVERAGE_TEXT:
        return None
    if sum(1 for text in texts if is_form_text(text) or is_placeholder(text)) * 2 >= len(texts):
        return None
    # "Recent comments" widgets and link lists are mostly links.
    if sum(_link_share(page, block.body) for block in found) / len(found) > MAX_LINK_SHARE:
        return None
    return found


def _in_furniture(page: _Page, element: HtmlElement) -> bool:
    """Inside a sidebar, navigation or footer; or inside a widget with no comment region
    in between (page builders wrap everything in "widget" containers: Elementor's
    ``elementor-widget-container`` around ``div#comments`` is not a sidebar)."""
    in_thread = False
    for node in [element, *element.iterancestors()]:
        if node.tag in ("body", "html"):
            break  # their classes describe the page ("has-sidebar"), not the region
        if node.tag in _FURNITURE_TAGS or page.has_word(node, _FURNITURE_WORDS):
            return True
        if not in_thread and page.has_word(node, _WEAK_FURNITURE_WORDS):
            return True
        in_thread = in_thread or page.has_word(node, _THREAD_WORDS)
    return False


def _in_critics(page: _Page, member: HtmlElement, parent: HtmlElement) -> bool:
    """Critics' quotes: a critic class on the block, inside it, or on the region up to
    the group's container; a publisher in the block (schema.org press reviews); or a
    "critics" heading above the region."""
    inside = [e for e in member.iterdescendants() if isinstance(e.tag, str)]
    if page.has_word(member, _CRITIC_WORDS) or any(
        page.has_word(e, _CRITIC_WORDS) or e.get("itemprop") == "publisher" for e in inside
    ):
        return True
    for node in [parent, *list(parent.iterancestors())[:CONTEXT_ANCESTORS]]:
        if page.has_word(node, _CRITIC_WORDS):
            return True
    return any(
        _CRITIC_HEADING.search(element_inline_text(heading)) for heading in page.headings(member)
    )


def _thread_context(page: _Page, parent: HtmlElement, member: HtmlElement) -> bool:
    if page.has_word(member, _THREAD_WORDS):
        return True
    for node in [parent, *list(parent.iterancestors())[:CONTEXT_ANCESTORS]]:
        if page.has_word(node, _THREAD_WORDS):
            return True
    # The heading above the region, or inside it above the first block.
    headings = [*page.headings(parent), *page.headings(member)]
    return any(_THREAD_HEADING.search(element_inline_text(heading)) for heading in headings)


# --- one block ----------------------------------------------------------------------------


def _block(page: _Page, member: HtmlElement) -> _Block | None:
    if is_chrome(member):
        return None
    elements = page.elements(member)
    author_elements, author = page.author(member)
    dates, date = _date(page, member, elements, author_elements)
    body = _body(page, member, elements, author_elements, dates)
    return _Block(
        element=member,
        author=author,
        author_elements=author_elements,
        body=body,
        date=date,
        date_elements=dates,
    )


def _own_elements(page: _Page, member: HtmlElement) -> list[HtmlElement]:
    """The block's elements in document order, without the blocks of the same kind
    nested in it (its replies)."""
    signature = page.signature(member)
    elements: list[HtmlElement] = []
    nested: list[HtmlElement] = []
    stack = list(reversed(member))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if page.signature(element) == signature:
            nested.append(element)
            continue
        elements.append(element)
        stack.extend(reversed(element))
    page.nested[member] = nested
    return elements


def _short_name(text: str, max_words: int = MAX_AUTHOR_WORDS) -> bool:
    return (
        0 < len(text) <= MAX_AUTHOR_CHARS
        and len(text.split()) <= max_words
        and not _DATE_TEXT.search(text)
        and not text.replace(" ", "").isdigit()
    )


def _author(
    page: _Page, member: HtmlElement, elements: list[HtmlElement]
) -> tuple[list[HtmlElement], str | None]:
    """The block's author: a named element, a profile link, or a name after a label."""
    named = [
        e
        for e in elements
        if (page.has_word(e, _AUTHOR_WORDS) or "fn" in classes(e))
        and page.length(e) <= 2 * MAX_AUTHOR_CHARS
        and not page.has_word(e, _NOT_AUTHOR_WORDS)
        and _short_name(element_inline_text(e), MAX_NAMED_AUTHOR_WORDS)
        and not _is_counter(element_inline_text(e))
    ]
    # The innermost candidate: ``.comment-meta`` may hold ``.fn`` and the date.
    innermost = [e for e in named if not any(other in named for other in e.iterdescendants())]
    if innermost:
        return [innermost[0]], element_inline_text(innermost[0])
    for element in elements:
        # An author box that also holds the date or counters ("Rolf <time>…</time>",
        # "Wisdom 21 abonnés"): the name is its own text or its first name-like part.
        if page.has_word(element, _AUTHOR_WORDS) and not page.has_word(element, _NOT_AUTHOR_WORDS):
            name = _name_in_box(element)
            if name is not None:
                return [name[0]], name[1]
    for element in elements:
        if element.get("itemprop") == "author" or "author" in (element.get("rel") or "").split():
            text = element_inline_text(element)
            if _short_name(text):
                return [element], text
    for element in elements:
        if element.tag == "a" and _PROFILE_HREF.search(element.get("href") or ""):
            text = element_inline_text(element)
            if _short_name(text):
                return [element], text
    return _labelled_author(member, elements)


_NAME_TAGS = frozenset({"a", "b", "strong", "span", "cite", "em", "bdi", "h3", "h4", "h5"})


def _name_in_box(box: HtmlElement) -> tuple[HtmlElement, str] | None:
    own = inline_text(box.text)
    if own and _short_name(own) and not _DIGIT.search(own):
        return box, own
    for element in box.iterdescendants():
        if element.tag not in _NAME_TAGS or len(element):
            continue
        text = element_inline_text(element)
        if text and _short_name(text, 4) and not _is_counter(text):
            return element, text
    return None


def _is_counter(text: str) -> bool:
    """A counter or label rather than a name ("21 abonnés", "Posts: 144")."""
    return bool(_COUNTER.search(text))


def _labelled_author(
    member: HtmlElement, elements: list[HtmlElement]
) -> tuple[list[HtmlElement], str | None]:
    """A name right after a label: "by <a>", "Recommended by <a>", "作者：<b>", or a
    label element followed by the value (``<dt>작성자</dt><dd>이름</dd>``)."""
    for candidate in _after_label(member, elements, _BY_LABEL, _AUTHOR_LABEL_ELEMENT):
        text = element_inline_text(candidate)
        if _short_name(text):
            return [candidate], text
    return [], None


def _after_label(
    member: HtmlElement,
    elements: list[HtmlElement],
    label: re.Pattern[str],
    label_element: re.Pattern[str],
) -> list[HtmlElement]:
    """Elements that follow a label: the first child after an element's leading text
    ending with ``label``, the next sibling after a tail ending with it, or the next
    sibling of an element whose whole text is ``label_element``."""
    found: list[HtmlElement] = []
    for element in [member, *elements]:
        if len(element) and element.text and label.search(element.text):
            found.append(element[0])
        if element is member:
            continue
        if (element.tail and label.search(element.tail)) or (
            not len(element) and element.text and label_element.fullmatch(element.text)
        ):
            following = element.getnext()
            if following is not None:
                found.append(following)
    return [e for e in found if isinstance(e.tag, str)]


def _date(
    page: _Page,
    member: HtmlElement,
    elements: list[HtmlElement],
    authors: list[HtmlElement],
) -> tuple[list[HtmlElement], str | None]:
    for element in elements:
        if element.tag == "time":
            value = inline_text(element.get("datetime")) or element_inline_text(element)
            if value:
                return [element], value
    for element in elements:
        prop = element.get("itemprop") or ""
        if prop in ("datePublished", "dateCreated", "commentTime") and element.get("content"):
            return [element], inline_text(element.get("content"))
    candidates = []
    for element in elements:
        if element in authors or not page.has_word(element, _DATE_WORDS):
            continue
        text = element_inline_text(element)
        if (_DIGIT.search(text) or _RELATIVE_DATE.search(text)) and len(text) <= MAX_DATE_CHARS:
            candidates.append((len(text), element, text))
    if candidates:
        _, element, text = min(candidates, key=lambda entry: entry[0])
        return [element], text
    for element in _after_label(member, elements, _DATE_LABEL, _DATE_LABEL):
        text = element_inline_text(element)
        if text and len(text) <= MAX_DATE_CHARS and element not in authors:
            return [element], text
    for element in elements:
        if element in authors or len(element):
            continue
        text = element_inline_text(element)
        if text and len(text) <= MAX_DATE_CHARS and _DATE_TEXT.search(text):
            return [element], text
    return [], None


def _body(
    page: _Page,
    member: HtmlElement,
    elements: list[HtmlElement],
    authors: list[HtmlElement],
    dates: list[HtmlElement],
) -> HtmlElement:
    """The largest text-named element apart from the author (else one holding it, else
    the block itself)."""
    parts = set(authors) | set(dates)
    nested = page.nested.get(member, [])

    def own_length(element: HtmlElement) -> int:
        # A list of replies is long but holds none of this comment's own text.
        inside = sum(page.length(n) for n in nested if element in n.iterancestors())
        return page.length(element) - inside

    candidates = [
        e
        for e in elements
        if e not in parts
        and page.has_word(e, _TEXT_WORDS)
        and not page.has_word(e, _NOT_TEXT_WORDS)
        and not is_chrome(e)
        and own_length(e) > 0
    ]
    apart = [e for e in candidates if not any(p in parts for p in e.iterdescendants())]
    for pool in (apart, candidates):
        if pool:
            return max(pool, key=own_length)
    return member


def _link_share(page: _Page, element: HtmlElement) -> float:
    total = page.length(element)
    if not total:
        return 1.0
    linked = sum(page.length(link) for link in element.iter("a"))
    return min(linked / total, 1.0)


def _block_text(page: _Page, block: _Block, members: list[HtmlElement]) -> str:
    others = set(members) - {block.element}
    parts = set(block.author_elements) | set(block.date_elements)

    def skip(element: HtmlElement) -> bool:
        return (
            element in parts
            or element in others
            or (
                element is not block.body
                and page.has_word(element, _NOT_TEXT_WORDS)
                and not page.has_word(element, _TEXT_WORDS)
            )
        )

    return flatten(block.body, skip=skip)


# --- the records ----------------------------------------------------------------------------


def _depth(element: HtmlElement) -> float | None:
    """How far a flat block is indented: a ``depth-2`` class, a ``margin-left`` style,
    or an indent cell (Hacker News)."""
    for token in (element.get("class") or "").lower().split():
        match = _DEPTH_TOKEN.match(token)
        if match:
            return float(match.group(1))
    for node in [element, *element.iterchildren()]:
        indent = style_depth(node) if isinstance(node.tag, str) else None
        if indent is not None:
            return indent
    return _indent_cell(element)


def _found(thread: _Thread) -> list[FoundComment]:
    page, blocks = thread.page, thread.blocks
    members = [block.element for block in blocks]
    index_of = {element: index for index, element in enumerate(members)}
    depths = [_depth(block.element) for block in blocks]
    indented = len({d for d in depths if d is not None}) > 1
    found: list[FoundComment] = []
    for index, block in enumerate(blocks):
        parent = next((index_of[a] for a in block.element.iterancestors() if a in index_of), None)
        depth = depths[index]
        if parent is None and indented and depth is not None:
            parent = _indented_parent(depths, index, depth)
        text = _block_text(page, block, members)
        review = thread.reviews and parent is None
        if review:
            title = _title(page, block)
            if title and not text.startswith(title):
                text = f"{title}\n\n{text}"
        found.append(
            FoundComment(
                text=text,
                author=block.author,
                published_raw=block.date,
                parent=parent,
                kind="review" if review else "comment",
            )
        )
    return found


def _title(page: _Page, block: _Block) -> str | None:
    """A review's headline: a heading or title-named element apart from the text."""
    parts = set(block.author_elements) | set(block.date_elements)
    for element in page.elements(block.element):
        # A headline inside the text element is left out of the text (title words).
        if element in parts or element is block.body or element in block.body.iterancestors():
            continue
        if element.tag in ("h2", "h3", "h4", "h5") or page.has_word(element, _TITLE_WORDS):
            text = element_inline_text(element)
            if 0 < len(text) <= MAX_TITLE_CHARS and not any(p in parts for p in element.iter()):
                return text
    return None


def _indented_parent(depths: list[float | None], index: int, depth: float) -> int | None:
    """The nearest earlier block indented less than this one."""
    for earlier in range(index - 1, -1, -1):
        other = depths[earlier]
        if other is not None and other < depth:
            return earlier
    return None


def _shared_classes(blocks: list[HtmlElement]) -> list[str]:
    """The class tokens every block has (``review-card`` of ``hred review-card cf``)."""
    if not blocks:
        return []
    common = set((blocks[0].get("class") or "").split())
    for block in blocks[1:]:
        common &= set((block.get("class") or "").split())
    first = (blocks[0].get("class") or "").split()
    return [t for t in first if t in common and "'" not in t and not _DIGIT.search(t)]


def _prune_expressions(
    roots: list[HtmlElement], signature: tuple[str, str], shared: list[str]
) -> list[str]:
    """XPaths for the thread's containers: by id, else by tag and classes and the kind
    of block they hold (never a bare tag or a loose class, which could remove the
    article itself)."""
    block = _block_test(signature, shared)
    expressions: list[str] = []
    for root in roots:
        identifier = root.get("id")
        if identifier and "'" not in identifier:
            expressions.append(f"//*[@id='{identifier}']")
            continue
        tokens = (root.get("class") or "").split()
        if block is None or any("'" in token for token in tokens):
            continue
        tests = "".join(f"[{class_test(token)}]" for token in tokens)
        scope = _id_scope(root)
        if not tests and not scope:
            continue
        expressions.append(f"{scope}//{root.tag}{tests}[{block}]")
    return sorted(set(expressions), key=expressions.index)


def _block_test(signature: tuple[str, str], shared: list[str]) -> str | None:
    """A relative XPath step for a block of ``signature``: its leading class's stable
    prefix and the class tokens all blocks share."""
    tag, first = signature
    if not re.fullmatch(r"[A-Za-z][\w-]*", tag) or "'" in first:
        return None
    tests = "".join(f"[{class_test(token)}]" for token in shared)
    if first.startswith("#"):
        return f".//{tag}[starts-with(@id,'{first[1:]}')]{tests}"
    if first and first not in shared:
        return f".//{tag}[starts-with(normalize-space(@class),'{first}')]{tests}"
    return f".//{tag}{tests}"


def _id_scope(element: HtmlElement) -> str:
    for ancestor in element.iterancestors():
        identifier = ancestor.get("id")
        if identifier and "'" not in identifier and ancestor.tag not in ("html", "body"):
            return f"//*[@id='{identifier}']"
    return ""
