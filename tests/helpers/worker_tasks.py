"""Functions the worker-pool tests run in worker processes (importable by spawn)."""

from __future__ import annotations

import os
import time

from crawler.normalize import facts


def square(value: int) -> int:
    return value * value


def slow_square(value: int, seconds: float) -> int:
    time.sleep(seconds)
    return value * value


def hang() -> None:
    """Stand-in for a worker stuck in C code: signals are not armed, it never returns."""
    while True:
        time.sleep(3600)


def die() -> None:
    os._exit(3)


def pid() -> int:
    return os.getpid()


def lazy_tables_built() -> dict[str, bool]:
    """Whether this worker found the per-page chain's lazily built tables already built
    (by the fork server it was forked from), before it processed anything."""
    return {
        "countries": facts._country_tables.cache_info().currsize == 1,
        "languages": facts._language_tables.cache_info().currsize == 1,
    }
