"""The per-page chain, run as one task in the worker pool: decode, parse once, extract,
normalise, detect languages, fingerprint. Pure: bytes in, a page record out."""
