"""Writing tables for other programs: every CSV (and TSV) filmcrawl writes goes through
:func:`write_csv`, so every cell is spreadsheet-safe
(:func:`crawler.normalize.escaping.spreadsheet_safe`: a leading ``=``, ``+``, ``-``,
``@``, tab or CR gets a ``'``; control characters are escaped)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO, Any

from crawler.normalize.escaping import spreadsheet_safe

__all__ = ["write_csv"]


def write_csv(
    stream: IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    delimiter: str = ",",
    *,
    exact: bool = False,
) -> int:
    """Write ``header`` and ``rows`` as CSV (or TSV with ``delimiter="\\t"``), every
    cell spreadsheet-safe unless ``exact`` (for programs that read the values back);
    return how many rows were written."""
    writer = csv.writer(stream, delimiter=delimiter)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row if exact else [spreadsheet_safe(cell) for cell in row])
        count += 1
    return count
