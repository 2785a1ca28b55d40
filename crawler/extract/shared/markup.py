"""Reading values out of markup: lines of text with their links, and prune paths.

Fact boxes separate values with markup rather than punctuation (``<br>``, list items,
one link per person), so a value is read as :class:`Line` objects: the text between
line breaks, plus the links on it. Nothing here modifies the tree: ``Document.tree``
is shared by every extractor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from lxml.html import HtmlElement

# Elements that start a new line of text.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption",
    }
)  # fmt: skip
# Elements whose text is never a value.
SKIP_TAGS: frozenset[str] = frozenset(
    {
        "script", "style", "noscript", "template", "select", "option", "button",
        "input", "textarea", "svg", "iframe", "object", "canvas", "img", "video",
        "audio", "map",
    }
)  # fmt: skip
# Inline elements hidden with CSS carry machine copies (Wikipedia's ISO dates), while
# hidden blocks are usually "show all" expansions of what is visible (full cast lists).
_HIDDEN_INLINE = frozenset({"span", "sup", "small", "abbr"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\s*\[\s*(?:\d+|[a-z]|note \d+|citation needed|nb \d+)\s*\]\s*$", re.I)
# Links that lead to more of the value rather than being part of it.
MORE_LINK = re.compile(
    r"^\s*(?:\(?\s*(?:see |show |view )?(?:all|more|full)\b.*|\.\.\.|…|»|edit|"
    r"mostrar \d+.*|ver (?:más|todo).*|ещё.*|еще.*|подробнее.*|see \d+ more.*|"
    r"\+\s*\d+ more.*|\d+ more\b.*|слова|casting complet.*|voir (?:tout|plus|la suite).*|"
    r"tout voir.*|mehr\b.*|alle anzeigen.*|więcej.*|více.*|další.*|全部.*|更多.*|"
    r"もっと見る.*|すべて見る.*|더\s?보기.*|전체\s?보기.*|vedi tutt.*|ver mais.*|"
    r"daha fazla.*|tümünü gör.*|показать вс.*|все \d+.*)\s*\)?\s*»?\s*$",
    re.IGNORECASE,
)
_MORE_SUFFIX = re.compile(
    r"\s*(?:\(more\)|see more\s*»?|more\s*»|»|see full (?:cast|summary|credits)[^|]*|"
    r"\[see full rating\]|\(see all\)|\bsee all\b.*|mostrar \d+ .*)\s*$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
_WHITE_SPACE_BUT_SPACE = re.compile(r"[^\S ]")


def collapse(text: str) -> str:
    """Whitespace runs (including no-break spaces) become one space; ends trimmed."""
    # Nothing for the substitution to change (most lines). No white space but the space
    # is printable, so isprintable(), a fast scan, answers for most texts without the
    # regex.
    if "  " not in text and (text.isprintable() or not _WHITE_SPACE_BUT_SPACE.search(text)):
        return text.strip()
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def strip_more(text: str) -> str:
    """``"22 July 1988 (USA) See more »"`` -> ``"22 July 1988 (USA)"``."""
    previous = None
    while previous != text:
        previous = text
        text = _MORE_SUFFIX.sub("", text).strip()
    return text


def tag_of(element: object) -> str:
    tag = getattr(element, "tag", None)
    return tag.lower() if isinstance(tag, str) else ""


def is_hidden_inline(element: HtmlElement) -> bool:
    return tag_of(element) in _HIDDEN_INLINE and bool(
        _HIDDEN_STYLE.search(element.get("style") or "")
    )


def is_footnote(element: HtmlElement) -> bool:
    if tag_of(element) != "sup":
        return False
    classes = element.get("class") or ""
    return "reference" in classes or bool(_FOOTNOTE.match(element.text_content()))


def default_skip(element: HtmlElement) -> bool:
    """Scripts, form controls, media, footnote markers and hidden inline elements.

    The same as ``tag in SKIP_TAGS or is_footnote(e) or is_hidden_inline(e)``, reading
    the tag once: it runs for every element of every walk.
    """
    tag = tag_of(element)
    if tag in SKIP_TAGS:
        return True
    if tag == "sup" and is_footnote(element):
        return True
    return tag in _HIDDEN_INLINE and bool(_HIDDEN_STYLE.search(element.get("style") or ""))


@dataclass
class Line:
    """One line of a value: its text and the links on it, in order."""

    text: str
    links: list[str] = field(default_factory=list)

    def non_more_links(self) -> list[str]:
        return [link for link in self.links if link and not MORE_LINK.match(link)]

    @property
    def value(self) -> str:
        """The text without trailing "more" links: ``"Drama more"`` -> ``"Drama"``."""
        text = self.text
        for link in reversed(self.links):
            if not MORE_LINK.match(link) or not text.endswith(link):
                break
            text = text[: -len(link)].rstrip(" |·,")
        return strip_more(text).rstrip(" |·,;")

    @property
    def only_links(self) -> bool:
        """Whether the line is nothing but links (a menu, not a sentence)."""
        rest = self.text
        for link in self.links:
            rest = rest.replace(link, "", 1)
        return bool(self.links) and not rest.strip(" |·,/»")


class _LineBuilder:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._pieces: list[str] = []
        self._links: list[str] = []
        self._link_owner: HtmlElement | None = None
        self._link_pieces: list[str] = []

    def text(self, text: str | None, link: HtmlElement | None) -> None:
        if not text:
            return
        self._pieces.append(text)
        if link is not None:
            if link is not self._link_owner:
                self._flush_link()
                self._link_owner = link
            self._link_pieces.append(text)
        else:
            self._flush_link()

    def _flush_link(self) -> None:
        if self._link_owner is not None:
            self._links.append(collapse("".join(self._link_pieces)))
        self._link_owner = None
        self._link_pieces = []

    def newline(self) -> None:
        self._flush_link()
        if self._pieces:  # most block boundaries close a line that is already empty
            text = collapse("".join(self._pieces))
            if text:
                self.lines.append(Line(text, [link for link in self._links if link]))
            self._pieces = []
        self._links = []


def _walk(
    element: HtmlElement,
    builder: _LineBuilder,
    link: HtmlElement | None,
    skip: Callable[[HtmlElement], bool],
) -> None:
    tag = tag_of(element)
    if not tag or skip(element):
        return
    block = tag in BLOCK_TAGS or tag == "br"
    if block:
        builder.newline()
    inner_link = element if tag == "a" else link
    builder.text(element.text, inner_link)
    for child in element:
        _walk(child, builder, inner_link, skip)
        builder.text(child.tail, inner_link)
    if block:
        builder.newline()


def lines_of(
    nodes: Iterable[HtmlElement | str],
    skip: Callable[[HtmlElement], bool] = default_skip,
) -> list[Line]:
    """The lines of text of ``nodes`` (elements, or strings such as a label's tail)."""
    builder = _LineBuilder()
    for node in nodes:
        if isinstance(node, str):
            builder.text(node, None)
        else:
            _walk(node, builder, None, skip)
    builder.newline()
    return builder.lines


def element_lines(
    element: HtmlElement, skip: Callable[[HtmlElement], bool] = default_skip
) -> list[Line]:
    if len(element) == 0 and tag_of(element) not in ("", "a"):
        # Text and no child (most paragraphs): its one line, without the walk.
        if skip(element):
            return []
        text = collapse(element.text or "")
        return [Line(text, [])] if text else []
    return lines_of([element], skip)


def text_content(element: HtmlElement) -> str:
    """``element.text_content()``, without the XPath call for an element with no child
    (most paragraphs): its text is all of it."""
    if len(element) == 0:
        return element.text or ""
    return element.text_content()


def text_of(element: HtmlElement, skip: Callable[[HtmlElement], bool] = default_skip) -> str:
    """The element's visible text on one line."""
    return " ".join(line.text for line in element_lines(element, skip))


def following_nodes(
    element: HtmlElement, stop: Callable[[HtmlElement], bool]
) -> Iterator[HtmlElement | str]:
    """The element's tail and its following siblings (with tails) until ``stop``."""
    if element.tail:
        yield element.tail
    for sibling in element.itersiblings():
        if stop(sibling):
            return
        yield sibling
        if sibling.tail:
            yield sibling.tail


def common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    """The innermost element that holds all of ``elements``."""
    if not elements:
        return None
    chains = [[element, *element.iterancestors()] for element in elements]
    shared = set(chains[0])
    for chain in chains[1:]:
        shared &= set(chain)
    for element in chains[0]:
        if element in shared:
            return element
    return None


def has_class(element: HtmlElement, *names: str) -> bool:
    classes = (element.get("class") or "").split()
    return any(name in classes for name in names)


# Regions whose text is never the page's facts: comment threads and forms always;
# navigation, menus, footers and "related" boxes unless broken markup (an unclosed
# menu item) has swallowed the page into them.
_ALWAYS_OFF_TAGS = frozenset({"form", "script", "style", "select", "a", "template"})
_CHROME_TAGS = frozenset({"nav", "footer"})
_COMMENTS = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|comment-list|disqus|respond)(?:$|[\s_-])", re.I
)
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:menu|navbar|breadcrumbs?|sidebar-widget|widget_recent|related|footer"
    r"|similar|recs?|title_?recs|rec_\w+|recommend\w*|more-like-this)(?:$|[\s_-])",
    re.IGNORECASE,
)
# A "menu" holding this share of the page's text is the page, not a menu.
_SWALLOWED_SHARE = 0.4


_COMMENT_REGION, _CHROME_REGION = "comments", "chrome"


@lru_cache(maxsize=8192)  # pages repeat their ids and classes; every walk asks again
def _region_of(element_id: str, classes: str) -> str | None:
    """What an element's id and class say it is: a comment region, chrome, or neither."""
    marker = f"{element_id} {classes}"
    if not marker.strip():
        return None
    if _COMMENTS.search(marker):
        return _COMMENT_REGION
    if _CHROME.search(marker):
        return _CHROME_REGION
    return None


class OffLimits:
    """Tells whether an element lies in a region that never holds the film's facts.

    One instance per tree walk: it remembers its answer for every element it walked
    through, so that a walk asks about each element's ancestors once, not once per
    descendant.
    """

    def __init__(self, root: HtmlElement, exclude: Iterable[HtmlElement] = ()) -> None:
        self._root = root
        self._excluded = frozenset(exclude)
        self._answers: dict[HtmlElement, bool] = {}
        self._page_length: int | None = None
        # The elements inside the excluded regions that lie under the root (the walk up
        # stops at the root, so a region above it excludes nothing): a walk asks
        # ``excluded`` before reading an element's text, and a region another extractor
        # claimed (a WordPress post: most of a long page) costs it a set lookup per element.
        self._inside_excluded = {
            inner
            for region in self._excluded
            if region is root or any(ancestor is root for ancestor in region.iterancestors())
            for inner in region.iterdescendants()
        }

    def excluded(self, element: HtmlElement) -> bool:
        """Whether ``element`` lies inside one of the excluded regions (then it is off
        limits too: the cheap part of the verdict, without the walk up). A region's own
        element is not inside it."""
        return element in self._inside_excluded

    def __call__(self, element: HtmlElement) -> bool:
        """Whether ``element`` or an ancestor up to the root blocks it."""
        walked: list[HtmlElement] = []
        answer = False
        current: HtmlElement | None = element
        while current is not None:
            known = self._answers.get(current)
            if known is not None:
                answer = known
                break
            walked.append(current)
            if current is self._root:
                break
            current = current.getparent()
        # From the top down: below a blocking element nothing needs asking (a menu's
        # items are not each measured for whether the menu swallowed the page).
        for node in reversed(walked):
            if not answer and self._blocks(node):
                answer = True
            self._answers[node] = answer
        return answer

    def _blocks(self, element: HtmlElement) -> bool:
        if element in self._excluded:
            return True
        tag = tag_of(element)
        if tag in _ALWAYS_OFF_TAGS:
            return True
        region = _region_of(element.get("id") or "", element.get("class") or "")
        if region is _COMMENT_REGION:
            return True
        if tag in _CHROME_TAGS or region is _CHROME_REGION:
            return not self._swallowed(element)
        return False

    def _swallowed(self, element: HtmlElement) -> bool:
        if element.find(".//h1") is not None:
            return True
        if self._page_length is None:
            self._page_length = len(self._root.text_content())
        return len(element.text_content()) > _SWALLOWED_SHARE * self._page_length


# Characters an XPath string literal cannot hold (lxml refuses them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def without_non_xml(value: str) -> str:
    """``value`` without the characters XML cannot hold (lxml's HTML parser keeps them
    in text it read, then refuses them when text is assigned back)."""
    return _NOT_XML.sub("", value)


def xml_safe_prefix(value: str) -> str:
    """``value`` up to its first character that XML cannot hold."""
    bad = _NOT_XML.search(value)
    return value[: bad.start()] if bad else value


def xpath_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    parts = value.split("'")
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in parts) + ")"


_PLAIN_NAME = re.compile(r"^[a-z][a-z0-9_.-]*$")


def _name_test(element: HtmlElement) -> str:
    """``p``; ``*[name()='fb:like']`` for names XPath would read as a namespace prefix."""
    tag = tag_of(element)
    return tag if _PLAIN_NAME.match(tag) else f"*[name()={xpath_literal(tag)}]"


def xpath_for(element: HtmlElement) -> str:
    """An XPath that finds ``element`` again in an independent parse of the same HTML.

    trafilatura prunes the paths one after another, so positions shift under it: the
    path names the element by its id, or by the nearest id above it plus its tag, class
    and the start of its text, and falls back to positions only when that is ambiguous.
    """
    anchor: HtmlElement = element.getroottree().getroot()
    anchor_id = ""
    for node in [element, *element.iterancestors()]:
        node_id = node.get("id") or ""
        if node_id and xml_safe_prefix(node_id) == node_id:
            if node is element:
                return f"(//*[@id={xpath_literal(node_id)}])[1]"
            anchor, anchor_id = node, node_id
            break
    base = f"(//*[@id={xpath_literal(anchor_id)}])[1]" if anchor_id else ""
    text = xml_safe_prefix(str(element.xpath("normalize-space(.)"))[:80])
    if text:
        classes = element.get("class")
        safe_class = bool(classes) and xml_safe_prefix(classes or "") == classes
        by_class = f"[@class={xpath_literal(classes or '')}]" if safe_class else ""
        step = (
            f"//{_name_test(element)}{by_class}"
            f"[starts-with(normalize-space(.), {xpath_literal(text)})]"
        )
        if anchor.xpath(f".{step}") == [element]:
            return f"{base}{step}"
    return _positional_path(element)


def _positional_path(element: HtmlElement) -> str:
    steps: list[str] = []
    current: HtmlElement | None = element
    while current is not None:
        tag = tag_of(current)
        element_id = current.get("id")
        below = "".join(f"/{step}" for step in reversed(steps))
        if element_id and xml_safe_prefix(element_id) == element_id:
            return f"(//*[@id={xpath_literal(element_id)}])[1]{below}"
        parent = current.getparent()
        if parent is None:
            return f"/{_name_test(current)}{below}"
        position = 1 + sum(
            1 for sibling in current.itersiblings(preceding=True) if tag_of(sibling) == tag
        )
        steps.append(f"{_name_test(current)}[{position}]")
        current = parent
    return "/.."  # unreachable: every element has a root
