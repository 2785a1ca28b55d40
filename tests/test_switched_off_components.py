"""Scrapy components their own setting switches off are not loaded (issue 16: the
remote control extension's aiohttp and the cookies middleware's tldextract were half
a second of every crawl's start), and switching them on still loads and runs them."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.utils.conf import build_component_list
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings

COOKIES = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
REMOTE_CONTROL = "scrapy.extensions.remote_control.RemoteControl"


def components(**overrides: Any) -> set[str]:
    settings = {name: value for name, value in vars(project_settings).items() if name.isupper()}
    crawler = get_crawler(settings_dict={**settings, **overrides})
    listed: list[Any] = []
    for table in ("DOWNLOADER_MIDDLEWARES", "EXTENSIONS"):
        listed += build_component_list(
            crawler.settings.get_component_priority_dict_with_base(table)
        )
    return {
        name if isinstance(name, str) else f"{name.__module__}.{name.__name__}" for name in listed
    }


def test_switched_off_components_are_not_listed_for_loading() -> None:
    listed = components()
    assert COOKIES not in listed and REMOTE_CONTROL not in listed
    # The rest of Scrapy's defaults stay.
    assert "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware" in listed
    assert "scrapy.extensions.corestats.CoreStats" in listed


@pytest.mark.parametrize(
    ("switch", "component"),
    [("COOKIES_ENABLED", COOKIES), ("REMOTE_CONTROL_ENABLED", REMOTE_CONTROL)],
)
def test_a_component_switched_on_on_the_command_line_is_loaded(switch: str, component: str) -> None:
    assert component in components(**{switch: "1"})
