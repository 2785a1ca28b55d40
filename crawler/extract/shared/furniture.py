"""Page furniture: the regions of a page that are never its main text, recognised by markup.

Families, each general across sites and languages:

* **landmarks**: ``nav``, ``aside``, ``footer``, ``form`` and the ARIA roles navigation,
  complementary, contentinfo, search;
* **names**: class or id words such as ``sidebar``, ``related``, ``recommendations``,
  ``footer``, ``ad``, ``login``, ``similarThreads`` (split at spaces, hyphens, underscores
  and camelCase humps, matched as whole words); navigation words (``menu``, ``nav``,
  ``breadcrumbs``) only on a block that is mostly links; the site's own header at the
  top of the page;
* **titles**: a block headed by a furniture title ("More like this", "Похожие фильмы",
  "猜你喜欢", "Similar Threads", "Ostatnio odwiedzone") in any of 16 languages, matched as
  the whole title, so "Related" heads furniture and "Related trivia about the shoot" does
  not; a paragraph of links led by a bold "À lire aussi :";
* **side columns**: link-dense siblings of the column that holds the page's content (its
  synopsis, its ``main`` element or its ``h1``) that are smaller than that column and
  carry less prose;
* **sign-in prompts**: a small block around a link to a login or registration page ("You
  are viewing as a guest… register");
* **boilerplate lines** of the extracted text: copyright and "powered by" lines, forum
  clocks ("All times are GMT -5"), advertisement labels.

The synopsis is located here too (:func:`synopsis_blocks`): where the markup marks the
work's description, or where the body holds the description stated in structured data.

What is content is protected: no rule removes a block that holds the page's heading, its
article body or its synopsis, nor (for the name, title and column rules) one that holds
most of the page's visible text. Everything here works on a tree the caller owns (a copy):
it is modified in place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.shared.markup import without_non_xml

# --- landmarks ------------------------------------------------------------------------

# Regions that are never main text on any platform: navigation, sidebars, footers, forms.
LANDMARK_TAGS = frozenset({"nav", "aside", "footer", "form"})
LANDMARK_ROLES = frozenset({"navigation", "complementary", "contentinfo", "search"})
# Comment threads and comment forms (their comments are extracted separately).
COMMENT_IDS = frozenset({"comments", "respond", "disqus_thread"})
COMMENT_CLASSES = frozenset({"comment-list", "commentlist", "comment-respond"})

# --- names ----------------------------------------------------------------------------

# Class/id words that mark page furniture, grouped by what they name. Matched as whole
# words of the attribute split at spaces, hyphens, underscores and camelCase humps
# ("aw-widgets" has the word "widgets", "mainMenu" the word "menu").
# Navigation words name a block of links; a block so named that carries prose is a
# site's content container with an unlucky name (Rotten Tomatoes' reviews sit in
# "movieobjectnav tertiarynav").
NAVIGATION_WORDS = frozenset(
    {
        "nav", "navi", "navbar", "navigation", "menu", "menubar", "submenu", "megamenu",
        "topnav", "subnav", "navlinks", "breadcrumb", "breadcrumbs", "pagination",
        "pagenav", "toolbar", "topbar", "dropdown",
    }
)  # fmt: skip
FURNITURE_WORDS = NAVIGATION_WORDS | frozenset(
    {
        # sidebars and widgets
        "sidebar", "aside", "rail", "sidebox", "sidecol", "sidecolumn", "rightcol",
        "leftcol", "rightcolumn", "leftcolumn", "widget", "widgets",
        # overlays
        "popup", "modal",
        # "more like this"
        "related", "recommend", "recommended", "recommendation", "recommendations",
        "recs", "similar", "similarthreads", "morelikethis", "suggested", "suggestions",
        "trending", "popular", "recently", "ticker", "ranking", "rankings",
        # sharing and following
        "share", "sharing", "sharedaddy", "social", "newsletter", "subscribe", "subscription",
        # advertising
        "ad", "ads", "advert", "advertisement", "adsbygoogle", "adslot", "adunit",
        "adsense", "banner", "sponsor", "sponsored", "promo",
        # sign-in, consent, paywall
        "login", "signin", "signup", "register", "registration", "paywall", "cookie",
        "consent",
        # page footers
        "footer", "colophon", "copyright",
        # forum chrome
        "threadtools", "forumrules", "forumjump", "jumpbox", "whosonline",
        # list controls
        "sort", "sortby", "sorting", "sorter", "sorters",
        # SEO blurbs, comment services
        "seo", "disqus",
    }
)  # fmt: skip
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NAME_SPLIT = re.compile(r"[^a-z0-9]+")
# "content-has-sidebar", "with-widgets", "no-related": words describing a layout that
# has furniture next to it, not the furniture itself.
_LAYOUT_MODIFIER = re.compile(
    r"\b(?:has|with|without|no|show|hide|left|right)[-_ ](?:\w+[-_ ])?(?:"
    + "|".join(sorted(FURNITURE_WORDS))
    + r")\b"
)


@lru_cache(maxsize=4096)
def name_words(names: str) -> frozenset[str]:
    """The words of class and id values: ``"p-breadcrumbs mainMenu"`` ->
    ``{"p", "breadcrumbs", "main", "menu"}``."""
    return frozenset(_NAME_SPLIT.split(_CAMEL_HUMP.sub(" ", names).lower())) - {""}


def is_furniture_name(names: str) -> bool:
    """Whether class/id values name page furniture (a layout modifier does not)."""
    return furniture_kind(names) is not None


@lru_cache(maxsize=4096)
def furniture_kind(names: str) -> str | None:
    """``"navigation"`` or ``"furniture"`` when class/id values name page furniture."""
    spaced = _CAMEL_HUMP.sub(" ", names).lower()
    words = name_words(_LAYOUT_MODIFIER.sub(" ", spaced))
    if not FURNITURE_WORDS.isdisjoint(words - NAVIGATION_WORDS):
        return FURNITURE
    if any(word.startswith(FURNITURE_STEMS) for word in words) or any(
        compound in spaced.replace("-", "").replace("_", "") for compound in FURNITURE_COMPOUNDS
    ):
        return FURNITURE
    if not NAVIGATION_WORDS.isdisjoint(words) or any(
        word.endswith(NAVIGATION_ENDINGS) for word in words
    ):
        return NAVIGATION
    return None


FURNITURE = "furniture"
NAVIGATION = "navigation"
# A navigation block is links, or small.
_NAVIGATION_LINK_SHARE = 0.5
_SMALL_BLOCK_CHARS = 200


# Stems that begin run-together furniture names, and compounds of common words that
# name furniture only together (Tistory's "another_category": the blog's other posts).
FURNITURE_STEMS = (
    "related", "similar", "recommend", "sidebar", "footer", "advert", "sponsor",
    "newsletter", "widget",
)  # fmt: skip
NAVIGATION_ENDINGS = ("menu", "nav", "navbar")
FURNITURE_COMPOUNDS = (
    "anothercategory", "morelikethis", "youmayalsolike", "alsolike", "readnext",
    "mostread", "mostpopular", "yarpp", "relposts",
)  # fmt: skip


# --- titles ---------------------------------------------------------------------------

# Titles of furniture blocks, compared letters-only and case-blind ("You may also like:"
# -> "youmayalsolike"). Whole titles; the prefixes below also match titles that go on
# with the film's or the site's name ("More like Goodfellas", "Похожие на «Город
# грехов»").
FURNITURE_TITLES: dict[str, tuple[str, ...]] = {
    "en": (
        "recommendations", "recommended", "recommended for you", "we recommend",
        "more like this", "you may also like", "you might also like", "you may like",
        "you might like", "you may be interested in", "you might be interested in",
        "related", "related posts", "related articles", "related stories", "related news",
        "related content", "related movies", "related films", "related titles",
        "related videos", "related links", "related threads", "similar movies",
        "similar films", "similar titles", "similar shows", "similar threads",
        "similar topics", "similar posts", "suggested threads", "suggested topics",
        "popular", "popular posts", "popular articles", "most popular", "most read",
        "trending", "trending now", "recent posts", "recent comments", "recently viewed",
        "latest news", "latest posts", "latest articles", "read next", "up next",
        "read more", "more stories", "more news", "also on", "share", "share this",
        "share this article", "share this post", "follow us", "newsletter",
        "advertisement", "sponsored", "sponsored content", "tags", "categories",
        "archives", "quick links", "posting rules", "thread tools", "display modes",
        "search this thread", "rate this thread", "bookmarks", "forum jump",
        "who is online", "users browsing this thread", "currently active users",
        "currently active users viewing this thread", "message boards",
        "contribute to this page", "get the app", "frequently bought together",
        "related products", "related items", "similar items", "similar products",
        "recently viewed items", "your browsing history", "sponsored products",
        "products related to this item", "related reviews",
    ),
    "fr": (
        "recommandations", "à voir aussi", "voir aussi", "à lire aussi", "lire aussi",
        "articles similaires", "films similaires", "séries similaires",
        "vous aimerez aussi", "vous aimerez peut être aussi", "vous aimerez peut être",
        "sur le même sujet", "les plus lus", "les plus populaires", "dernières news",
        "à découvrir", "partager", "suggestions", "publicité", "discussions similaires",
    ),
    "de": (
        "empfehlungen", "ähnliche filme", "ähnliche serien", "ähnliche artikel",
        "ähnliche themen", "ähnliche beiträge", "forumregeln", "themen optionen",
        "das könnte sie auch interessieren",
        "das könnte dich auch interessieren", "das könnte ihnen auch gefallen",
        "das könnte euch auch interessieren", "das könnte dir auch gefallen",
        "weitere artikel", "mehr zum thema", "verwandte artikel", "verwandte themen",
        "meistgelesen", "meistgelesene artikel", "beliebte artikel", "auch interessant",
        "teilen", "anzeige", "werbung", "zuletzt angesehen",
    ),
    "es": (
        "recomendaciones", "recomendados", "películas similares", "series similares",
        "artículos relacionados", "noticias relacionadas", "relacionados",
        "relacionadas", "te puede interesar", "también te puede interesar",
        "te recomendamos", "lo más leído", "lo más visto", "compartir", "publicidad",
        "temas similares", "vistos recientemente",
    ),
    "it": (
        "film simili", "serie simili", "articoli correlati", "correlati",
        "potrebbe interessarti", "ti potrebbe interessare", "potrebbero interessarti",
        "potrebbero interessarti anche", "i più letti", "i più visti", "condividi",
        "pubblicità", "discussioni simili", "consigliati", "visti di recente",
    ),
    "pt": (
        "filmes semelhantes", "filmes similares", "séries semelhantes",
        "artigos relacionados", "notícias relacionadas", "relacionados",
        "você também pode gostar", "veja também", "leia também", "mais lidas",
        "mais lidos", "compartilhe", "compartilhar", "publicidade", "tópicos semelhantes",
        "recomendados",
    ),
    "nl": (
        "vergelijkbare films", "gerelateerde artikelen", "gerelateerd",
        "misschien ook interessant", "lees ook", "meest gelezen", "delen", "advertentie",
        "aanbevolen",
    ),
    "ru": (
        "рекомендации", "рекомендуем", "похожие фильмы", "похожие сериалы",
        "похожие статьи", "похожие новости", "похожие темы", "похожие материалы",
        "вам может понравиться", "вам также может понравиться", "смотрите также",
        "читайте также", "популярное", "популярные статьи", "самое читаемое",
        "поделиться", "реклама", "если вам понравился этот фильм", "вы недавно смотрели",
    ),
    "pl": (
        "podobne filmy", "podobne seriale", "podobne artykuły", "podobne wątki",
        "podobne tematy", "zobacz także", "zobacz też", "czytaj także", "czytaj też",
        "polecane", "polecamy", "rekomendacje", "może cię zainteresować",
        "może cię również zainteresować", "popularne", "najczęściej czytane",
        "udostępnij", "reklama", "ostatnio odwiedzone", "ostatnio oglądane",
    ),
    "cs": (
        "podobné filmy", "podobné seriály", "doporučujeme", "doporučené",
        "mohlo by vás zajímat", "mohlo by vás také zajímat", "související články",
        "související", "čtěte také", "čtěte též", "nejčtenější", "sdílet", "reklama",
        "podobná témata", "naposledy navštívené",
    ),
    "tr": (
        "benzer filmler", "benzer diziler", "ilgili haberler", "ilgili yazılar",
        "bunlar da ilginizi çekebilir", "ilginizi çekebilir", "önerilenler",
        "en çok okunanlar", "paylaş", "reklam", "benzer konular",
    ),
    "zh": (
        "相关推荐", "猜你喜欢", "喜欢这部电影的人也喜欢", "喜欢这部剧集的人也喜欢",
        "喜歡這部電影的人也喜歡", "相关电影", "相關電影", "相关文章", "相關文章", "相关阅读",
        "相關閱讀", "延伸阅读", "延伸閱讀", "推荐阅读", "推薦閱讀", "热门推荐", "熱門推薦",
        "热门文章", "熱門文章", "相关新闻", "相關新聞", "更多推荐", "更多推薦", "你可能也喜欢",
        "你可能也喜歡", "你可能感兴趣", "你可能感興趣", "相似影片", "分享到", "分享",
        "广告", "廣告", "最近浏览", "最近瀏覽", "你最近浏览的电影", "你最近瀏覽的電影",
        "排行榜", "电影排行榜", "電影排行榜", "热门排行", "熱門排行", "票房排行榜", "为你推荐",
        "為你推薦", "看了又看", "相关商品", "相關商品",
    ),
    "ja": (
        "関連記事", "関連作品", "関連ニュース", "おすすめ", "おすすめ記事", "オススメ",
        "こちらもおすすめ", "あわせて読みたい", "合わせて読みたい", "人気記事",
        "この作品を見た人はこんな作品も見ています", "似ている作品", "シェアする",
        "シェア", "広告", "最近見た作品", "ランキング", "人気ランキング", "おすすめ商品",
        "この商品を買った人はこんな商品も買っています", "チェックした商品の履歴", "関連商品",
    ),
    "ko": (
        "관련 글", "관련 기사", "관련 영화", "추천 영화", "비슷한 영화",
        "이 영화와 비슷한 영화", "인기 글", "인기 기사", "함께 보면 좋은 글",
        "공유하기", "최근 글", "최근 댓글", "카테고리", "태그", "광고", "최근 본 영화",
        "랭킹", "인기 순위", "함께 구매한 상품", "추천 상품",
    ),
    "uk": (
        "схожі фільми", "рекомендації", "читайте також", "дивіться також", "поділитися",
    ),
    "sv": ("liknande filmer", "relaterade artiklar", "läs också", "dela", "annons"),
}  # fmt: skip
FURNITURE_TITLE_PREFIXES: tuple[str, ...] = (
    "more like", "more from", "similar to", "related to", "if you liked", "if you like",
    "if you enjoyed", "people who liked", "people who watched", "fans also", "others also",
    "viewers also", "customers who", "customers also", "also on", "more on", "kunden die",
    "похожие на", "если вам понравился", "喜欢这部", "喜歡這部",
)  # fmt: skip
# ... and endings: "'영화' 카테고리의 다른 글" (Tistory: the blog's other posts in a
# category), "「映画」カテゴリの他の記事", "电影分类的其他文章".
FURNITURE_TITLE_SUFFIXES: tuple[str, ...] = (
    "카테고리의 다른 글", "카테고리의 다른글", "의 다른 글", "の他の記事", "の最新記事",
    "的其他文章", "的其他文章列表",
)  # fmt: skip


def title_key(text: str) -> str:
    """Letters only, case-folded and composed: what a title is compared by."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text).casefold() if ch.isalpha())


_TITLE_KEYS = frozenset(title_key(title) for group in FURNITURE_TITLES.values() for title in group)
_TITLE_PREFIX_KEYS = tuple(title_key(prefix) for prefix in FURNITURE_TITLE_PREFIXES)
_TITLE_SUFFIX_KEYS = tuple(title_key(suffix) for suffix in FURNITURE_TITLE_SUFFIXES)
# A title is short; longer text is a sentence that merely starts like one.
_MAX_TITLE_CHARS = 80


# Articles a title may open with ("Les films similaires", "The related posts").
_LEADING_ARTICLE = re.compile(
    r"^(?:the|les|la|le|l'|los|las|el|die|der|das|gli|i|os|as|de|het)\s+", re.IGNORECASE
)


@lru_cache(maxsize=4096)  # a page repeats its card and column titles many times
def is_furniture_title(text: str) -> bool:
    """Whether a heading's text is the title of a furniture block."""
    if len(text) > _MAX_TITLE_CHARS:
        return False
    text = text.strip()
    without_article = _LEADING_ARTICLE.sub("", text, count=1)
    candidates = (text, without_article) if without_article != text else (text,)
    for candidate in candidates:
        key = title_key(candidate)
        if key and (
            key in _TITLE_KEYS
            or key.startswith(_TITLE_PREFIX_KEYS)
            or key.endswith(_TITLE_SUFFIX_KEYS)
        ):
            return True
    return False


_HEADING_RANKS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements that title a block without being a heading element: table header cells and
# boxes named as titles ("widget-title", vBulletin's "tcat"/"thead" cells).
_TITLE_TAGS = frozenset({"caption", "th", "td", "legend", "summary"})
_CELLS = frozenset({"th", "td"})
_TITLE_NAME_WORDS = frozenset(
    {"title", "titles", "heading", "head", "header", "hd", "caption", "tcat", "thead"}
)
_TITLE_RANK = 7  # below every heading element
# A bold lead-in that opens a paragraph of links: "<p><strong>À lire aussi :</strong>
# <a>…</a></p>", "Read more: …", "Читайте также: …".
_LEAD_TAGS = frozenset({"strong", "b"})
_LEAD_RANK = 8
_LEAD_BLOCKS = frozenset({"p", "div", "li"})
_LEAD_LINK_SHARE = 0.6

# --- sign-in prompts ------------------------------------------------------------------

# A login or registration page: a path segment (``/register``, ``login.php``,
# ``/users/sign_in``) or a forum's action parameter (``ucp.php?mode=register``).
_SIGN_IN_WORDS = (
    r"(?:register|registration|signup|sign[-_]up|login|log[-_]in|signin|sign[-_]in|wp-login|join)"
)
_SIGN_IN_HREF = re.compile(
    rf"(?:^|/){_SIGN_IN_WORDS}(?:\.(?:php|aspx?|html?|jsp|cgi))?/?(?:$|[?#])"
    rf"|[?&](?:do|mode|action|act|section)={_SIGN_IN_WORDS}(?:$|[&#])",
    re.IGNORECASE,
)
# A prompt is a few sentences; a block with more text is content that links to a login.
_MAX_PROMPT_CHARS = 1000
# ... and it is about signing in: two such links ("log in or register"), one that makes
# up a good part of it ("Log in to get rid of this advertisement"), or it is a line or
# two around one ("Contribute to this page. Edit page").
_PROMPT_LINK_SHARE = 0.3
_SHORT_PROMPT_CHARS = 300

# --- side columns ---------------------------------------------------------------------

_COLUMN_TAGS = frozenset(
    {"div", "section", "aside", "nav", "header", "footer", "ul", "ol", "dl", "table",
     "form", "menu", "details", "iframe", "center", "td"}
)  # fmt: skip
# A side column is link-dense (a sidebar's links against a prose column's) ...
_COLUMN_LINK_SHARE = 0.35
# ... and carries less than half the prose of the content column next to it.
_COLUMN_PROSE_RATIO = 0.5

# --- protection -----------------------------------------------------------------------

_PAGE_ROOTS = frozenset({"html", "body"})
_PROTECTED_TAGS = frozenset({"html", "body", "main", "article"})
# A furniture block holding more than this share of the page's visible text is the
# content (a theme naming its content column "main-widget").
MAX_FURNITURE_SHARE = 0.5
# A region named as comments that holds this share of what is left is the content.
_REST_SHARE = 0.9
# Markers of a page's article body or content column: ``main``, schema.org bodies and
# the class names content management systems give their article body
# ("entry-content", "l-article-body", "story__body", "post_text").
# What holds content: the page heading, the main landmark, a marked article body.
_CONTENT_TAGS = frozenset({"h1", "main"})
_BODY_PROPERTIES = frozenset({"articleBody", "reviewBody"})
_CONTENT_NAME = re.compile(
    r"(?:^|[\s_-])(?:article|entry|post|story)(?:[-_]{1,2})?(?:body|content|text)(?:$|[\s_-])",
    re.IGNORECASE,
)
# An article element is the content when it holds the page heading or most of the
# page's articles' text; other articles are teaser cards ("related posts").
_ARTICLE_SHARE = 0.5
_MAIN_COLUMN = etree.XPath(
    "(//main | //*[@role='main'] | //*[@itemprop='articleBody'])[1]"
)  # fmt: skip
_INVISIBLE = ("script", "style", "noscript", "template")


@dataclass
class Furniture:
    """Which regions of one page were removed, by family (for tests and debugging)."""

    landmarks: list[HtmlElement] = field(default_factory=list)
    names: list[HtmlElement] = field(default_factory=list)
    titles: list[HtmlElement] = field(default_factory=list)
    columns: list[HtmlElement] = field(default_factory=list)
    prompts: list[HtmlElement] = field(default_factory=list)

    @property
    def removed(self) -> int:
        return sum(
            len(found)
            for found in (self.landmarks, self.names, self.titles, self.columns, self.prompts)
        )


# Visible text length without Python walking every text node: the tree has had its
# scripts and styles stripped, so an element's string value is its visible text.
_TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")
_LINK_TEXTS = etree.XPath(".//a//text()")


def visible_length(element: HtmlElement) -> int:
    """Characters of visible text, runs of white space counted as one."""
    return int(_TEXT_LENGTH(element))


def link_length(element: HtmlElement) -> int:
    """Characters of visible text inside links."""
    return sum(len(" ".join(text.split())) for text in _LINK_TEXTS(element))


def strip_invisible(tree: HtmlElement) -> None:
    """Remove scripts, styles, templates and noscript fallbacks (never main text)."""
    etree.strip_elements(tree, *_INVISIBLE, with_tail=False)


def remove_furniture(tree: HtmlElement, synopses: Sequence[HtmlElement] = ()) -> Furniture:
    """Remove every furniture region from ``tree`` (scripts already stripped), keeping
    the page's content: its headings, article body, ``synopses`` (elements holding the
    page's synopsis) and whatever holds most of its text."""
    found = Furniture()
    guard = _Guard(tree, synopses)
    landmarks: list[HtmlElement] = []
    named: list[tuple[HtmlElement, str]] = []
    titles: list[tuple[HtmlElement, int]] = []
    sign_in_links: list[HtmlElement] = []
    for element in tree.iter(etree.Element):
        tag = element.tag
        if not isinstance(tag, str) or tag in _PROTECTED_TAGS:
            continue
        classes = element.get("class", "")
        element_id = element.get("id", "")
        if (
            tag in LANDMARK_TAGS
            or element.get("role") in LANDMARK_ROLES
            or element_id in COMMENT_IDS
            or (classes and not COMMENT_CLASSES.isdisjoint(classes.split()))
        ):
            landmarks.append(element)
            continue
        names = f"{classes} {element_id}" if classes or element_id else ""
        kind = furniture_kind(names) if names else None
        if kind is None and _site_header(element, names):
            kind = FURNITURE
        if kind is not None:
            named.append((element, kind))
        rank = _HEADING_RANKS.get(tag)
        if rank is not None:
            if rank > 1:
                titles.append((element, rank))
        elif _is_title_element(element, names):
            titles.append((element, _TITLE_RANK))
        elif tag in _LEAD_TAGS and _leads_block(element):
            titles.append((element, _LEAD_RANK))
        if tag == "a" and _SIGN_IN_HREF.search(element.get("href", "")):
            sign_in_links.append(element)

    if any(element.tag == "form" for element in landmarks):
        guard.measure(tree)
    rest = _RestOfPage(tree)
    for element in landmarks:
        # A landmark never holds the synopsis; a form may wrap a whole page (ASP.NET).
        if guard.holds_synopsis(element) or (element.tag == "form" and guard.is_content(element)):
            continue
        if element.tag not in LANDMARK_TAGS and rest.held_by(element):
            _unname_comments(element)
            continue
        if _drop(element, tree):
            found.landmarks.append(element)
    guard.measure(tree)
    cards: set[HtmlElement] = set()  # blocks kept as one of a run of content cards
    for element, kind in named:
        if not _attached(element, tree) or guard.is_content(element):
            continue
        if guard.is_content_group(element) or any(a in cards for a in element.iterancestors()):
            cards.add(element)
            continue
        if kind == NAVIGATION and not _navigation_like(element):
            continue
        if _drop(element, tree):
            found.names.append(element)
    for title, rank in titles:
        if not _attached(title, tree) or not is_furniture_title(_flat_text(title)):
            continue
        section = _led_links(title) if rank == _LEAD_RANK else _titled_section(title, rank)
        for element in section:
            if not guard.is_content(element) and _drop(element, tree):
                found.titles.append(element)
    for link in sign_in_links:
        prompt = _prompt_block(link) if _attached(link, tree) else None
        if prompt is not None and not guard.is_content(prompt) and _drop(prompt, tree):
            found.prompts.append(prompt)
    for anchor in _content_anchors(tree, synopses):
        for column in _side_columns(anchor, guard):
            if not guard.is_content(column) and _drop(column, tree):
                found.columns.append(column)
    return found


def _site_header(element: HtmlElement, names: str) -> bool:
    """The page's own header (logo, menus, search, sign-in), as opposed to an article's:
    a ``header`` element, ``role="banner"`` or a block named header or masthead, at
    the top of the page (a child or grandchild of ``body``)."""
    if not (
        element.tag == "header"
        or element.get("role") == "banner"
        or (names and not _HEADER_WORDS.isdisjoint(name_words(names)))
    ):
        return False
    parent = element.getparent()
    if parent is None:
        return False
    return parent.tag == "body" or (
        parent.getparent() is not None and parent.getparent().tag == "body"
    )


_HEADER_WORDS = frozenset({"header", "masthead", "pageheader", "siteheader"})


def _navigation_like(element: HtmlElement) -> bool:
    size = visible_length(element)
    return size < _SMALL_BLOCK_CHARS or link_length(element) >= _NAVIGATION_LINK_SHARE * size


def _is_title_element(element: HtmlElement, names: str) -> bool:
    """A caption, a legend, a table's title row (one cell alone in its row) or a short
    box named as a title."""
    tag = element.tag
    if tag in _CELLS:
        row = element.getparent()
        return row is not None and sum(1 for cell in row if cell.tag in _CELLS) == 1
    if tag in _TITLE_TAGS:
        return True
    return bool(names) and not _TITLE_NAME_WORDS.isdisjoint(name_words(names))


class _Guard:
    """What must survive: blocks holding the page's heading, article body or synopsis,
    and (for the rules that judge by name, title or column) most of its text."""

    def __init__(self, tree: HtmlElement, synopses: Sequence[HtmlElement]) -> None:
        self.total = 1
        self.synopses = set(synopses)
        self._groups: dict[tuple[HtmlElement, str, str], bool] = {}
        # Article bodies: what is inside one is the article, whatever its links.
        self.bodies: set[HtmlElement] = set()
        markers: list[HtmlElement] = []
        # One walk in Python: an XPath ``//*[...]`` costs about three times as much
        # on a page of 2,000 elements, and there were three (issue 16).
        for element in tree.iter(etree.Element):
            get = element.get
            if element.tag in _CONTENT_TAGS or get("role") == "main":
                markers.append(element)
            if get("itemprop") in _BODY_PROPERTIES:
                self.bodies.add(element)
                continue
            # "ody", "ontent", "ext": a class that may name an article body.
            names = get("class")
            if (
                names
                and ("ody" in names or "ontent" in names or "ext" in names)
                and _CONTENT_NAME.search(names)
            ):
                self.bodies.add(element)
        self.bodies.update(_main_articles(tree))
        markers.extend(self.bodies)
        self._content_path: set[HtmlElement] = set()
        self._synopsis_path: set[HtmlElement] = set()
        for paths, elements in ((self._content_path, markers), (self._synopsis_path, synopses)):
            for element in elements:
                paths.add(element)
                paths.update(element.iterancestors())

    def measure(self, tree: HtmlElement) -> None:
        """Take the page's visible text, once the landmarks are gone, as the whole."""
        self.total = visible_length(tree) or 1

    def holds_synopsis(self, element: HtmlElement) -> bool:
        return element in self._synopsis_path

    def holds_content(self, element: HtmlElement) -> bool:
        return element in self._content_path or element in self._synopsis_path

    def is_content(self, element: HtmlElement) -> bool:
        if self.holds_content(element):
            return True
        if self.synopses and any(a in self.synopses for a in element.iterancestors()):
            return True
        return visible_length(element) / self.total > MAX_FURNITURE_SHARE

    def is_content_group(self, element: HtmlElement) -> bool:
        """Whether ``element`` is one of a run of same-named sibling blocks that together
        carry most of the page's text, directly in the page's content block: the cards of
        a ranking or list page are its content, whatever their class says
        ("rankingCard")."""
        parent, names = element.getparent(), element.get("class")
        # Only where the page's content is (the block that holds its heading, main or
        # article body): a "related" grid beside the article is furniture, however long.
        if parent is None or not names or parent not in self._content_path:
            return False
        key = (parent, element.tag, names)
        if key not in self._groups:
            siblings = [s for s in parent if s.tag == element.tag and s.get("class") == names]
            self._groups[key] = len(siblings) > 1 and (
                sum(visible_length(s) for s in siblings) / self.total > MAX_FURNITURE_SHARE
            )
        return self._groups[key]


def _main_articles(tree: HtmlElement) -> list[HtmlElement]:
    articles = [article for article in tree.iter("article") if article.getparent() is not None]
    if not articles:
        return []
    with_heading = [article for article in articles if article.find(".//h1") is not None]
    if with_heading:
        return with_heading
    sizes = [visible_length(article) for article in articles]
    largest = max(range(len(articles)), key=sizes.__getitem__)
    return [articles[largest]] if sizes[largest] >= _ARTICLE_SHARE * sum(sizes) else []


def _leads_block(element: HtmlElement) -> bool:
    """Whether a bold element opens its paragraph (nothing before it)."""
    parent = element.getparent()
    if parent is None or parent.tag not in _LEAD_BLOCKS or (parent.text or "").strip():
        return False
    return element.getprevious() is None


def _led_links(lead: HtmlElement) -> list[HtmlElement]:
    """The paragraph a furniture lead-in opens, when the rest of it is links."""
    block = lead.getparent()
    if block is None:
        return []
    rest = visible_length(block) - visible_length(lead)
    links = link_length(block) - link_length(lead)
    return [block] if rest and links >= _LEAD_LINK_SHARE * rest else []


def _flat_text(element: HtmlElement) -> str:
    text = " ".join(element.text_content().split())
    return text if len(text) <= _MAX_TITLE_CHARS else text[: _MAX_TITLE_CHARS + 1]


def _titled_section(title: HtmlElement, rank: int) -> list[HtmlElement]:
    """The block a furniture title heads: the largest ancestor that starts with it and
    holds no other heading of its rank or higher; else the title and the siblings after
    it, up to the next such heading."""
    box = title
    while True:
        parent = box.getparent()
        if parent is None or parent.tag in _PAGE_ROOTS or _text_before(parent, box):
            break
        box = parent
    if box is not title and not _holds_heading(box, rank, title):
        return [box]
    head = title
    while True:  # climb out of wrappers that hold nothing but the title
        parent = head.getparent()
        if parent is None or parent.tag in _PAGE_ROOTS:
            break
        if visible_length(parent) > visible_length(head) or _holds_heading(parent, rank, title):
            break
        head = parent
    section = [head]
    for sibling in head.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag == "hr" or _holds_heading(sibling, rank, title):
            break
        section.append(sibling)
    return section


def _holds_heading(element: HtmlElement, rank: int, title: HtmlElement) -> bool:
    """Whether ``element`` holds a heading of ``rank`` or higher other than ``title``."""
    limit = min(rank, 6)
    for heading in element.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if heading is title or title in heading.iterancestors():
            continue
        if _HEADING_RANKS[heading.tag] <= limit and heading.text_content().strip():
            return True
    return False


def _text_before(parent: HtmlElement, child: HtmlElement) -> bool:
    """Whether ``parent`` shows text before ``child``."""
    if parent.text and parent.text.strip():
        return True
    for sibling in child.itersiblings(preceding=True):
        if (sibling.tail and sibling.tail.strip()) or (
            isinstance(sibling.tag, str) and visible_length(sibling)
        ):
            return True
    return False


_PROMPT_BLOCKS = frozenset(
    {"div", "td", "p", "li", "section", "aside", "table", "form", "dd", "center"}
)


def _prompt_block(link: HtmlElement) -> HtmlElement | None:
    """The small block around a sign-in or registration link that is about signing in
    (an "Edit" link in a section's heading is not a prompt)."""
    block: HtmlElement | None = None
    for ancestor in link.iterancestors():
        if ancestor.tag in _PAGE_ROOTS or ancestor.tag in _HEADING_RANKS:
            return None
        if ancestor.tag in _PROMPT_BLOCKS:
            block = ancestor
            break
    if block is None:
        return None
    size = visible_length(block)
    if size > _MAX_PROMPT_CHARS:
        return None
    sign_in = [a for a in block.iter("a") if _SIGN_IN_HREF.search(a.get("href", ""))]
    # One link in a line or two of text is a prompt; in a titled section it is not.
    lone_link = len(sign_in) < 2 and sum(map(visible_length, sign_in)) < _PROMPT_LINK_SHARE * size
    if lone_link and (
        size > _SHORT_PROMPT_CHARS or next(block.iter(*_HEADING_RANKS), None) is not None
    ):
        return None
    # Grow out of wrappers that add nothing (a table cell's row, table and frame).
    while True:
        parent = block.getparent()
        if parent is None or parent.tag in _PAGE_ROOTS or visible_length(parent) > size + 2:
            break
        block = parent
    return block


def _content_anchors(tree: HtmlElement, synopses: Sequence[HtmlElement]) -> list[HtmlElement]:
    """The elements that say where the page's content column is: its synopsis, its
    first heading, its ``main`` region or article body."""
    anchors = [synopsis for synopsis in synopses if _attached(synopsis, tree)]
    heading = next((h for h in tree.iter("h1") if h.text_content().strip()), None)
    if heading is not None:
        anchors.append(heading)
    anchors.extend(_MAIN_COLUMN(tree))
    return anchors


def _side_columns(anchor: HtmlElement, guard: _Guard) -> list[HtmlElement]:
    """Link-dense siblings of the anchor's column that are smaller than it and carry
    less prose: sidebars, rankings, "recently viewed" boxes, link bars. Nothing inside
    an article body is a column: a list of links there is part of the article."""
    columns: list[HtmlElement] = []
    node = anchor
    for ancestor in anchor.iterancestors():
        if ancestor in guard.bodies:
            node = ancestor
    text = visible_length(node)
    prose = text - link_length(node)
    while True:
        parent = node.getparent()
        if parent is None or node.tag == "body":
            break
        candidates: list[tuple[HtmlElement, int, int]] = []
        for sibling in parent:
            if sibling is node or not isinstance(sibling.tag, str):
                continue
            sibling_text = visible_length(sibling)
            if not sibling_text:
                continue
            sibling_prose = sibling_text - link_length(sibling)
            if (
                sibling.tag in _COLUMN_TAGS
                and sibling_prose <= (1 - _COLUMN_LINK_SHARE) * sibling_text
                and not guard.holds_content(sibling)
            ):
                candidates.append((sibling, sibling_text, sibling_prose))
            else:  # prose next to the column is part of it
                text += sibling_text
                prose += sibling_prose
        for sibling, sibling_text, sibling_prose in candidates:
            if sibling_text < text and sibling_prose < _COLUMN_PROSE_RATIO * prose:
                columns.append(sibling)
            else:
                text += sibling_text
                prose += sibling_prose
        node = parent
    return columns


class _RestOfPage:
    """Whether a region named like comments holds nearly all the text left after the
    extractors' pruning: then it is the content (a forum's opening post inside the
    software's comment feed, issue 14), not a thread to drop."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._total: int | None = None

    def held_by(self, element: HtmlElement) -> bool:
        if self._total is None:
            body = self._tree.find("body")
            self._total = visible_length(body if body is not None else self._tree)
        return self._total > 0 and visible_length(element) >= _REST_SHARE * self._total


def _unname_comments(region: HtmlElement) -> None:
    """Drop comment-like ids and classes in a region kept as content, or trafilatura
    discards it as a comment section (``div#comments``, ``#comment-40117_wrap``)."""
    for element in region.iter(etree.Element):
        for attribute in ("id", "class"):
            if "comment" in element.get(attribute, "").lower():
                del element.attrib[attribute]


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``element`` still hangs under ``root`` (no ancestor was dropped)."""
    for ancestor in element.iterancestors():
        if ancestor is root:
            return True
    return element is root


def _drop(element: HtmlElement, root: HtmlElement) -> bool:
    """Remove ``element`` but keep the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None or not _attached(element, root):
        return False
    if element.tail:
        tail = without_non_xml(element.tail)
        previous = element.getprevious()
        if previous is not None:
            previous.tail = without_non_xml(previous.tail or "") + tail
        else:
            parent.text = without_non_xml(parent.text or "") + tail
    parent.remove(element)
    return True


def remove_elements(tree: HtmlElement, elements: Iterable[HtmlElement]) -> None:
    for element in elements:
        if isinstance(element, HtmlElement) and element.tag not in _PROTECTED_TAGS:
            _drop(element, tree)


# --- boilerplate lines ----------------------------------------------------------------

_BOILERPLATE_LINE = re.compile(
    r"^(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4}|by\b)|powered by\b|forum software by\b|"
    r"all times are (?:gmt|utc)\b|"
    r"the time now is\b|alle zeitangaben in\b|wszystkie czasy\b|все права защищены|"
    r"tous droits réservés|todos los derechos reservados|alle rechte vorbehalten|"
    r"all rights reserved|版权所有|版權所有|著作権)",
    re.IGNORECASE,
)
_MAX_BOILERPLATE_LINE = 200
# Labels that mark an advertisement slot, alone on their line.
_AD_LABELS = frozenset(
    title_key(label)
    for label in (
        "advertisement", "advertising", "ad", "sponsored", "anzeige", "werbung", "publicité",
        "publicidad", "pubblicità", "publicidade", "реклама", "reklama", "reklam",
        "advertentie", "annons", "广告", "廣告", "広告", "광고",
    )
)  # fmt: skip


def is_boilerplate_line(line: str) -> bool:
    """Copyright, "powered by" and forum clock lines, advertisement labels."""
    stripped = line.strip(" |-–—•·*")
    if len(stripped) >= _MAX_BOILERPLATE_LINE:
        return False
    return bool(_BOILERPLATE_LINE.match(stripped)) or (
        len(stripped) <= _MAX_TITLE_CHARS and title_key(stripped) in _AD_LABELS
    )


# --- where the synopsis is ------------------------------------------------------------

# Markup that says "this is the work's description": microdata and RDFa (Douban's
# ``span[property="v:summary"]``).
_MARKED_DESCRIPTION = etree.XPath(
    "//body//*[@itemprop='description' or @property='v:summary'"
    " or @property='schema:description'][not(self::meta or self::link)]"
)
_WORK_TYPES = re.compile(
    r"Movie|Film|TV|Series|Season|Episode|CreativeWork|Book|VideoGame|VideoObject|Work",
    re.IGNORECASE,
)
_TEXT_CONTAINING = etree.XPath("//body//text()[contains(., $needle)]")
_INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "cite", "em", "font", "i", "mark", "q", "s", "small",
     "span", "strong", "sub", "sup", "time", "u", "br"}
)  # fmt: skip
# A description found by its text must be long enough not to be found by chance ("A
# film by Ana Ruiz"); one the markup calls a description need only be a phrase.
MIN_SYNOPSIS_CHARS = 40
MIN_MARKED_SYNOPSIS_CHARS = 10
_PROBE_CHARS = 40
# A synopsis split into paragraphs is found through its first one; its container is
# taken while it holds little more than the synopsis.
_SYNOPSIS_SLACK = 1.3
_ELLIPSIS = " .…\u2026"


def flat(text: str) -> str:
    """Whitespace (no-break spaces included) collapsed, NFC: how texts are compared."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def synopsis_blocks(tree: HtmlElement, descriptions: Iterable[str]) -> list[HtmlElement]:
    """The elements of the page body that hold its synopsis: those marked as the work's
    description, and those whose text is a description the page states in structured
    data (JSON-LD, microdata, OpenGraph). A description that is not in the body finds
    nothing: it says where the synopsis is, it is never text of its own."""
    blocks: list[HtmlElement] = []
    for element in _MARKED_DESCRIPTION(tree):
        scope = next((a for a in element.iterancestors() if a.get("itemscope") is not None), None)
        if scope is not None and not _WORK_TYPES.search(scope.get("itemtype", "")):
            continue  # a person's, a review's or an offer's description
        text = flat(element.text_content())
        if len(text) >= MIN_MARKED_SYNOPSIS_CHARS and element not in blocks:
            blocks.append(element)
    for description in descriptions:
        block = _locate(tree, flat(description).rstrip(_ELLIPSIS))
        if block is not None and not any(_related(block, known) for known in blocks):
            blocks.append(block)
    # A long synopsis is often cut, its full text hidden next to it or inside it until
    # a "more" link is clicked: that text is the synopsis too.
    for block in list(blocks):
        expansion = _hidden_expansion(block)
        if expansion is not None and not any(_related(expansion, known) for known in blocks):
            blocks.insert(blocks.index(block), expansion)
    for block in blocks:
        for element in block.iter(etree.Element):
            _unhide(element)
    return blocks


_HIDDEN_CLASSES = frozenset({"hidden", "hide", "is-hidden", "d-none", "invisible", "collapsed"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_EXPANSION_PROBE = 20


def _hidden(element: HtmlElement) -> bool:
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style", "")))
        or not _HIDDEN_CLASSES.isdisjoint((element.get("class") or "").split())
    )


def _unhide(element: HtmlElement) -> None:
    if not isinstance(element.tag, str) or not _hidden(element):
        return
    for attribute in ("hidden", "aria-hidden"):
        element.attrib.pop(attribute, None)
    if "style" in element.attrib:
        element.set("style", _HIDDEN_STYLE.sub("", element.get("style", "")))
    classes = [c for c in (element.get("class") or "").split() if c not in _HIDDEN_CLASSES]
    if "class" in element.attrib:
        element.set("class", " ".join(classes))


def _hidden_expansion(block: HtmlElement) -> HtmlElement | None:
    """A hidden element near ``block`` that repeats its start: the full synopsis."""
    start = flat(block.text_content())[:_EXPANSION_PROBE]
    if len(start) < _EXPANSION_PROBE:
        return None
    node: HtmlElement | None = block
    for _ in range(2):
        if node is None or node.tag in _PAGE_ROOTS:
            break
        for sibling in node.itersiblings():
            if (
                isinstance(sibling.tag, str)
                and _hidden(sibling)
                and start in flat(sibling.text_content())
            ):
                return sibling
        node = node.getparent()
    return None


def _related(one: HtmlElement, other: HtmlElement) -> bool:
    """Whether one element is the other or holds it."""
    return one is other or one in other.iterancestors() or other in one.iterancestors()


def _locate(tree: HtmlElement, description: str) -> HtmlElement | None:
    """The block whose text holds the start of ``description``: one text node that
    holds it, else the smallest block (no bigger than the description) that does."""
    if len(description) < MIN_SYNOPSIS_CHARS:
        return None
    probe = description[:_PROBE_CHARS]
    needle = max(probe.split(), key=len)
    hits = [hit for hit in _TEXT_CONTAINING(tree, needle=needle) if hit.getparent() is not None]
    for hit in hits:
        if probe in flat(hit):
            return _synopsis_container(_block_of(hit), len(description))
    limit = _SYNOPSIS_SLACK * len(description) + _PROBE_CHARS
    for hit in hits:
        element = _block_of(hit)
        while element is not None and element.tag not in _PAGE_ROOTS:
            if probe in flat(element.text_content()):
                return _synopsis_container(element, len(description))
            parent = element.getparent()
            if parent is None or visible_length(parent) > limit:
                break
            element = parent
    return None


def _block_of(hit: etree._ElementUnicodeResult) -> HtmlElement:
    """The nearest block element around a text node."""
    element: HtmlElement = hit.getparent()
    if hit.is_tail and element.getparent() is not None:
        element = element.getparent()
    while element.tag in _INLINE_TAGS and element.getparent() is not None:
        element = element.getparent()
    return element


def _synopsis_container(element: HtmlElement, length: int) -> HtmlElement:
    while True:
        parent = element.getparent()
        if parent is None or parent.tag in _PAGE_ROOTS:
            return element
        if visible_length(parent) > _SYNOPSIS_SLACK * length:
            return element
        element = parent
