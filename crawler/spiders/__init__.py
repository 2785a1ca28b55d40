"""The project's spiders; Scrapy's spider loader finds every spider with a ``name`` here."""
