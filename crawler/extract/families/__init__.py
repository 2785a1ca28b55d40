"""One module per platform family; each defines extractors that declare what they own.
No module here imports another: shared code lives in :mod:`crawler.extract.shared`."""
