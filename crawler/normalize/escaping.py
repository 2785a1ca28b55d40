"""Text from the network, made safe for where it is shown: a terminal, a log, a
spreadsheet. The one place for both rules (issue 17); every CSV writer and every line
the crawl prints go through them.

* :func:`terminal_safe`: control characters (C0, DEL, C1, so ESC and the CSI/OSC
  sequences a terminal obeys: colours, cursor moves, window titles, clipboard writes,
  hyperlinks) and the bidi controls that reorder what is displayed are shown as
  ``\\x1b`` / ``\\u202e`` instead of acted upon. Line breaks too, unless kept (a log
  line or a table cell is one line; a comment's text keeps its paragraphs).
* :func:`spreadsheet_safe`: a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or
  carriage return gets a leading ``'`` (OWASP's rule against CSV formula injection: a
  spreadsheet would run ``=HYPERLINK(...)``), and its control characters are escaped as
  for the terminal (line breaks and tabs are data in a quoted CSV cell).
"""

from __future__ import annotations

import re

__all__ = ["spreadsheet_safe", "terminal_safe"]

# C1 controls, DEL, and the bidi embeddings, overrides and isolates; with the C0
# controls each use escapes (tab is harmless everywhere; a bare CR can overwrite a
# terminal line, but is data in a quoted CSV cell).
_ALWAYS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f{_ALWAYS}]")
_UNSAFE_KEEPING_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_ALWAYS}]")
_UNSAFE_IN_CELL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_ALWAYS}]")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(value: object, *, keep_newlines: bool = False) -> str:
    """``value`` as text a terminal shows rather than obeys.

    >>> terminal_safe("http://x/\\x1b]8;;http://evil/\\x07click\\x1b]8;;\\x07")
    'http://x/\\\\x1b]8;;http://evil/\\\\x07click\\\\x1b]8;;\\\\x07'
    >>> terminal_safe("two\\nlines"), terminal_safe("two\\nlines", keep_newlines=True)
    ('two\\\\x0alines', 'two\\nlines')
    >>> terminal_safe("abc\\u202edef")
    'abc\\\\u202edef'
    """
    text = "" if value is None else str(value)
    pattern = _UNSAFE_KEEPING_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, text)


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet shows rather than runs; non-text values unchanged.

    >>> spreadsheet_safe('=HYPERLINK("http://evil/","click")')
    '\\'=HYPERLINK("http://evil/","click")'
    >>> spreadsheet_safe("-- what a film --"), spreadsheet_safe(-5), spreadsheet_safe("ok")
    ("'-- what a film --", -5, 'ok')
    """
    if not isinstance(value, str):
        return value
    text = _UNSAFE_IN_CELL.sub(_escape, value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
