"""filmcrawl: crawl film pages into a clean, queryable SQLite database."""

__version__ = "0.1.0"
