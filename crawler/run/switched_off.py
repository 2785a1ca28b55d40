"""Scrapy components their own setting switches off are not loaded at all.

Scrapy imports every component its tables name and only then asks it whether it is
enabled. Two of them are switched off by default here and cost the crawler's start
most: the remote control extension imports aiohttp (0.39 s of CPU) and the cookies
middleware tldextract (0.12 s), before every crawl and re-crawl (issue 16). This
add-on, run once the command line's settings are in, takes the component out of its
table of defaults when its setting is off. A crawl with
``-s COOKIES_ENABLED=1`` (or ``REMOTE_CONTROL_ENABLED=1``) loads and runs it as ever.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

# (the setting that switches the component on, its table, its import path)
SWITCHED_COMPONENTS = (
    (
        "COOKIES_ENABLED",
        "DOWNLOADER_MIDDLEWARES",
        "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
    ),
    (
        "REMOTE_CONTROL_ENABLED",
        "EXTENSIONS",
        "scrapy.extensions.remote_control.RemoteControl",
    ),
)


class SwitchedOffComponentsNotLoaded:
    """A Scrapy add-on (``ADDONS``)."""

    def update_settings(self, settings: BaseSettings) -> None:
        for switch, table, path in SWITCHED_COMPONENTS:
            if not settings.getbool(switch):
                # Out of the ``_BASE`` table: Scrapy imports every key of the table
                # itself, even one set to None, to tell class keys from their paths.
                settings[f"{table}_BASE"].delete(path)
