"""Imported once by the worker pool's fork server, before any worker is forked from it:
the extraction stack and langdetect's profiles (about 150 MB) are then shared by all
workers copy-on-write instead of loaded by each.
"""

from __future__ import annotations

import gc

import crawler.process.page  # noqa: F401  (decoding, extractors, trafilatura, extruct)
import pipelines.clean
import pipelines.dedupe
import pipelines.language  # noqa: F401
from crawler.extract.registry import all_extractors
from crawler.process.language import seed_detector

all_extractors()
seed_detector()
# Keep the collector from touching (and so un-sharing) these objects in every worker.
gc.freeze()
