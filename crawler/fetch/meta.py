"""What filmcrawl keeps in a request's ``meta``: one key, one place.

``request.meta[META_KEY]`` is a dict with the request's ``kind`` (``seed``, ``sitemap``,
``comments``, ``follow`` or :data:`SITEMAP_DOCUMENT`), its ``depth`` and its
``parent_url``. A request without it is not filmcrawl's, and filmcrawl's middlewares
leave it to Scrapy's own rules.
"""

from __future__ import annotations

META_KEY = "filmcrawl"
# The kind of a request for a sitemap (or robots.txt listing sitemaps) itself, as
# opposed to the pages a sitemap lists (kind "sitemap").
SITEMAP_DOCUMENT = "sitemap-document"
