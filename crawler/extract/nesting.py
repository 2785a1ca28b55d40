"""Markup nested deeper than a parser will go.

libxml2 (lxml) stops reading a document where its elements nest more than 2,048 deep
(256 without ``huge_tree``): everything after that point, often the comments at the
end of a page, was silently missing (issue 17: a page behind 100,000 nested ``<div>``
s was stored ``ok`` with none of its 3 comments). :func:`flatten_deep_nesting` rewrites
such markup so that elements deeper than :data:`MAX_DEPTH` lose their tags and keep
their text; browsers do much the same (Chromium stops nesting at 512).

It uses the standard library's tokenizer, which has no depth limit, and runs only on
the pages lxml gave up on.
"""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["MAX_DEPTH", "flatten_deep_nesting"]

MAX_DEPTH = 512
# Elements that never have content (no end tag), so they never nest.
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)


class _Flattener(HTMLParser):
    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=False)
        self.max_depth = max_depth
        self.out: list[str] = []
        # Open elements: (tag, whether its tags were kept).
        self.stack: list[tuple[str, bool]] = []
        self.flattened = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag in _VOID:
            self.out.append(raw)
            return
        kept = len(self.stack) < self.max_depth
        self.stack.append((tag, kept))
        if kept:
            self.out.append(raw)
        else:
            self.flattened += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                kept = self.stack[index][1]
                del self.stack[index:]
                if kept:
                    self.out.append(f"</{tag}>")
                return
        self.out.append(f"</{tag}>")  # a stray end tag: lxml decides what it means

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def flatten_deep_nesting(html: str, max_depth: int = MAX_DEPTH) -> tuple[str, int]:
    """``html`` with the tags of elements nested deeper than ``max_depth`` removed
    (their text kept), and how many elements were flattened.

    >>> flatten_deep_nesting("<div><div><div><p>deep</p></div></div></div><p>after</p>", 2)
    ('<div><div>deep</div></div><p>after</p>', 2)
    """
    flattener = _Flattener(max_depth)
    flattener.feed(html)
    flattener.close()
    return "".join(flattener.out), flattener.flattened
