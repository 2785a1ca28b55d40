"""The examples in the normalisers' docstrings are part of their contract."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "crawler.normalize.text",
    "crawler.normalize.dates",
    "crawler.normalize.durations",
    "crawler.normalize.numbers",
    "crawler.normalize.ratings",
    "crawler.normalize.people",
    "crawler.normalize.titles",
    "crawler.normalize.facts",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
