"""The ``filmcrawl`` command line: one module per family of commands."""
