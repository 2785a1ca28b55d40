"""``python -m crawler.cli``: the ``filmcrawl`` command without its script."""

from crawler.cli.main import main

main()
