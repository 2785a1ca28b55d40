"""CPU time per page of the per-page chain, step by step, against bare trafilatura, in
one process (no crawl, no workers, no database).

    python benchmarks/chain_profile.py [--workload project|text-heavy] [--pages 150]

The same pages as ``benchmarks/throughput.py`` (the project's synthetic site, or
``../shared/bench/gensite.py OUT 600 170 10``): bare ``trafilatura.extract`` over them,
then :func:`crawler.process.page.process_html` over them with the chain's own timer
(``PageRecord.timings_ms``), each in CPU time of this process. Quicker and steadier than
a whole crawl for judging a change to one step (issue 16); the crawler's own share
(download, pickling, the writer) is only in ``throughput.py``. Asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.throughput import GENSITE  # noqa: E402
from crawler.process.page import process_html  # noqa: E402
from crawler.sample_site.generate import write_site  # noqa: E402


def site_pages(workload: str, pages: int, out: Path) -> list[Path]:
    if workload == "project":
        paths = write_site(out, pages, 7, 100_000)
        return [out / path.strip("/") / "index.html" for path in paths]
    if not GENSITE.exists():
        raise SystemExit(f"{GENSITE} is absent (set FILMCRAWL_SHARED to the folder holding it)")
    subprocess.run([sys.executable, str(GENSITE), str(out), "600", "170", "10"], check=True)
    return sorted(out.glob("film-*.html"))[:pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", choices=("project", "text-heavy"), default="project")
    parser.add_argument("--pages", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="filmcrawl-chain-") as tmp:
        site = Path(tmp) / "site"
        files = site_pages(args.workload, args.pages, site)
        pages = [(f"http://127.0.0.1/{path.relative_to(site)}", path.read_text()) for path in files]
    # Imports, lazy tables and caches, as a worker's first page.
    trafilatura.extract(pages[0][1])
    process_html(*pages[0])
    started = time.process_time()
    for _, html in pages:
        trafilatura.extract(html)
    bare = (time.process_time() - started) * 1000 / len(pages)
    steps: dict[str, float] = collections.defaultdict(float)
    started = time.process_time()
    for url, html in pages:
        for step, ms in process_html(url, html).timings_ms.items():
            steps[step] += ms
    chain = (time.process_time() - started) * 1000 / len(pages)
    print(
        f"{args.workload}: {len(pages)} pages; CPU per page: bare trafilatura {bare:.1f} ms,"
        f" the chain {chain:.1f} ms (one core: {bare / chain:.2f}x)"
    )
    for step, total in sorted(steps.items(), key=lambda item: -item[1]):
        print(f"  {step:32} {total / len(pages):6.2f} ms")


if __name__ == "__main__":
    main()
