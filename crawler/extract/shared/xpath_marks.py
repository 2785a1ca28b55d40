"""What an XPath needs on a page before it can find anything, read from the XPath
itself, and the cheap test of that on the document's class and id index.

A page asks every extractor family whether its markup is there, most of them with
XPaths over the whole tree (``//li[class test]...``, ``//*[@id='...']``): some 0.5 ms
each on a page of 3,000 elements, and on most pages the answer is no. The class and
id index (:meth:`crawler.extract.document.Document.with_class_or_id`) gives that no
in microseconds where the XPath's first step names a class or an id (issue 16).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml.etree import XPath

from crawler.extract.document import Document

# A class test as ``class_test`` writes it (spaces after the commas allowed).
_CLASS_TERM = re.compile(
    r"contains\(concat\(' ', ?normalize-space\(@class\), ?' '\), ?' ([^' ]+) '\)"
)
_ID_EQUALS = re.compile(r"@id='([^']*)'")
_ID_STARTS = re.compile(r"starts-with\(@id,'([^']*)'\)")
# One location step: an optional separator and axis, then an element name test.
_STEP = re.compile(
    r"(?:\.?//?|/)?(?:(?:ancestor|ancestor-or-self|child|descendant|descendant-or-self"
    r"|following|following-sibling|parent|preceding|preceding-sibling|self)::)?[\w*-]+"
)


@dataclass(frozen=True)
class Marks:
    """What a page must hold for an XPath to find anything: for each set of
    ``classes`` an element with one of them, every id of ``ids``, and an id starting
    with each of ``id_prefixes``."""

    classes: tuple[frozenset[str], ...] = ()
    ids: tuple[str, ...] = ()
    id_prefixes: tuple[str, ...] = ()

    def on(self, doc: Document) -> bool:
        return (
            all(doc.with_class_or_id(classes=words) for words in self.classes)
            and all(doc.with_class_or_id(ids=[element_id]) for element_id in self.ids)
            and all(doc.has_id_starting(prefix) for prefix in self.id_prefixes)
        )


def required_marks(path: str) -> Marks:
    """The marks an absolute location path (``//tag[predicate]/tag[...]``) needs.

    Every step of a path that finds something matched an element, so each of its
    predicates held there: a class test (:func:`class_test`) names classes the page
    has, ``@id='...'`` an id, ``starts-with(@id,'...')`` an id prefix, and a predicate
    that is itself a location path (``.//*[class test]``, ``ancestor::div[...]``) found
    an element, with the marks of its own steps. Other predicates say nothing known,
    and anything else than a path of steps (a union, a group, a function) needs
    nothing.

    A page asks every comment family whether its markup is there, each with XPaths
    over the whole tree; the class and id index answers most of them first
    (issue 16).
    """
    if not path.startswith("//"):
        return Marks()
    marks = _path_marks(path)
    return marks if marks is not None else Marks()


def _path_marks(path: str) -> Marks | None:
    """The marks of a path of steps; None when ``path`` is not only steps."""
    classes: list[frozenset[str]] = []
    ids: list[str] = []
    prefixes: list[str] = []
    position = 0
    while position < len(path):
        step = _STEP.match(path, position)
        if step is None:
            return None
        position = step.end()
        while position < len(path) and path[position] == "[":
            end = _closing_bracket(path, position)
            if end is None:
                return None
            predicate = path[position + 1 : end]
            position = end + 1
            terms = [_CLASS_TERM.fullmatch(term) for term in predicate.split(" or ")]
            if all(terms):
                classes.append(frozenset(term.group(1) for term in terms if term))
            elif (equals := _ID_EQUALS.fullmatch(predicate)) is not None:
                ids.append(equals.group(1))
            elif (starts := _ID_STARTS.fullmatch(predicate)) is not None:
                prefixes.append(starts.group(1))
            elif (inner := _path_marks(predicate)) is not None:
                classes.extend(inner.classes)
                ids.extend(inner.ids)
                prefixes.extend(inner.id_prefixes)
        if position < len(path) and path[position] != "/":
            return None
    return Marks(tuple(classes), tuple(ids), tuple(prefixes))


def _closing_bracket(path: str, opening: int) -> int | None:
    """The index of the ``]`` that closes the ``[`` at ``opening`` (quotes skipped)."""
    depth, quoted = 0, False
    for position in range(opening, len(path)):
        char = path[position]
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return position
    return None


def may_find(doc: Document, expression: XPath) -> bool:
    """False when ``expression`` certainly finds nothing on the page (its
    :func:`required_marks` are missing), without running it."""
    return _marks_of(expression.path).on(doc)


@cache
def _marks_of(path: str) -> Marks:
    return required_marks(path)
