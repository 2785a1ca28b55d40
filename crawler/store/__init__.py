"""The SQLite side of filmcrawl: open and migrate, write pages in batches, keep the
frontier, resolve films, record runs. One writer; everything in one transaction per batch.
"""
