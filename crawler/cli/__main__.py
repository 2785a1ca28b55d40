"""``python -m crawler.cli``: the ``filmcrawl`` command without its script."""

from crawler.cli.launch import main

main()
