"""What extractors share: markup walking, labels in many languages, film records,
structured data, comment blocks. Never imports an extractor."""
