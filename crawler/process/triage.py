"""What an HTML page that gave no film records really is: a soft 404, a cookie-consent
wall or bot check, or an empty shell that needs JavaScript. Pure: HTML and the
extraction in, a verdict out.

Only pages without film evidence (facts, credits or comments) are judged, so a film
page with a cookie banner, a "not found" widget in its sidebar or a ``<noscript>``
notice is never mistaken for one. The rules, in order:

``interstitial``
    a bot check (Cloudflare's "Just a moment...", a CAPTCHA page), or a short page
    whose text is about cookies or consent and offers to accept ("We value your
    privacy ... Accept all").
``soft_404``
    the title or the main heading says the page was not found ("Page not found",
    "404", "Seite nicht gefunden", "Страница не найдена", ...), or a short page says
    so at its start.
``no_content`` ("page needs JavaScript")
    next to no text (under :data:`JS_SHELL_MAX_TEXT` characters), and either a
    ``<noscript>`` that asks for JavaScript or scripts and an empty application root
    (``<div id="root">``, ``__next``, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extract.document import parse_html
from schemas.records import PageRecord

__all__ = ["TriageVerdict", "triage_page"]

#: Visible text (characters) below which a page with a consent prompt is a consent wall.
CONSENT_WALL_MAX_TEXT = 3000
#: Visible text below which a page saying "not found" in its body is a soft 404.
SOFT_404_MAX_TEXT = 1500
#: Visible text below which a page with scripts is an empty JavaScript shell.
JS_SHELL_MAX_TEXT = 200

_NOT_FOUND = re.compile(
    r"\bnot\s+found\b|\b(?:error|http)\s*404\b"
    r"|\b(?:can(?:no|['’])t|could\s*n['’]?o?t|couldn['’]t)\s+be\s+found\b"
    r"|\b(?:does\s*n['’]?o?t|doesn['’]t|no\s+longer)\s+(?:exists?|available)\b"
    r"|\bpage\s+(?:unavailable|missing|removed)\b"
    r"|nicht\s+gefunden|no\s+encontrad|introuvable|non\s+trovat|niet\s+gevonden"
    r"|nie\s+znaleziono|не\s+найден|не\s+существует|見つかりません|찾을\s*수\s*없"
    r"|页面不存在|找不到|頁面不存在",
    re.IGNORECASE,
)
# A title part that is only the number: "404", "404 - Page", "Error 404" ("404 Films
# presents ..." is not one).
_BARE_404 = re.compile(r"^\W*(?:error\s*)?404(?:\s*(?:error|page))?\W*$", re.IGNORECASE)
_TITLE_PARTS = re.compile(r"\s[|–—:·•»-]\s|\s*[|–—·•»]\s*")
_BOT_CHECK_TITLE = re.compile(
    r"^\s*(?:just a moment|attention required|access denied|are you a (?:robot|human)"
    r"|security check|checking your browser|verify(?:ing)? you are (?:a )?human"
    r"|one more step|pardon our interruption|ddos-guard|please wait)\b",
    re.IGNORECASE,
)
_BOT_CHECK_MARKUP = re.compile(
    r"cf-browser-verification|cf-challenge|/cdn-cgi/challenge-platform|challenges\.cloudflare"
    r"|g-recaptcha|h-captcha|px-captcha|_Incapsula_Resource|ddos-guard\.net",
    re.IGNORECASE,
)
_CONSENT_TOPIC = re.compile(
    r"\bcookies?\b|\bconsent\b|\bprivacy\b|\bpersonal data\b|\bpartners\b|\bGDPR\b"
    r"|datenschutz|einwilligung|zustimm|consentement|confidentialité|consentimiento"
    r"|privacidad|consenso|동의|同意|プライバシー|согласи",
    re.IGNORECASE,
)
_CONSENT_ACTION = re.compile(
    r"\b(?:accept|agree|allow|reject|decline|manage)\b.{0,20}\b(?:all|cookies?|settings|"
    r"options|preferences|continue)\b|\bI (?:accept|agree)\b|\bgot it\b|\bbefore you continue\b"
    r"|akzeptieren|zustimmen|accepter|aceptar|accetta|동의|同意する|принять",
    re.IGNORECASE,
)
_JAVASCRIPT = re.compile(r"javascript|\bJS\b|\bscripts?\b", re.IGNORECASE)
_APP_ROOT_IDS = frozenset({"root", "app", "__next", "__nuxt", "___gatsby", "main-app", "svelte"})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class TriageVerdict:
    status: str
    reason: str
    event: str


def triage_page(html: str, extraction: PageRecord) -> TriageVerdict | None:
    """The verdict for a page that is not a film page after all, or None.

    >>> empty = PageRecord(url="http://127.0.0.1/film")
    >>> triage_page("<title>Page not found | Films</title><h1>Oops</h1>", empty).status
    'soft_404'
    """
    if extraction.facts or extraction.credits or extraction.comments:
        return None
    tree = parse_html(html)
    title = _text(tree, "//title")
    heading = _text(tree, "//h1")
    visible = _visible_text(tree)

    if _BOT_CHECK_TITLE.search(title) or _BOT_CHECK_MARKUP.search(html[:200_000]):
        return TriageVerdict(
            "interstitial",
            f"bot check instead of the page (title {title[:80]!r})",
            "triage/bot_check",
        )
    if len(visible) <= CONSENT_WALL_MAX_TEXT and _consent_wall(visible):
        return TriageVerdict(
            "interstitial",
            f"cookie-consent wall instead of the page: {visible[:100]!r}",
            "triage/consent_wall",
        )

    for where, text in (("title", title), ("heading", heading)):
        if text and _says_not_found(text[:200]):
            return TriageVerdict(
                "soft_404", f"HTTP 200 but the {where} says {text[:100]!r}", "triage/soft_404"
            )
    if len(visible) <= SOFT_404_MAX_TEXT and _NOT_FOUND.search(visible[:300]):
        return TriageVerdict(
            "soft_404", f"HTTP 200 but the page says {visible[:100]!r}", "triage/soft_404"
        )

    main_text = (extraction.clean_text or "").strip()
    if (
        len(main_text) < JS_SHELL_MAX_TEXT
        and len(visible) < JS_SHELL_MAX_TEXT
        and (_asks_for_javascript(tree) or _empty_app_shell(tree))
    ):
        return TriageVerdict(
            "no_content",
            "page needs JavaScript: no text without running its scripts",
            "triage/needs_javascript",
        )
    return None


def _says_not_found(title: str) -> bool:
    if _NOT_FOUND.search(title):
        return True
    return any(_BARE_404.match(part) for part in _TITLE_PARTS.split(title))


def _text(tree: HtmlElement, expression: str) -> str:
    for element in tree.xpath(expression):
        text = _SPACES.sub(" ", element.text_content()).strip()
        if text:
            return text
    return ""


def _visible_text(tree: HtmlElement) -> str:
    """The text a reader sees in the body: no scripts, styles, templates or noscript."""
    return _SPACES.sub(" ", " ".join(_body_text_nodes(tree))).strip()


def _consent_wall(visible: str) -> bool:
    return len(_CONSENT_TOPIC.findall(visible)) >= 2 and bool(_CONSENT_ACTION.search(visible))


def _asks_for_javascript(tree: HtmlElement) -> bool:
    return any(_JAVASCRIPT.search(node.text_content() or "") for node in tree.iter("noscript"))


def _empty_app_shell(tree: HtmlElement) -> bool:
    if not tree.xpath("//script"):
        return False
    for node in tree.xpath("//body//*[@id]"):
        if node.get("id", "").lower() in _APP_ROOT_IDS and not node.text_content().strip():
            return True
    return not _visible_text(tree)


def _body_text_nodes(tree: HtmlElement) -> list[str]:
    return [
        str(text)
        for text in tree.xpath(
            "//body//text()[not(ancestor::script) and not(ancestor::style)"
            " and not(ancestor::noscript) and not(ancestor::template)]"
        )
    ]
