"""``filmcrawl`` subcommands beyond ``crawl`` and ``eval``: one module per family of
commands, each registered in :mod:`crawler.cli` with one ``main.add_command`` line."""
