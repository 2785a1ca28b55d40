"""Imported once by the worker pool's fork server (and only there), before any worker
is forked from it: the extraction stack and the language detector's profiles are then
shared by all workers copy-on-write instead of loaded by each.
"""

from __future__ import annotations

import gc

import crawler.process.page  # noqa: F401  (the whole per-page chain and its libraries)
from crawler.extract.registry import all_extractors
from crawler.process.fingerprint import simhash
from crawler.process.language import seed_detector
from crawler.process.pool import die_with_parent

# The fork server dies with the crawler that started it; its workers die with it.
die_with_parent()
all_extractors()
seed_detector()
simhash("。")  # builds the punctuation table for CJK comments (a scan of all Unicode)
# Keep the collector from touching (and so un-sharing) these objects in every worker.
gc.freeze()
