"""Find every extractor in ``crawler/extract/``: no list to keep up to date.

A module defines extractors by subclassing :class:`~crawler.extract.base.Extractor`
with a ``name``; dropping the module into the package is all it takes.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from crawler.extract.base import Extractor


@cache
def all_extractors() -> tuple[Extractor, ...]:
    """One instance of every extractor, ordered by tier then name (deterministic)."""
    import crawler.extract as package

    found: dict[str, type[Extractor]] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Extractor)
                and value is not Extractor
                and value.__module__ == module.__name__
                and value.name
            ):
                if value.name in found and found[value.name] is not value:
                    raise RuntimeError(f"two extractors are named {value.name!r}")
                found[value.name] = value
    return tuple(cls() for cls in sorted(found.values(), key=lambda c: (c.tier, c.name)))


def extractor_names() -> list[str]:
    return [extractor.name for extractor in all_extractors()]
