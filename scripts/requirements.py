"""Print filmcrawl's runtime dependencies, one per line, from pyproject.toml.

A Scrapyd server needs them installed, but not filmcrawl itself: the project arrives
as the egg ``scrapyd-deploy`` uploads, and an installed copy would be imported instead
of it. ``python scripts/requirements.py > requirements.txt`` on a checkout, then
``pip install scrapyd -r requirements.txt`` on each server.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def main() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    sys.stdout.write("".join(f"{requirement}\n" for requirement in project["dependencies"]))


if __name__ == "__main__":
    main()
