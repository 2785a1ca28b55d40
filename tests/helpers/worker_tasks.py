"""Functions the worker-pool tests run in worker processes (importable by spawn)."""

from __future__ import annotations

import os
import time


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
