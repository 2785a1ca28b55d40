"""Cast lists: who plays whom, in the layouts sites give them.

A cast list is a run of items, each an actor's name (usually a link) and the character
beside it. The markup varies, the shape does not; :func:`find_cast_items` reads

- elements classed ``character`` (``char``, ``character-name``, ``role-name``,
  ``itemprop=characterName``) beside a link naming the actor (IMDb's cast tables);
- the items of a cast container (an element whose class or id names a cast list:
  ``cast``, ``cast-list``, ``actors``, ``top-cast`` ...): list items, table rows or
  repeated blocks holding an actor's link and the character's line
  (``<li><a><b>Ryu Seung Ryong</b></a><div><small>Yong Goo</small><small>Main
  Role</small></div></li>``), links whose ``title`` names the character
  (``<a title="Beetle">Simon Chuckster</a>``), or ``Actor as Character`` lines;

and :func:`gallery_cast` reads the photo galleries of a wiki's Cast section: one cell
per actor (photo, actor, character below), rows of photos over rows of names over rows
of characters, MediaWiki ``<gallery>`` boxes, and two-column Actor | Character tables.

The character is the first piece of text in the item that is not the actor's name and
not a role type ("Main Role", "Guest", "主演", "조연"); "as …", "… as" and parentheses
around it are taken off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import lxml.etree
from lxml.html import HtmlElement

from crawler.extract.document import XML_SPACE
from crawler.extract.shared.film import person_name
from crawler.extract.shared.labels import CAST, IGNORE, PEOPLE_TARGETS, label_targets
from crawler.extract.shared.markup import (
    MORE_LINK,
    SKIP_TAGS,
    OffLimits,
    collapse,
    common_ancestor,
    has_class,
    is_footnote,
    tag_of,
    text_of,
    xpath_for,
)


@dataclass
class CastItem:
    """One entry of a cast list: the actor, the character when the page gives one, and
    the element holding the entry."""

    person: str
    character: str | None
    item: HtmlElement


# Class words of an element that holds a character's name, and BEM element classes
# ("castRoleListElement__role", "cast-item__character"); every one holds "char" or "role".
_CHARACTER_CLASSES = frozenset({"character", "char", "character-name", "role-name", "characters"})
_CHARACTER_CLASS_ENDINGS = ("__role", "__character", "__character-name")


def _is_character_element(element: HtmlElement) -> bool:
    if element.get("itemprop") == "characterName":
        return True
    classes = element.get("class")
    if not classes or ("char" not in classes and "role" not in classes):
        return False  # most elements: two substring tests instead of a split
    return any(
        word in _CHARACTER_CLASSES or word.endswith(_CHARACTER_CLASS_ENDINGS)
        for word in XML_SPACE.split(classes)
    )


def character_elements(root: HtmlElement) -> list[HtmlElement]:
    """The descendants of ``root`` that hold a character's name, in document order.

    What the XPath ``.//*[contains(concat(' ', normalize-space(@class), ' '),
    ' character ') or … or @itemprop='characterName']`` finds, without its string
    functions on every element (they cost a millisecond on a long page).
    """
    return [
        element
        for element in root.iterdescendants(lxml.etree.Element)
        if _is_character_element(element)
    ]


_NAME_LINKS = lxml.etree.XPath(
    ".//a[normalize-space()]"
    "[contains(@class, 'name') or @itemprop='name' or .//*[@itemprop='name']]"
)
_LINKS = lxml.etree.XPath(".//a[normalize-space()]")
_CAST_ITEM_LEVELS = 3
# Class or id tokens of an element that holds a film's cast list.
_CAST_CONTAINER = re.compile(
    r"^(?:cast|casts|castlist|cast[-_]?(?:list|grid|table|members?|section|block|wrap|wrapper|"
    r"box|items?|carousel|slider)|(?:top|main|full|film|movie|series|show|title)[-_]?cast|"
    r"actors|actor[-_]?list|actors[-_]?list|starring|credits[-_]?cast|cast[-_]?credits)$",
    re.IGNORECASE,
)
# What every token _CAST_CONTAINER matches holds: one search instead of a match a token.
_CAST_HINT = re.compile(r"cast|actor|starring", re.IGNORECASE)
# "Main Role", "Guest", "主演": what part a role is, not who the character is.
_ROLE_TYPE = re.compile(
    r"^\(?\s*(?:(?:main|lead|leading|support|supporting|guest|cameo|minor|recurring|regular|"
    r"special|voice|extra|starring|co-starring)(?:\s+(?:role|cast|actor|actress|appearance|"
    r"star|character))?|uncredited|voice|credit only|主演|主角|配角|客串|特别出演|特別出演|"
    r"主役|脇役|ゲスト|準主役|주연|조연|특별출연|카메오|단역|главная роль|"
    r"второстепенная роль|эпизод|в эпизоде|озвучка|\d+\s*(?:episodes?|eps?\.?)|ep\.?\s*[\d,\s-]+)"
    r"\s*\)?$",
    re.IGNORECASE,
)
_AS = re.compile(
    r"^(?:(?:as|como|comme|als|nel ruolo di|в роли|饰演?|飾演?)\s+|(?:r[ôo]le|rolle|ruolo|papel|"
    r"rola|роль|personnage|character|役名?|角色|배역)\s*[:：]\s*)|\s+(?:as|役)$",
    re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"^[\s.…:|/·•,;\-–—()\[\]]*$")
_NOT_PERSON_LINK = re.compile(r"(?:File|Image|Datei|Fichier|Archivo|Special|Spezial):", re.I)
# A character's name is short; a longer text is a biography or a comment.
_MAX_CHARACTER_CHARS = 80


def _is_person_link(link: HtmlElement) -> bool:
    href = link.get("href") or ""
    title = link.get("title") or ""
    if _NOT_PERSON_LINK.search(href) or _NOT_PERSON_LINK.match(title):
        return False
    if has_class(link, "image") or (link.find(".//img") is not None and not text_of(link)):
        return False
    text = text_of(link)
    return bool(text) and not MORE_LINK.match(text)


# A link's tooltip: its title, or where a tooltip script moved it when the page was
# saved from a browser (Bootstrap's data-original-title / data-bs-original-title).
_TOOLTIP_ATTRIBUTES = ("title", "data-original-title", "data-bs-original-title")


def _tooltip(link: HtmlElement) -> str:
    return next((collapse(v) for a in _TOOLTIP_ATTRIBUTES if (v := link.get(a))), "")


def _skip(element: HtmlElement) -> bool:
    return tag_of(element) in SKIP_TAGS or is_footnote(element)


def _chunks(item: HtmlElement) -> Iterator[tuple[str, HtmlElement | None]]:
    """The item's pieces of text in order, each with the link it is in (if any): the
    text of every element and every tail, so that ``<small>Yong Goo</small><small>Main
    Role</small>`` are two pieces."""

    def walk(
        element: HtmlElement, link: HtmlElement | None
    ) -> Iterator[tuple[str, HtmlElement | None]]:
        if not tag_of(element) or _skip(element):
            return
        inner = element if tag_of(element) == "a" else link
        if element.text and element.text.strip():
            yield collapse(element.text), inner
        for child in element:
            yield from walk(child, inner)
            if child.tail and child.tail.strip():
                yield collapse(child.tail), inner

    yield from walk(item, None)


_LEADING_SEPARATOR = re.compile(r"^(?:[-–—:…|/]|\.\.\.)+\s*")
_PAIRS = {"(": ")", "[": "]", "（": "）", "「": "」", '"': '"', "“": "”", "'": "'"}


def _unwrap(text: str) -> str:
    """``(Yong-gu)`` -> ``Yong-gu``; ``Ye-seung [Child]`` stays as it is."""
    text = text.strip()
    while len(text) > 1 and _PAIRS.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return text


def _character(text: str) -> str | None:
    text = _unwrap(_AS.sub("", _unwrap(_LEADING_SEPARATOR.sub("", collapse(text)))))
    if not text or _PUNCTUATION.match(text) or _ROLE_TYPE.match(text):
        return None
    if len(text) > _MAX_CHARACTER_CHARS or not any(ch.isalpha() for ch in text):
        return None
    return text


def read_item(item: HtmlElement, person_link: HtmlElement | None = None) -> CastItem | None:
    """The actor and character of one cast entry (a list item, a cell, a link)."""
    links = [item] if tag_of(item) == "a" else list(_LINKS(item))
    person_links = [link for link in links if _is_person_link(link)]
    link = person_link if person_link is not None else next(iter(person_links), None)
    chunks = [(text, owner) for text, owner in _chunks(item) if not _PUNCTUATION.match(text)]
    if link is not None:
        person = person_name(text_of(link))
        title = _tooltip(link)
        if person and title and _names_a_character(title, person):
            return CastItem(person, title, item)
        rest = [text for text, owner in chunks if owner is not link and not _in_excluded(owner)]
    else:
        texts = [text for text, _ in chunks]
        if not texts:
            return None
        entry = _as_line(texts[0])
        if entry is not None:
            return CastItem(entry[0], entry[1], item)
        person = person_name(texts[0])
        rest = texts[1:]
    if not person:
        return None
    character = None
    for text in rest:
        if collapse(text).casefold() == person.casefold():
            continue
        character = _character(text)
        if character or not _ROLE_TYPE.match(_unwrap(text)):
            break
    return CastItem(person, character, item)


def _in_excluded(owner: HtmlElement | None) -> bool:
    """Text inside a link to a file or an upload page (a wiki's missing photo)."""
    return owner is not None and not _is_person_link(owner)


_AS_LINE = re.compile(
    r"^(?P<person>.+?)\s+(?:as|como|comme|als|\.\.\.|…|-|–|—)\s+(?P<character>.+)$"
)


def _as_line(text: str) -> tuple[str, str | None] | None:
    """``Ryu Seung-ryong as Lee Yong-gu`` or ``Ryu Seung-ryong ... Lee Yong-gu``."""
    match = _AS_LINE.match(collapse(text))
    if match is None:
        return None
    person = person_name(match.group("person"))
    return (person, _character(match.group("character"))) if person else None


def _names_a_character(title: str, person: str) -> bool:
    """A link's ``title`` names the character unless it repeats or describes the
    actor ("Ryu Seung-ryong", "More about Ryu Seung-ryong", "View profile")."""
    if _CREDITED_AS.match(title):
        return False  # "(as West Gale)": the name the credits give, not a character
    folded, name = title.casefold(), person.casefold()
    return name not in folded and folded not in name and len(title) <= _MAX_CHARACTER_CHARS


_CREDITED_AS = re.compile(r"^\(?\s*(?:as|uncredited|credited as)\b", re.IGNORECASE)


# --- the layouts ----------------------------------------------------------------------


def find_cast_items(root: HtmlElement, exclude: Iterable[HtmlElement] = ()) -> list[CastItem]:
    """Every cast entry under ``root`` outside ``exclude`` and off-limits regions, one
    per actor (the entry that names a character wins)."""
    off_limits = OffLimits(root, exclude)
    found = _by_character_element(root, off_limits)
    taken = {entry.item for entry in found}
    for container in _cast_containers(root, off_limits):
        if any(ancestor in taken for ancestor in container.iter()):
            continue
        found.extend(_container_items(container))
    return _one_per_person(found)


def _one_per_person(entries: list[CastItem]) -> list[CastItem]:
    best: dict[str, CastItem] = {}
    for entry in entries:
        key = entry.person.casefold()
        if key not in best or (entry.character and not best[key].character):
            best[key] = entry
    return [entry for entry in entries if best[entry.person.casefold()] is entry]


def _by_character_element(root: HtmlElement, off_limits: OffLimits) -> list[CastItem]:
    """``<td class="nm"><a>Bruce Willis</a></td><td class="char">…</td>``."""
    items: list[CastItem] = []
    seen: set[HtmlElement] = set()
    for character_element in character_elements(root):
        if off_limits(character_element):
            continue
        inside = set(character_element.iter())
        item: HtmlElement | None = character_element.getparent()
        for _ in range(_CAST_ITEM_LEVELS):
            if item is None:
                break
            links = [link for link in _NAME_LINKS(item) if link not in inside]
            links = links or [link for link in _LINKS(item) if link not in inside]
            links = [link for link in links if _is_person_link(link)]
            if links:
                if item in seen:
                    break
                seen.add(item)
                person = person_name(text_of(links[0]))
                character = _character(text_of(character_element))
                if person:
                    items.append(CastItem(person, character, item))
                break
            item = item.getparent()
    return items


def _names_a_cast_list(element: HtmlElement) -> bool:
    """Whether a class, id or test-id word of ``element`` names a cast list
    (``data-testid="title-cast"`` names one too)."""
    classes, element_id, test_id = (
        element.get("class"),
        element.get("id"),
        element.get("data-testid"),
    )
    if not (classes or element_id or test_id):
        return False
    words = f"{classes or ''} {element_id or ''} {test_id or ''}"
    # Most elements: one search of the words instead of a match for each of them.
    return bool(_CAST_HINT.search(words)) and any(
        _CAST_CONTAINER.match(token) for token in words.split()
    )


def _cast_containers(root: HtmlElement, off_limits: OffLimits) -> list[HtmlElement]:
    """Outermost elements whose class or id names a cast list, or that follow a heading
    reading "Cast" (in any language the label vocabulary knows)."""
    candidates: list[HtmlElement] = []
    for element in root.iter():
        tag = tag_of(element)
        if not tag or tag in SKIP_TAGS or off_limits.excluded(element):
            continue
        if _names_a_cast_list(element):
            candidates.append(element)
        elif tag in _HEADINGS and CAST in (label_targets(text_of(element)) or ()):
            # The first block after the heading that holds a list ("Add Cast" links
            # and dividers come first on some sites).
            for following in _after_heading(element):
                if len(_container_items(following)) >= 2:
                    candidates.append(following)
                    break
            else:
                # The entries are the heading's own siblings (<section><h2>Obsada</h2>
                # <div>actor, role</div><div>…</div></section>): the section holds them.
                section = element.getparent()
                if (
                    section is not None
                    and tag_of(section) not in ("body", "html")
                    and len(_container_items(section)) >= 2
                ):
                    candidates.append(section)
    found: list[HtmlElement] = []
    for element in candidates:
        if any(ancestor in candidates for ancestor in element.iterancestors()):
            continue
        if element not in found and not off_limits(element):
            found.append(element)
    return found


_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def _after_heading(heading: HtmlElement) -> list[HtmlElement]:
    """The elements a heading introduces, up to the next heading: its following
    siblings, or its wrapper's (``<div class="box-header"><h3>Cast</h3></div><div
    class="box-body">``)."""
    element = heading
    while True:
        following = [s for s in element.itersiblings() if tag_of(s)]
        if following:
            section: list[HtmlElement] = []
            for sibling in following:
                if tag_of(sibling) in _HEADINGS or sibling.find(".//h2") is not None:
                    break
                section.append(sibling)
            return section
        parent = element.getparent()
        if parent is None or len([c for c in parent if tag_of(c)]) != 1:
            return []
        element = parent


def _container_items(container: HtmlElement) -> list[CastItem]:
    items = _repeated_items(container)
    entries = [entry for item in items if (entry := read_item(item)) is not None]
    return entries if len(entries) >= 2 else []


def _repeated_items(container: HtmlElement) -> list[HtmlElement]:
    """The entries of a cast container: the largest group of sibling elements of one
    shape (list items, table rows, repeated blocks, links) that each name a person.
    Lists nested inside an entry (an actor's several characters) are not entries."""
    best: list[HtmlElement] = []
    for element in container.iter():
        if not tag_of(element) or tag_of(element) in SKIP_TAGS:
            continue
        shapes: dict[tuple[str, str], list[HtmlElement]] = {}
        for child in element:
            tag = tag_of(child)
            if not tag or tag in SKIP_TAGS:
                continue
            shape = (tag, "" if tag in ("li", "tr") else child.get("class") or "")
            shapes.setdefault(shape, []).append(child)
        for group in shapes.values():
            named = [item for item in group if _names_a_person(item)]
            if len(named) >= 2 and len(named) > len(best):
                best = named
    return best


def _names_a_person(item: HtmlElement) -> bool:
    if tag_of(item) == "a":
        return _is_person_link(item)
    return any(_is_person_link(link) for link in _LINKS(item))


# --- wiki galleries -------------------------------------------------------------------

_GALLERY_BOXES = lxml.etree.XPath(
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' gallerybox ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' wikia-gallery-item ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' gallery-item ')]"
)
_CAPTIONS = lxml.etree.XPath(
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' gallerytext ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' lightbox-caption ')"
    " or self::figcaption]"
)
_COLUMN_HEADS = re.compile(
    r"^(?:actor|actress|actors|cast|performer|name|演员|俳優|배우|актёр|актер)$", re.I
)
_CHARACTER_HEADS = re.compile(
    r"^(?:character|characters|role|roles|as|角色|役|役名|배역|роль)$", re.I
)


def gallery_cast(element: HtmlElement) -> list[CastItem]:
    """The cast in one gallery of a wiki's Cast section (a table or a gallery list)."""
    boxes = _GALLERY_BOXES(element)
    if boxes:
        entries = []
        for box in boxes:
            captions = _CAPTIONS(box)
            entry = read_item(captions[0] if captions else box)
            if entry is not None:
                entries.append(CastItem(entry.person, entry.character, box))
        return entries
    rows = [
        row
        for row in element.iter("tr")
        if row.find("td") is not None or row.find("th") is not None
    ]
    if not rows:
        return []
    return _column_table(rows) or _aligned_rows(rows) or _cells(rows)


def _row_cells(row: HtmlElement) -> list[HtmlElement]:
    return [cell for cell in row if tag_of(cell) in ("td", "th")]


def _column_table(rows: list[HtmlElement]) -> list[CastItem]:
    """``Actor | Character`` rows under a header row that names the columns."""
    heads = [text_of(cell) for cell in _row_cells(rows[0])]
    actor = next((i for i, head in enumerate(heads) if _COLUMN_HEADS.match(head)), None)
    role = next((i for i, head in enumerate(heads) if _CHARACTER_HEADS.match(head)), None)
    if actor is None or role is None:
        return []
    entries = []
    for row in rows[1:]:
        cells = _row_cells(row)
        if len(cells) <= max(actor, role):
            continue
        person = person_name(text_of(cells[actor]))
        if person:
            entries.append(CastItem(person, _character(text_of(cells[role])), row))
    return entries


def _aligned_rows(rows: list[HtmlElement]) -> list[CastItem]:
    """Rows of photos over a row of actors over a row of characters, column by column."""
    entries: list[CastItem] = []
    wide = False  # one row of names side by side at least: a gallery, not a list
    for index, row in enumerate(rows):
        cells = _row_cells(row)
        people = [next((a for a in _LINKS(cell) if _is_person_link(a)), None) for cell in cells]
        if (
            not cells
            or any(link is None for link in people)
            or any(cell.find(".//img") is not None for cell in cells)
        ):
            continue
        if any(
            len(text_of(cell)) != len(text_of(link))
            for cell, link in zip(cells, people, strict=True)
            if link is not None
        ):
            continue  # a cell with more than the name is a gallery cell of its own
        below = rows[index + 1] if index + 1 < len(rows) else None
        characters = _row_cells(below) if below is not None else []
        if len(characters) != len(cells) or any(_LINKS(cell) for cell in characters):
            characters = []
        wide = wide or len(cells) >= 2
        for position, link in enumerate(people):
            person = person_name(text_of(link)) if link is not None else None
            character = _character(text_of(characters[position])) if characters else None
            if person:
                entries.append(CastItem(person, character, cells[position]))
    return entries if wide else []


def _cells(rows: list[HtmlElement]) -> list[CastItem]:
    """One cell per actor: photo, actor's link, and the character above or below it."""
    entries = []
    for row in rows:
        for cell in _row_cells(row):
            if not any(_is_person_link(link) for link in _LINKS(cell)):
                continue
            entry = read_item(cell)
            if entry is not None:
                entries.append(entry)
    return entries


def cast_prune_paths(cast: list[CastItem]) -> list[str]:
    """The cast gallery as a whole: a grid of names is not main text."""
    if len(cast) < 2:
        return []
    box = common_ancestor([entry.item for entry in cast])
    if box is None or tag_of(box) in ("body", "html"):
        return []
    return [xpath_for(box)]


# --- staff lists ----------------------------------------------------------------------

_ROLE_SEPARATORS = re.compile(r"\s*(?:,|/|、|;|\s&\s|\s·\s)\s*")
_MAX_ROLES_CHARS = 80


@dataclass
class StaffCredit:
    """A person in a staff list and one of the roles written after their name."""

    role: str
    person: str


def find_staff_credits(root: HtmlElement, exclude: Iterable[HtmlElement] = ()) -> list[StaffCredit]:
    """Staff lists that name the person first and their jobs after
    (``<a>Nagahama, Hiroshi</a><small>Director, Series Composition</small>``). Every job
    must be a label the vocabulary knows, matched whole: "Chief Animation Director" is
    not "Director", and a list with a job we do not know is left alone."""
    off_limits = OffLimits(root, exclude)
    characters = {inner for found in character_elements(root) for inner in found.iter()}
    credits: list[StaffCredit] = []
    for element in root.iter("small", "span", "div", "em", "i", "td", "p"):
        if off_limits.excluded(element):
            continue
        text = collapse(element.text_content())
        if not text or len(text) > _MAX_ROLES_CHARS or element.find(".//a") is not None:
            continue
        roles = _roles(text)
        if not roles or off_limits(element) or element in characters:
            continue  # a character named "Producer" is not a job
        link = _preceding_person_link(element)
        if link is None:
            continue
        person = person_name(text_of(link))
        if person:
            credits.extend(StaffCredit(role, person) for role in roles)
    return credits


def _roles(text: str) -> list[str]:
    roles: list[str] = []
    for part in _ROLE_SEPARATORS.split(_unwrap(text)):
        targets = label_targets(part)
        if targets is None or text.endswith((":", "：")):
            return []
        roles.extend(t for t in targets if t in PEOPLE_TARGETS and t != CAST and t not in roles)
        if targets != (IGNORE,) and not set(targets) & PEOPLE_TARGETS:
            return []  # "Japanese", "Genres": not a list of jobs
    return roles


_ITEM_BOUNDS = frozenset({"tr", "li", "dd", "table", "ul", "ol", "dl", "body"})


def _preceding_person_link(element: HtmlElement) -> HtmlElement | None:
    """The person the jobs belong to: the one person linked before them in their item
    (the smallest enclosing element that links a person). An enclosing element that
    links several people is a list, not one person's item."""
    if any(tag_of(a) in _HEADING_TAGS for a in element.iterancestors()):
        return None
    current = element
    for _ in range(_CAST_ITEM_LEVELS):
        parent = current.getparent()
        if parent is None or tag_of(current) in _ITEM_BOUNDS:
            return None  # never into the row or item before
        people = [link for link in _LINKS(parent) if _is_person_link(link)]
        if len({text_of(link) for link in people}) > 1:
            return None
        before = [link for link in people if _precedes(link, element)]
        if before:
            return before[-1]
        current = parent
    return None


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _precedes(link: HtmlElement, element: HtmlElement) -> bool:
    for following in link.itersiblings():
        if following is element or element in following.iterdescendants():
            return True
    for ancestor in link.iterancestors():
        for following in ancestor.itersiblings():
            if following is element or element in following.iterdescendants():
                return True
    return False
