"""What every per-comment extractor shares: text flattening, chrome filters, records.

trafilatura gives a page's comments as one flat string without authors, so each
comment platform has its own extractor (``wordpress_comments``, ``review_comments``
...). They all find comment *blocks* in their own way and then hand
:class:`FoundComment` values to :meth:`CommentExtractor.extract`, which turns them into
:class:`~schemas.records.CommentRecord` s the same way everywhere:

* text is plain text: block elements become paragraphs joined by a blank line, ``<br>``
  a line break, whitespace is collapsed, scripts, forms, buttons, images and interface
  chrome (reply links, "says:", vote counts, avatars) are left out, quotes are kept;
* a block whose text is empty or only comment-form boilerplate ("Leave a Reply") is
  dropped, and its replies are attached to its own parent;
* positions are the page order, ``parent_position`` the position of the answered
  comment, and a comment has a parent exactly when it is a ``reply`` (pingbacks and
  reviews answer the page, so they never have one).

Nothing here modifies ``doc.tree``: it is shared by every extractor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import lxml.html
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_PLATFORM, Extraction, Extractor
from schemas.records import CommentRecord


def class_test(*names: str) -> str:
    """An XPath predicate body: the element has any of the given class tokens."""
    return " or ".join(
        f"contains(concat(' ',normalize-space(@class),' '),' {name} ')" for name in names
    )


# ---------------------------------------------------------------------------
# Text flattening
# ---------------------------------------------------------------------------

# Elements whose content is never comment text.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "form",
        "button",
        "input",
        "textarea",
        "select",
        "option",
        "img",
        "svg",
        "video",
        "audio",
        "canvas",
        "map",
        "head",
        "title",
        "meta",
        "link",
    }
)
# Elements that start and end a paragraph.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "blockquote",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "address",
        "aside",
        "details",
        "summary",
        "fieldset",
        "center",
        "main",
    }
)
# Interface chrome inside comment blocks, by class token: reply and edit links, the
# "says:" label, avatars, vote and report widgets, screen-reader labels.
CHROME_CLASSES = frozenset(
    {
        "reply",
        "comment-reply",
        "comment-reply-link",
        "reply-link",
        "comment-reply-login",
        "says",
        "avatar",
        "comment-avatar",
        "edit-link",
        "comment-edit-link",
        "comment-awaiting-moderation",
        "comment-actions",
        "comment-tools",
        "report",
        "report-link",
        "flag",
        "vote",
        "votes",
        "vote-count",
        "like",
        "likes",
        "like-link-target",
        "share",
        "sharing",
        "sharedaddy",
        "screen-reader-text",
        "sr-only",
        "visually-hidden",
        "c-actions",
        "c-avatar",
        "c-score",
        "c-ignored",
        "read-more",
        "more-link",
    }
)

_EMOJI_CLASSES = frozenset({"wp-smiley", "emoji", "smiley", "emoticon"})

# Markers the flattener emits; only they become line and paragraph breaks (newlines
# in the source are ordinary whitespace, as in a browser).
_LINE = "\x00L"
_PARA = "\x00P"
_WHITESPACE = re.compile(r"\s+")
_PARA_SPLIT = re.compile(r"(?:\s*\x00[LP])*\s*\x00P(?:\s*\x00[LP])*\s*")
_LINE_SPLIT = re.compile(r"\s*\x00L\s*")
# Two line breaks in a row (``<br><br>``) separate paragraphs.
_DOUBLE_LINE = re.compile(r"\x00L(?:\s*\x00L)+")

SkipTest = Callable[[HtmlElement], bool]


def classes(element: HtmlElement) -> set[str]:
    value = element.get("class")
    return set(value.split()) if value else set()


def is_chrome(element: HtmlElement) -> bool:
    """Interface chrome (reply links, avatars, votes ...), recognised by class token."""
    return not CHROME_CLASSES.isdisjoint(classes(element)) or element.get("aria-hidden") == "true"


def _tag(element: HtmlElement) -> str | None:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else None


def flatten(root: HtmlElement, skip: SkipTest | None = None) -> str:
    """The visible text of ``root`` as normalised plain text.

    ``skip`` leaves out further elements (nested replies, headers); scripts, forms,
    images (except smiley and emoji images, which stand for typed text) and chrome
    (:data:`CHROME_CLASSES`) are always left out. Iterative, so
    arbitrarily deep markup cannot exhaust the stack.
    """
    parts: list[str] = []
    stack: list[tuple[HtmlElement, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = _tag(element)
        is_root = element is root
        if closing:
            if tag in BLOCK_TAGS:
                parts.append(_PARA)
            if not is_root and element.tail:
                parts.append(element.tail)
            continue
        if tag == "img" and not _EMOJI_CLASSES.isdisjoint(classes(element)):
            # WordPress turns a typed ":)" or an emoji into an image; its alt is the text.
            parts.append(element.get("alt") or "")
            if not is_root and element.tail:
                parts.append(element.tail)
            continue
        if (
            tag is None
            or tag in SKIP_TAGS
            or (not is_root and (is_chrome(element) or (skip is not None and skip(element))))
        ):
            if not is_root and element.tail:
                parts.append(element.tail)
            continue
        if tag == "br":
            parts.append(_LINE)
        elif tag in BLOCK_TAGS:
            parts.append(_PARA)
        if element.text:
            text = element.text
            if tag == "pre":
                text = text.replace("\n", _LINE)
            parts.append(text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return _normalise("".join(parts))


def _normalise(marked: str) -> str:
    paragraphs: list[str] = []
    for block in _PARA_SPLIT.split(_DOUBLE_LINE.sub(_PARA, marked)):
        lines = [_WHITESPACE.sub(" ", line).strip() for line in _LINE_SPLIT.split(block)]
        lines = [line.replace("\x00", "") for line in lines if line.replace("\x00", "")]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


_MARKUP = re.compile(r"<\s*[a-zA-Z/!]")


def plain_text(value: str) -> str:
    """Normalise text that came as a string (JSON-LD ``reviewBody``, attributes).

    Blank lines separate paragraphs, single newlines are line breaks. Strings that
    carry markup (some sites put HTML into JSON-LD) are parsed and flattened, so no
    tag or script ever reaches the database.
    """
    if _MARKUP.search(value):
        try:
            fragment = lxml.html.fragment_fromstring(value, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            fragment = None
        if fragment is not None:
            return flatten(fragment)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    marked = re.sub(r"\n[ \t\f\v\xa0]*\n\s*", _PARA, value).replace("\n", _LINE)
    return _normalise(marked)


def inline_text(value: str | None) -> str:
    """One line of text with whitespace collapsed ('' for None)."""
    return _WHITESPACE.sub(" ", value or "").strip()


def element_inline_text(element: HtmlElement) -> str:
    return inline_text(flatten(element).replace("\n", " "))


# ---------------------------------------------------------------------------
# Authors, dates, boilerplate
# ---------------------------------------------------------------------------

# "Jane says:", "Jane sagt:", "Jane on 12 May 2020 said:", "Review by Jane".
_AUTHOR_SUFFIX = re.compile(
    r"\s*(?:\bon\b.{0,60}?)?\b(?:says|said|sagt|schreibt|schrieb|wrote|writes|dice|dijo|"
    r"escribió|dit|a écrit|disse|scrive|zegt|schreef|пишет|написал[а]?|mengatakan|berkata|"
    r"pisze|napsal[a]?)\s*(?::|\.\.\.|…)?\s*$",
    re.IGNORECASE,
)
_AUTHOR_PREFIX = re.compile(
    r"^\s*(?:review by|reviewed by|posted by|comment by|written by|by)\s+",
    re.IGNORECASE,
)
MAX_AUTHOR_LENGTH = 200


def clean_author(value: str | None) -> str | None:
    """An author name without "says:", "by", trailing colons; None when empty."""
    text = inline_text(value)
    if not text:
        return None
    text = _AUTHOR_SUFFIX.sub("", text)
    text = _AUTHOR_PREFIX.sub("", text)
    text = text.strip(" :|-–—·•\u200b")
    if not text or len(text) > MAX_AUTHOR_LENGTH:
        return None
    return text


def clean_date(value: str | None) -> str | None:
    """A date as shown, without separators around it and without unbalanced
    parentheses ("(12 May 2020)" -> "12 May 2020"; "21:03 (UTC)" stays)."""
    text = inline_text(value).strip(" |,·•-–—")
    text = text.rstrip(" (|,·•-–—").lstrip(" )|,·•-–—")
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].strip(" |,·•-–—")
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].strip(" |,·•-–—")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text or None


# Comment-form and notice text that must never become a comment (any language the
# real corpus shows; matched against whole lines).
_FORM_LINE = re.compile(
    r"^(?:"
    r"leave a (?:reply|comment|response)(?: to .*)?|add (?:a|your) comment|post (?:a )?comment|"
    r"submit comment|post reply|cancel reply|comments? (?:are )?closed\.?|"
    r"your email address will not be published\.?.*|required fields are marked.*|"
    r"this site uses akismet to reduce spam\..*|notify me of (?:follow-up|new) .*|"
    r"save my name, email, and website .*|you must be logged in to post a comment\.?|"
    r"log in to reply|login to reply|logged in as .*|"
    r"schreibe einen kommentar.*|hinterlasse einen kommentar.*|kommentar verfassen.*|"
    r"deine e-mail-adresse wird nicht veröffentlicht\..*|"
    r"erforderliche felder sind mit .* markiert\.?"
    r")$",
    re.IGNORECASE,
)
# A comment's first or last line that is only an interface word or a vote count.
_CHROME_LINE = re.compile(
    r"^(?:reply|reply ↓|↓|antworten|antwort|répondre|responder|rispondi|ответить|"
    r"report|report abuse|melden|like|likes|share|permalink|quote|log in to reply|"
    r"login to reply|[+\-]?\d+(?:\s*[/|]\s*[+\-]?\d+)?|\d+\s+(?:likes?|votes?|points?))$",
    re.IGNORECASE,
)


def is_form_text(text: str) -> bool:
    """True when every line of ``text`` is comment-form or notice boilerplate."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return bool(lines) and all(_FORM_LINE.match(line) for line in lines)


# What a page shows where comments would be when there are none, or instead of a
# comment ("Dodaj komentarz" in an empty comment box): never a comment. Whole texts,
# compared lower-cased without surrounding punctuation; grouped by language.
_PLACEHOLDERS = (
    # en
    r"(?:there are )?no (?:comments?|reviews?|replies|responses|user reviews|ratings)"
    r"(?: (?:yet|so far|found|to show|posted yet))?",
    r"(?:be|become) the first(?: one)? to (?:comment|review|reply|respond|rate|write a review"
    r"|leave a (?:comment|review|reply)|add a (?:comment|review))\b.*",
    r"no one has (?:commented|reviewed|replied)(?: (?:yet|on this))?.*",
    r"(?:add|post|write|leave|submit) (?:a |your |the first )?(?:comment|review|reply)",
    r"(?:log ?in|sign ?in|register) to (?:comment|reply|review|post a comment|write a review)",
    r"\d+ (?:comments?|reviews?|replies)",
    r"comments? (?:are |is )?(?:closed|disabled|off)",
    r"this (?:comment|review|post) (?:has been|was) (?:deleted|removed)",
    r"(?:comment )?(?:deleted|removed)(?: by (?:the )?(?:user|author|moderator|admin))?",
    r"(?:comment|review|post) (?:deleted|removed)",
    # it, pl, cs, sk, hu, ro
    r"(?:nessun|non ci sono|ancora nessun) comment[oi](?: ancora)?|scrivi un commento"
    r"|lascia un commento|aggiungi un commento|sii il primo a commentare.*",
    r"dodaj komentarz|brak komentarzy|napisz komentarz|skomentuj|bądź pierwsz[ay].*"
    r"|nie ma jeszcze komentarzy|brak recenzji",
    r"(?:zatím )?žádné (?:komentáře|recenze)|(?:zatím )?nikdo nekomentoval.*|přidat komentář"
    r"|napsat komentář|buďte první.*|(?:zatiaľ )?žiadne komentáre",
    r"(?:még )?nincs(?:enek)? hozzászólás(?:ok)?|(?:încă )?nu există comentarii",
    # de, nl, sv/da/no, fr, es, pt
    r"(?:noch )?keine (?:kommentare|bewertungen|rezensionen)(?: vorhanden)?"
    r"|kommentar (?:schreiben|verfassen)|sei der erste.*|schreibe? den ersten kommentar.*",
    r"(?:nog )?geen reacties(?: geplaatst)?|reageer als eerste.*|plaats een reactie",
    r"(?:inga|ingen|ikke nogen) kommentarer(?: ännu| endnu)?|skriv en kommentar",
    r"(?:aucun|pas (?:encore )?de) (?:commentaires?|critiques?|avis)(?: pour le moment)?"
    r"|soyez le premier à (?:commenter|donner votre avis|réagir).*"
    r"|(?:ajouter|écrire|laisser) un (?:commentaire|avis)",
    r"(?:todavía |aún )?no hay (?:comentarios|reseñas|críticas)(?: todavía| aún)?"
    r"|sin comentarios|(?:sé|se) el primero en (?:comentar|opinar).*|deja (?:un|tu) comentario"
    r"|(?:añadir|escribir) (?:un )?comentario",
    r"(?:ainda )?(?:nenhum|sem|não há) comentários?(?: ainda)?|seja o primeiro a comentar.*"
    r"|deixe (?:um|seu) comentário|adicionar comentário",
    # ru, uk, tr, id/ms, vi, th, ar
    r"(?:комментариев|отзывов|рецензий) (?:пока )?нет"
    r"|(?:пока )?нет (?:комментариев|отзывов|рецензий)"
    r"|будьте первым.*|(?:оставить|добавить|написать) (?:комментарий|отзыв|рецензию)"
    r"|коментарів (?:поки )?немає|(?:залишити|додати) коментар",
    r"(?:henüz )?(?:hiç )?yorum (?:yok|yapılmamış)|ilk yorumu (?:sen )?yap.*|yorum (?:yap|yaz)",
    r"(?:belum ada|tiada|tidak ada) (?:komentar|komen|ulasan)|(?:tulis|tambah) komentar",
    r"chưa có (?:bình luận|đánh giá) nào|viết bình luận|ยังไม่มีความคิดเห็น|لا توجد تعليقات",
    # zh, ja, ko
    r"(?:暂|暫|目前|还|還|尚)?(?:无|無|没有|沒有|未有)(?:任何)?(?:评论|評論|留言|回复|回覆|回應|短评|影评|"
    r"评价|評價)(?:哦|喔)?|(?:快来)?抢沙发|(?:发表|發表|添加|我要)(?:评论|評論|留言)|留言",
    r"(?:まだ)?(?:コメント|レビュー)は(?:まだ)?ありません|(?:コメント|レビュー)を(?:書く|投稿する)"
    r"|コメントする",
    r"(?:등록된 )?(?:댓글|리뷰|후기)이? 없습니다|(?:첫 )?댓글을 (?:남겨|달아|작성해) ?주세요"
    r"|첫 댓글을 남겨보세요|댓글 (?:쓰기|달기|작성)|(?:삭제된|비밀) ?댓글입니다"
    r"|비밀 ?댓글(?:입니다)?|작성자가 삭제한 댓글입니다",
)
_PLACEHOLDER = re.compile("(?:" + "|".join(_PLACEHOLDERS) + ")", re.IGNORECASE)
_PLACEHOLDER_EDGES = " \t\n.!?…:;,-–—()[]{}\"'«»“”„‚‘’<>|/*+=#~·•!？！。：\u200b"
MAX_PLACEHOLDER_CHARS = 120


def is_placeholder(text: str) -> bool:
    """True when ``text`` is what a page shows instead of comments ("No comments yet",
    "Dodaj komentarz", "댓글이 없습니다", a "3 comments" counter), in any language above."""
    flat = inline_text(text).strip(_PLACEHOLDER_EDGES)
    if not flat or len(flat) > MAX_PLACEHOLDER_CHARS:
        return False
    return bool(_PLACEHOLDER.fullmatch(flat.lower()))


# What is left of "(<a>more</a>)" once the link is gone: "…监狱 ()".
_EMPTY_BRACKETS = re.compile(r"\s*(?:\(\s*\)|\[\s*\]|（\s*）|【\s*】)\s*$")


def strip_chrome_lines(text: str) -> str:
    """Remove interface words and vote counts from the start and end of a comment, and
    the empty brackets a removed "more" link leaves behind."""
    text = _EMPTY_BRACKETS.sub("", text)
    paragraphs = [p.split("\n") for p in text.split("\n\n")]
    while paragraphs:
        lines = paragraphs[-1]
        while lines and _CHROME_LINE.match(lines[-1].strip()):
            lines.pop()
        if lines:
            break
        paragraphs.pop()
    while paragraphs:
        lines = paragraphs[0]
        while lines and _CHROME_LINE.match(lines[0].strip()):
            lines.pop(0)
        if lines:
            break
        paragraphs.pop(0)
    return "\n\n".join("\n".join(lines) for lines in paragraphs)


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


@dataclass
class FoundComment:
    """One comment block as an extractor found it, before filtering and numbering.

    ``parent`` is the index of the answered comment in the same list (``None`` for a
    top-level comment); lists are in page order, parents before their replies.
    """

    text: str
    author: str | None = None
    published_raw: str | None = None
    kind: str = "comment"
    parent: int | None = None
    truncated: bool = False


def build_records(found: Sequence[FoundComment], extractor: str) -> list[CommentRecord]:
    """Number comments in page order, drop empty and form-text blocks, link replies."""
    new_position: dict[int, int | None] = {}
    records: list[CommentRecord] = []
    for index, comment in enumerate(found):
        parent = comment.parent
        # A dropped comment's replies answer the dropped comment's own parent.
        resolved = new_position.get(parent) if parent is not None and parent < index else None
        text = strip_chrome_lines(comment.text.strip())
        if not text or is_form_text(text) or is_placeholder(text):
            new_position[index] = resolved
            continue
        kind = comment.kind
        if kind in ("pingback", "review"):
            resolved = None  # they answer the page, never another comment
        elif resolved is not None:
            kind = "reply"
        elif kind == "reply":
            kind = "comment"
        position = len(records)
        new_position[index] = position
        records.append(
            CommentRecord(
                text=text,
                author=clean_author(comment.author),
                published_raw=clean_date(comment.published_raw),
                kind=kind,
                position=position,
                parent_position=resolved,
                extractor=extractor,
                truncated=comment.truncated,
            )
        )
    return records


class CommentExtractor(Extractor):
    """Base of the comment extractors: subclasses implement :meth:`find`.

    The regions the extractor reads comments from are removed before trafilatura
    decides the main text: ``prune`` lists them as XPath expressions, or
    :meth:`prune_regions` returns them as elements (cheaper, see
    :meth:`crawler.extract.document.Document.with_class_or_id`).
    """

    tier: ClassVar[int] = TIER_PLATFORM
    comments_only: ClassVar[bool] = True
    prune: ClassVar[tuple[str, ...]] = ()

    def find(self, doc: Document) -> list[FoundComment]:
        raise NotImplementedError

    def page_urls(self, doc: Document) -> list[str]:
        """Further pages of this page's comments (absolute or relative URLs)."""
        return []

    def prune_regions(self, doc: Document) -> list[HtmlElement]:
        """The regions the comments came from, as elements of ``doc.tree``."""
        return []

    def prune_for(self, doc: Document) -> list[str]:
        """The regions to remove before the main text is decided: :attr:`prune`, unless
        the extractor knows better for this page (a forum's opening post stays)."""
        return list(self.prune)

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        extraction.comments = build_records(self.find(doc), self.name)
        if extraction.comments:
            extraction.comment_page_urls = self.page_urls(doc)
            extraction.prune_xpaths = self.prune_for(doc)
            extraction.prune_regions = self.prune_regions(doc)
        return extraction


def first_text(
    element: HtmlElement, expressions: Iterable[Callable[[HtmlElement], list[object]]]
) -> str | None:
    """The first non-empty inline text any of the compiled XPaths finds below ``element``.

    An XPath may return elements (their text is flattened) or strings (attributes,
    text nodes).
    """
    for expression in expressions:
        for hit in expression(element):
            text = (
                element_inline_text(hit) if isinstance(hit, HtmlElement) else inline_text(str(hit))
            )
            if text:
                return text
    return None
