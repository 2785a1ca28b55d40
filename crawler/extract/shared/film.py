"""Turning what a page says about a film into records: the helpers every fact extractor
shares.

:class:`FilmRecords` collects titles, facts and credits for one extraction, dropping
exact repeats; :meth:`FilmRecords.apply` reads one labelled value (its
:class:`~crawler.extract.shared.markup.Line` objects) into the records its label names, so
``Director & Screenwriter: Lee Hwan Kyung`` becomes a director and a writer whichever
extractor found it. Values stay as the page wrote them (``FactRecord.raw``); the
``clean`` pipeline normalises them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from crawler.extract.extractor import Extraction
from crawler.extract.shared.labels import (
    CAST,
    DUBBING,
    EPISODES,
    IGNORE,
    KIND,
    PEOPLE_FIELDS,
    PEOPLE_TARGETS,
    RATING_OR_CERTIFICATE,
    ROMANIZED_TITLE,
)
from crawler.extract.shared.markup import MORE_LINK, Line, collapse
from schemas.records import MULTI_VALUED_FIELDS, CreditRecord, FactRecord, TitleRecord

# --- ratings -------------------------------------------------------------------------
_STARS = "★☆✩✪✫✬✭✮✯⭐"
# In order of preference: "Top 250: #115 ... 8.3/10" is rated 8.3/10, not 250.
_SCORES: tuple[re.Pattern[str], ...] = (
    re.compile(rf"[{_STARS}]+[¼½¾]?[{_STARS}]*"),
    re.compile(
        r"(?<![\d.,])\d{1,3}(?:[.,]\d{1,3})?\s*(?:/|out\s+of|of|из|sobre|sur|von|su)\s*\d{1,3}"
        r"(?![\d])",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{1,3})?\s*%"),
    re.compile(r"(?<![\d.,#])\d{1,3}(?:[.,]\d{1,3})?(?![\d.,%+])"),
)
_VOTES = re.compile(
    r"(?<![\d.,/])(\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d+)?\s*(?:[kKmM]|тыс\.?|"
    r"млн\.?|万|萬|만|mil)?)\s*"
    r"(?:votes?|users?|ratings?|voters?|members?|reviews?|votos|voti|votes|stimmen|bewertungen|"
    r"hodnocení|ocen|głosów|oy|голос\w*|оцен\w*|명|票|件|人评价|人評價|人|notes|avis|"
    r"critiques|valutazioni|avaliações|değerlendirme|hlasů|értékelés|stemmen)(?![^\W\d_])",
    re.IGNORECASE,
)
_ADMISSIONS = re.compile(
    r"admissions|tickets|spectators|viewers|entradas|espectadores|entrées|zuschauer|"
    r"зрител\w*|관객|명",
    re.IGNORECASE,
)
_CERTIFICATE_HINT = re.compile(r"^(?:[A-Z]{1,4}(?:-\d{1,2})?|\d{1,2}\s*\+.*|TV-\w+|NC-17|PG-13)$")

# --- people --------------------------------------------------------------------------
# The separators pages put between people. A dot inside a name joins its parts
# (克里斯托弗·诺兰, クリストファー・ノーラン, 李‧安): only a spaced one separates.
_PEOPLE_SEPARATORS = re.compile(
    r"\s*(?:[,;|/、，；]|\s[·•‧]\s|\s(?:and|&|y|e|et|und|и|och|og)\s)\s*", re.IGNORECASE
)
_NOTE = re.compile(r"\s*[(\[（][^)\]）]*[)\]）]")
_TRAILING_JUNK = re.compile(r"(?:[\s.…,;:&]|\s(?:and|y|et|und|и))+$")
_RESIDUE = re.compile(r"[,;|/&、，；·•.…()\[\]]|\b(?:and|y|e|et|und|и|och|og)\b")
_CAST_AS = re.compile(r"^(?P<person>.+?)\s+(?:as|como|comme|als|como a)\s+(?P<character>.+)$")
_CHARACTER_END = re.compile(r"\s*(?:[:;,]|\s[–—-]\s)\s*")
_COMPANY = re.compile(
    r"\b(?:pictures|productions?|films|studios?|entertainment|inc|ltd|llc|gmbh|s\.a|"
    r"company|corporation|media|distribution|releasing|producciones|filmproduktion)\b\.?$",
    re.IGNORECASE,
)
# The character on the line below the actor: "as Andy Dufresne", "Rôle : Augustine",
# "Роль: Марв", "役: 太郎", "角色：…".
_ROLE_LINE = re.compile(
    r"^(?:(?:as|como|als|comme)\s+|(?:r[ôo]le|role|rolle|ruolo|papel|rola|роль|"
    r"personnage|character|役|役名|角色|饰|飾|배역|역)\s*[:：]\s*)(?P<character>\S.*)$",
    re.IGNORECASE,
)
_COUNT = re.compile(r"\d+")
# "2010", "2010年製作" (made in 2010), "2010年", "(2010)".
_ORIGIN_YEAR = re.compile(r"^\(?(?P<year>(?:18|19|20)\d{2})\)?(?:\s*年(?:製作|制作|出品)?)?$")
# The parts of an origin line: commas, full-width slashes, bars and spaced middle dots
# (an ASCII slash joins countries: "USA / Velká Británie").
_ORIGIN_SEPARATOR = re.compile(r"[,，／|]|\s[·•]\s")
_MAX_ORIGIN_PARTS = 7
_MAX_ORIGIN_PART_CHARS = 40
_ORIGIN_RUNTIME = re.compile(r"^\d{1,3}\s*(?:min\.?|minut\w*|мин\.?|分钟?|분)$", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"^(?:\.\.\.|…|-|–|n/a|none|unknown|tba|tbd)$", re.IGNORECASE)
MAX_PERSON_CHARS = 80


def origin_parts(text: str) -> list[str]:
    return [part for part in (collapse(p) for p in _ORIGIN_SEPARATOR.split(text)) if part]


def is_origin_line(text: str) -> bool:
    """Whether a line is a film's origin line: a year and a runtime among a few short
    parts (``USA / UK, 2010, 148 min``; ``2010年製作／148分／G／アメリカ``)."""
    parts = origin_parts(text)
    if not 2 <= len(parts) <= _MAX_ORIGIN_PARTS:
        return False
    if any(len(part) > _MAX_ORIGIN_PART_CHARS for part in parts):
        return False
    years = sum(1 for part in parts if _ORIGIN_YEAR.match(part))
    runtimes = sum(1 for part in parts if _ORIGIN_RUNTIME.match(part))
    return years == 1 and runtimes == 1


# --- titles --------------------------------------------------------------------------
_TITLE_YEAR = re.compile(
    r"^(?P<title>.+?)\s*\((?P<note>[^()]*?(?P<year>(?:18|19|20)\d{2})[^()]*)\)\s*$"
)
_FILM_DISAMBIGUATION = re.compile(
    r"\s*\((?:(?:18|19|20)\d{2}\s+)?(?:[\w\s-]+\s)?"
    r"(?:film|movie|tv series|series|miniseries|drama|episode|anime|ova|special)\)\s*$",
    re.IGNORECASE,
)
# "Miracle in Cell No.7 (literal title)": a note about the title, not part of it.
_TITLE_NOTE = re.compile(
    r"\s*\((?:literal(?:ly)?|english|working|original|international|alternative|alternate|"
    r"official|us|uk|dvd|festival|literal translation)(?:\s+\w+)?\s*(?:title)?\)\s*$",
    re.IGNORECASE,
)
_QUOTED_TITLE = re.compile(r'^["“«„](?P<title>[^"”»]+)["”»]')
_TITLE_SEPARATORS = re.compile(r"\s*(?:\s,\s|,\s|;\s*|\s/\s)\s*")


def film_title_and_year(text: str) -> tuple[str, str | None]:
    """``"Die Hard (1988)"`` -> ``("Die Hard", "1988")``; ``"Titanic (1997 film)"`` ->
    ``("Titanic", "1997")``; a title without a parenthesised year is returned as is,
    less a note such as ``(literal title)``."""
    text = _TITLE_NOTE.sub("", collapse(text))
    match = _TITLE_YEAR.match(text)
    if match and len(match.group("note")) <= 40:
        return match.group("title").strip(), match.group("year")
    return _FILM_DISAMBIGUATION.sub("", text).strip(), None


_HEADING_YEAR = re.compile(
    r"^(?P<title>.+?)\s*\((?P<note>[^()]{0,30}?(?P<year>(?:18|19|20)\d{2})[^()]{0,30})\)"
)


def heading_title_and_year(text: str) -> tuple[str, str | None]:
    """A heading's title and year, ignoring what follows the year:
    ``"Die Hard (1988) More at IMDbPro »"`` -> ``("Die Hard", "1988")``."""
    text = collapse(text)
    match = _HEADING_YEAR.match(text)
    if match:
        return match.group("title").strip(' "“”'), match.group("year")
    return film_title_and_year(text)


def _script(word: str) -> str | None:
    """The script of a word's letters (``LATIN``, ``CYRILLIC``, ``CJK`` for Han and
    kana, ``HANGUL`` ...); None for a word without letters or in several scripts."""
    scripts = set()
    for char in word:
        if char.isalpha():
            script = unicodedata.name(char, "OTHER").split()[0]
            scripts.add("CJK" if script in ("HIRAGANA", "KATAKANA", "CJK") else script)
    return scripts.pop() if len(scripts) == 1 else None


def title_spellings(title: str) -> list[str]:
    """``"盗梦空间 Inception"`` -> ``["盗梦空间", "Inception"]``: a title given in its own
    script and in Latin letters is two titles. Words without letters (``2``, ``No. 7``)
    go with the words before them; anything else is one title.

    >>> title_spellings("7번방의 선물 Miracle in Cell No. 7")
    ['7번방의 선물', 'Miracle in Cell No. 7']
    >>> title_spellings("Sin City 2")
    ['Sin City 2']
    """
    if any(char in title for char in "()[]（）「」《》"):
        return [title]
    runs: list[tuple[str | None, list[str]]] = []
    for word in title.split():
        script = _script(word)
        if script is None and any(char.isalpha() for char in word):
            return [title]
        if not runs or (script is not None and runs[-1][0] not in (None, script)):
            runs.append((script, [word]))
        else:
            if runs[-1][0] is None:
                runs[-1] = (script, runs[-1][1])
            runs[-1][1].append(word)
    scripts = [script for script, _ in runs]
    if len(runs) != 2 or "LATIN" not in scripts or None in scripts:
        return [title]
    return [" ".join(words) for _, words in runs]


_TRAILING_NOTE = re.compile(r"\((?P<note>[^()]{1,60})\)\s*$")


def title_note(text: str) -> str | None:
    """The note after a title: ``"Futurama (TV Series 1999–2013)"`` -> ``"TV Series
    1999–2013"``; it may say what kind of work the title is."""
    match = _TRAILING_NOTE.search(collapse(text))
    return match.group("note") if match else None


def comparable(text: str) -> str:
    """A title reduced for comparison: ``"Miracle in Cell No. 7"`` == ``"miracle in cell no 7"``."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def looks_like_score(text: str) -> bool:
    """``"8.1/10"``, ``"★★★¾☆"``, ``"96%"``, ``"7,5 (1,234 votes)"`` are scores;
    ``"PG-13"``, ``"R"``, ``"15+ – Teens 15 or older"`` are not."""
    text = collapse(text)
    if not text or _CERTIFICATE_HINT.match(text):
        return False
    return any(pattern.match(text) for pattern in _SCORES)


def split_rating(text: str) -> tuple[str | None, str | None]:
    """A rating value and its vote count, as written: ``"8.9 (scored by 107,326 users)"``
    -> ``("8.9", "107,326 users")``."""
    text = collapse(text)
    votes_match = _VOTES.search(text)
    votes = votes_match.group(0) if votes_match else None
    rest = text[: votes_match.start()] + text[votes_match.end() :] if votes_match else text
    for pattern in _SCORES:
        score_match = pattern.search(rest)
        if score_match:
            return collapse(score_match.group(0)), votes
    return None, votes


def people_in(line: Line) -> list[tuple[str, str]]:
    """``(person, raw)`` pairs named on one line, links first: ``"Roderick Thorp (novel)"``
    gives ``("Roderick Thorp", "Roderick Thorp (novel)")``."""
    text = line.value
    links = [link for link in line.non_more_links() if link in text]
    if links:
        residue = text
        for link in links:
            residue = residue.replace(link, " ", 1)
        residue = _RESIDUE.sub(" ", _NOTE.sub(" ", residue))
        if not residue.strip():
            raw_for_single = text if len(links) == 1 else None
            return [(p, raw_for_single or link) for link in links if (p := person_name(link))]
    found: list[tuple[str, str]] = []
    for part in _PEOPLE_SEPARATORS.split(text):
        person = person_name(part)
        if person:
            found.append((person, collapse(part)))
    return found


def person_name(text: str) -> str | None:
    """A person's name without role notes, or None when ``text`` cannot be one."""
    name = _TRAILING_JUNK.sub("", _NOTE.sub("", text)).strip(" \"'“”-–—:")
    name = collapse(name)
    if not name or len(name) > MAX_PERSON_CHARS or _NOT_A_NAME.match(name):
        return None
    if not any(ch.isalpha() for ch in name) or MORE_LINK.match(name):
        return None
    if name == name.lower() and name != name.upper():
        return None  # "executive producer", "additional music": a job, not a name
    if _COMPANY.search(name):
        return None  # "Paramount Pictures" under "Producer"
    return name


def cast_in(line: Line) -> list[tuple[str, str | None, str]]:
    """``(person, character, raw)`` entries on a cast line: ``"Ryu Seung-ryong as Lee Yong-gu"``."""
    text = line.value
    match = _CAST_AS.match(text)
    if match:
        person = person_name(match.group("person"))
        # "Leonardo DiCaprio as Jack Dawson: Cameron said he needed …"
        character = _CHARACTER_END.split(collapse(match.group("character")), maxsplit=1)[0]
        character = character.strip().rstrip(".,;")
        return [(person, character or None, text)] if person else []
    return [(person, None, raw) for person, raw in people_in(line)]


def titles_in(lines: list[Line]) -> list[str]:
    """Alternative titles: one per line, per link, or comma-separated on one line."""
    titles: list[str] = []
    for line in lines:
        text = line.value
        quoted = _QUOTED_TITLE.match(text)
        if quoted:
            titles.append(quoted.group("title").strip())
            continue
        text = _MORE_NOTE.sub("", text)
        parts = _TITLE_SEPARATORS.split(text) if len(lines) == 1 else [text]
        titles.extend(_REGION_NOTE.sub("", collapse(part)).strip(" ,;") for part in parts)
    return [title for title in titles if title and not MORE_LINK.match(title)]


# "Inception (více)": a link to more titles after the title.
_MORE_NOTE = re.compile(r"\s*\((?:více|more|mehr|plus|więcej|ещё|еще|más|更多)\)\s*$", re.I)
# "星际启示录(港)", "星際效應(台)": where the title is used, not part of it.
_REGION_NOTE = re.compile(r"\s*[(（][\u3400-\u9fff]{1,4}[)）]\s*$")


def list_values(line: Line) -> list[str]:
    """Values of a list field on one line: each link when the links are the whole line
    (``<a>USA</a> <a>UK</a>``), else the line as written (``Comedy, Drama``)."""
    text = line.value
    links = line.non_more_links()
    if len(links) > 1:
        residue = text
        for link in links:
            residue = residue.replace(link, " ", 1)
        if not re.sub(r"[\s,;|/.·]+", "", residue):
            return links
    return [text] if text else []


@dataclass
class FilmRecords:
    """Titles, facts and credits found by one extractor on one page."""

    extractor: str

    def __post_init__(self) -> None:
        self.title: str | None = None
        self.titles: list[TitleRecord] = []
        self.facts: list[FactRecord] = []
        self.credits: list[CreditRecord] = []
        self.kinds: list[str] = []
        self.dubbing: list[str] = []
        self._seen: set[tuple[str, ...]] = set()

    @property
    def empty(self) -> bool:
        return not (self.titles or self.facts or self.credits)

    def fields(self) -> set[str]:
        return {fact.field for fact in self.facts}

    def _first(self, key: tuple[str, ...]) -> bool:
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def add_fact(self, field: str, raw: str | None) -> None:
        raw = collapse(raw or "") if field not in ("synopsis", "trivia") else (raw or "").strip()
        if raw and self._first(("fact", field, raw)):
            self.facts.append(FactRecord(field, raw, extractor=self.extractor))

    def add_title(self, title: str | None, kind: str) -> None:
        title = collapse(title or "")
        if title and self._first(("title", kind, title)):
            self.titles.append(TitleRecord(title, kind, self.extractor))

    def set_title(self, title: str | None) -> None:
        """The film's primary title: the page title, a fact and a title record. A title
        the page gives in two scripts (``盗梦空间 Inception``) is the first, and the
        second is an alternative title."""
        title = collapse(title or "")
        if not title:
            return
        title, *others = title_spellings(title)
        if self.title is None:
            self.title = title
        self.add_title(title, "primary")
        self.add_fact("title", title)
        for other in others:
            self.add_title(other, "alternative")
            self.add_fact("alt_title", other)

    def add_credit(
        self, role: str, person: str, character: str | None = None, raw: str | None = None
    ) -> None:
        person = collapse(person)
        character = collapse(character) if character else None
        if not person:
            return
        if role == CAST:
            # An infobox's "Starring" and a cast list name the same actors; keep the
            # entry that knows the character.
            key = person.casefold()
            known = [c for c in self.credits if c.role == CAST and c.person.casefold() == key]
            if character is None and known:
                return
            for credit in known:
                if credit.character is None:
                    self.credits.remove(credit)
        if self._first(("credit", role, person, character or "")):
            self.credits.append(
                CreditRecord(person, role, character, raw or person, extractor=self.extractor)
            )

    def add_person(self, role: str, person: str, raw: str | None = None) -> None:
        """A director or writer is both a credit and a fact; other roles only a credit."""
        self.add_credit(role, person, raw=raw)
        if role in PEOPLE_FIELDS:
            self.add_fact(role, person)

    def add_rating(self, text: str) -> None:
        score, votes = split_rating(text)
        if score:
            self.add_fact("rating", score)
        if votes:
            self.add_fact("rating_votes", votes)

    def apply(self, targets: Iterable[str], lines: list[Line], label: str = "") -> None:
        """Record one labelled value under every target its label names. A title's label
        may say what the work is: AsianWiki's "Movie:" and "Drama:"."""
        lines = [line for line in lines if line.value]
        if not lines:
            return
        first = lines[0].value
        for target in targets:
            if target == IGNORE:
                continue
            if target == KIND:
                self.add_kind(first)
            elif target == "origin":
                self._origin(first)
            elif target == EPISODES:
                count = _COUNT.search(first)
                if count and int(count.group(0)) > 1:
                    self.add_kind("series")
            elif target == DUBBING:
                for line in lines:
                    self.dubbing.extend(person for person, _ in people_in(line))
            elif target == CAST:
                previous: str | None = None
                for line in lines:
                    role = _ROLE_LINE.match(line.value)
                    if role and previous:
                        # a name, then "as Andy Dufresne" on the next line
                        self.add_credit(CAST, previous, role.group("character"), previous)
                        previous = None
                        continue
                    entries = cast_in(line)
                    for person, character, raw in entries:
                        self.add_credit(CAST, person, character, raw)
                    previous = entries[-1][0] if len(entries) == 1 and not entries[0][1] else None
            elif target in PEOPLE_TARGETS:
                for line in lines:
                    for person, raw in people_in(line):
                        self.add_person(target, person, raw)
            elif target == "title":
                self.set_title(film_title_and_year(first)[0])
                self.add_kind(label)
            elif target == "native_title":
                native = _TITLE_NOTE.sub("", first)
                self.add_title(native, "native")
                self.add_fact("native_title", native)
            elif target == "alt_title":
                for title in titles_in(lines):
                    self.add_title(title, "alternative")
                    self.add_fact("alt_title", title)
            elif target == ROMANIZED_TITLE:
                romanized = _TITLE_NOTE.sub("", first)
                self.add_title(romanized, "romanized")
                self.add_fact("alt_title", romanized)
            elif target == RATING_OR_CERTIFICATE:
                if looks_like_score(first):
                    self.add_rating(" ".join(line.text for line in lines))
                else:
                    self.add_fact("content_rating", first)
            elif target == "rating":
                self.add_rating(" ".join(line.text for line in lines))
            elif target == "synopsis":
                prose = [line.value for line in lines if not line.only_links]
                self.add_fact("synopsis", "\n".join(prose))
            elif target == "trivia":
                for line in lines:
                    if not line.only_links:
                        self.add_fact("trivia", line.value)
            elif target in MULTI_VALUED_FIELDS:
                for line in lines:
                    for value in list_values(line):
                        self.add_fact(target, value)
            elif target == "box_office" and _ADMISSIONS.search(first):
                # "2.1 million admissions (France)": counted in tickets, not money
                self.add_fact("admissions", first)
            elif target == "box_office" and "=" in first:
                # "+ $487 100 000 = $675 120 017": the total is after the sum
                self.add_fact(target, first.rsplit("=", 1)[1])
            else:
                self.add_fact(target, first)

    def _origin(self, text: str) -> None:
        """``USA / Velká Británie, 2010, 148 min``, ``2010年製作／148分／G／アメリカ``:
        countries, the year, the runtime (a part that is none of these, such as a
        certificate, is offered as a country and dropped by ``clean``)."""
        for part in origin_parts(text):
            year = _ORIGIN_YEAR.match(part)
            if year:
                self.add_fact("year", year.group("year"))
            elif _ORIGIN_RUNTIME.match(part):
                self.add_fact("runtime_minutes", part)
            elif part and not any(ch.isdigit() for ch in part):
                for country in part.split("/"):
                    self.add_fact("country", country)

    def add_kind(self, statement: str) -> None:
        """What the page says the work is ("TVEpisode", "TV Series"), as it says it."""
        statement = collapse(statement)
        if statement and statement not in self.kinds:
            self.kinds.append(statement)

    def merge_into(self, extraction: Extraction) -> Extraction:
        extraction.title = extraction.title or self.title
        extraction.titles.extend(self.titles)
        extraction.facts.extend(self.facts)
        dubbing = {person.casefold() for person in self.dubbing}
        extraction.credits.extend(
            credit
            for credit in self.credits
            if credit.role != CAST or credit.person.casefold() not in dubbing
        )
        extraction.kinds.extend(self.kinds)
        extraction.dubbing.extend(self.dubbing)
        return extraction
