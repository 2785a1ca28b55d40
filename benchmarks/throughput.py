"""Throughput and memory of a full crawl, against the bare extractor on the same pages.

    python benchmarks/throughput.py [--workload both|project|text-heavy] [--pages 1000]

Two workloads (``both`` by default, what ``make bench`` runs):

``project``
    The project's synthetic film site (``crawler/sample_site/generate.py``): ``--pages``
    pages of about ``--page-bytes`` with navigation, JSON-LD, a fact box, a synopsis and
    40-100 comments in a dozen languages. Crawled a second time unchanged (304s).
``text-heavy``
    ``../shared/bench/gensite.py OUT 600 170 10``: 600 WordPress-style pages of ~170 KB
    with 10 comments each, crawled as ``../shared/bench/README.md`` says (Scrapy's
    delays and AutoThrottle off, 16 requests per host, robots.txt off). Skipped, with a
    message, where ``gensite.py`` is absent (``$FILMCRAWL_SHARED`` points elsewhere).

For each: bare ``trafilatura.extract`` over the same pages in one plain loop on one
core (this process), then the full crawl (``filmcrawl crawl --sitemap ...``) of the site
served from a separate process on 127.0.0.1 into a fresh database, sampling the memory
and CPU time of the whole crawl process tree (the crawler, the fork server, the
workers). Prints pages/s, the ratio to the bare rate, where the time went per step of
the per-page chain (the crawl's own timer, ``filmcrawl/time/<step>_ms`` in
``crawl_runs.stats``), peak memory and the machine load, and writes them as JSON to
``benchmarks/out/``. Not part of the test suite, asserts nothing; traffic goes to
127.0.0.1 only. Other processes on the machine change absolute numbers: the ratio is
taken in one run, on the same pages.

``--rounds N`` (3 by default) repeats the bare loop and the crawl (and the re-crawl)
N times in turn, each crawl into a fresh database, and gives each ratio as the median
of the rounds with its range: one round's ratio moves by 10-15 % with the machine, which
hides the change a step makes. Peak memory is the highest of the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import trafilatura

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.sample_site.generate import write_site  # noqa: E402

LOCAL_MIRROR_SETTINGS = (
    "FILMCRAWL_LOOPBACK_ONLY=1",
    "AUTOTHROTTLE_ENABLED=0",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS=32",
    "CONCURRENT_REQUESTS_PER_DOMAIN=32",
    "LOG_LEVEL=WARNING",
)
# How ../shared/bench/README.md crawls the text-heavy site.
TEXT_HEAVY_SETTINGS = (
    "FILMCRAWL_LOOPBACK_ONLY=1",
    "AUTOTHROTTLE_ENABLED=0",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS=16",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "ROBOTSTXT_OBEY=0",
    "LOG_LEVEL=WARNING",
)
SHARED = Path(os.environ.get("FILMCRAWL_SHARED") or REPO.parent / "shared")
GENSITE = SHARED / "bench" / "gensite.py"


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def memory_of(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes. PSS splits each shared page among the
    processes sharing it, so PSS summed over a process tree is the memory it really
    uses; RSS summed counts pages shared by the fork server and its workers again for
    every worker."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return rss, pss


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return 0.0


class PeakRss:
    """Sample the memory of a process tree every ``interval`` seconds; keep the peaks
    of the summed RSS, the summed PSS and the largest single process's RSS."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self.peak_process = 0
        # Last CPU time seen per process (workers come and go: max_tasks_per_child).
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            tree = process_tree(self.pid)
            for pid in tree:
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu_seconds(pid))
            sizes = [memory_of(pid) for pid in tree]
            self.peak = max(self.peak, sum(rss for rss, _ in sizes))
            self.peak_pss = max(self.peak_pss, sum(pss for _, pss in sizes))
            self.peak_process = max([self.peak_process, *(rss for rss, _ in sizes)])
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def bare_extraction_rate(files: list[Path]) -> dict[str, float]:

    pages = [path.read_text(encoding="utf-8") for path in files]
    trafilatura.extract(pages[0])  # imports and lazy tables, as a worker's first page
    started, cpu_started = time.perf_counter(), time.process_time()
    for html in pages:
        trafilatura.extract(html)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "pages": len(pages),
        "seconds": elapsed,
        "pages_per_second": len(pages) / elapsed,
        "cpu_ms_per_page": cpu * 1000 / len(pages),
    }


def crawl(
    db: Path, sitemap: str, workers: str, extra: list[str], base: tuple[str, ...]
) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "crawler.cli",
        "crawl",
        "--sitemap",
        sitemap,
        "--db",
        str(db),
        "-s",
        f"FILMCRAWL_WORKERS={workers}",
    ]
    for setting in (*base, *extra):
        command += ["-s", setting]
    env = {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=db.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with PeakRss(process.pid) as rss:
        stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"crawl failed ({process.returncode}):\n{stderr[-3000:]}\n{stdout}")
    connection = sqlite3.connect(db)
    run = connection.execute(
        "SELECT pages_fetched, pages_not_modified, comments_new, started_at, finished_at, stats "
        "FROM crawl_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    comments = connection.execute("SELECT count(*) FROM comments").fetchone()[0]
    connection.close()
    return {
        "seconds": elapsed,
        "pages_fetched": run[0],
        "pages_not_modified": run[1],
        "comments_new": run[2],
        "comments_total": comments,
        "pages_per_second": run[0] / elapsed,
        "comments_per_second": run[2] / elapsed,
        "peak_rss_mb": rss.peak / 2**20,
        "peak_pss_mb": rss.peak_pss / 2**20,
        "peak_process_rss_mb": rss.peak_process / 2**20,
        "cpu_seconds_crawler": rss.cpu.get(process.pid, 0.0),
        "cpu_seconds_workers": sum(t for pid, t in rss.cpu.items() if pid != process.pid),
        "step_ms": {
            key.removeprefix("filmcrawl/time/").removesuffix("_ms"): value
            for key, value in json.loads(run[5] or "{}").items()
            if key.startswith("filmcrawl/time/")
        },
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", choices=("both", "project", "text-heavy"), default="both")
    parser.add_argument("--pages", type=int, default=1000, help="pages of the project workload")
    parser.add_argument("--page-bytes", type=int, default=100_000)
    parser.add_argument("--workers", default="auto")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-bare", action="store_true")
    parser.add_argument("--skip-recrawl", action="store_true")
    parser.add_argument(
        "--rounds", type=int, default=3, help="bare loop and crawl in turn, N times (median)"
    )
    parser.add_argument("--keep-db", type=Path, help="copy the crawled database here to inspect it")
    parser.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "out", help="folder for the JSON results"
    )
    parser.add_argument(
        "-s", dest="settings", action="append", default=[], help="extra crawl setting NAME=VALUE"
    )
    args = parser.parse_args()

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    results = []
    if args.workload in ("both", "project"):
        results.append(project_workload(args))
    if args.workload in ("both", "text-heavy"):
        if GENSITE.exists():
            results.append(text_heavy_workload(args))
        else:
            print(
                f"text-heavy workload skipped: {GENSITE} is absent"
                " (set FILMCRAWL_SHARED to the folder holding bench/gensite.py)"
            )
    for result in results:
        report(result)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = f"throughput-{result['workload']}-{stamp}.json"
        (out / name).write_text(json.dumps(result, indent=2))


def project_workload(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="filmcrawl-bench-") as tmp:
        site = Path(tmp) / "site"
        print(f"[project] generating {args.pages} pages of ~{args.page_bytes // 1000} KB ...")
        paths = write_site(site, args.pages, args.seed, args.page_bytes)
        files = [site / path.strip("/") / "index.html" for path in paths]
        return run_workload(
            "project", args, site, files, LOCAL_MIRROR_SETTINGS, recrawl=not args.skip_recrawl
        )


def text_heavy_workload(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="filmcrawl-bench-") as tmp:
        site = Path(tmp) / "site"
        print(f"[text-heavy] {GENSITE} {site} 600 170 10 ...")
        subprocess.run([sys.executable, str(GENSITE), str(site), "600", "170", "10"], check=True)
        # gensite writes BASE/ where the server's own address belongs.
        template = (site / "sitemap.xml.in").read_text(encoding="utf-8")
        (site / "sitemap.xml").write_text(template.replace("BASE/", "{{BASE_URL}}/"), "utf-8")
        files = sorted(site.glob("film-*.html"))
        return run_workload("text-heavy", args, site, files, TEXT_HEAVY_SETTINGS, recrawl=False)


def run_workload(
    name: str,
    args: argparse.Namespace,
    site: Path,
    files: list[Path],
    settings: tuple[str, ...],
    *,
    recrawl: bool,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "workload": name,
        "pages": len(files),
        "page_bytes": sum(path.stat().st_size for path in files) // max(len(files), 1),
        "cpu_count": os.cpu_count(),
        "workers": args.workers,
        "python": sys.version.split()[0],
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.sample_site.server", str(site)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    rounds: list[dict[str, Any]] = []
    try:
        base = server.stdout.readline().strip()  # type: ignore[union-attr]
        db = site.parent / "bench.db"
        wanted = max(args.rounds, 1)
        for number in range(1, wanted + 1):
            tag = f"[{name}, round {number} of {wanted}]"
            measured: dict[str, Any] = {}
            if not args.skip_bare:
                print(f"{tag} bare trafilatura.extract, one core ...", flush=True)
                measured["bare"] = bare_extraction_rate(files)
            for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                leftover.unlink(missing_ok=True)  # each round's first crawl starts afresh
            print(f"{tag} full crawl of {base} ...", flush=True)
            sitemap = base + "sitemap.xml"
            measured["crawl"] = crawl(db, sitemap, args.workers, args.settings, settings)
            if recrawl:
                print(f"{tag} re-crawl of the unchanged site ...", flush=True)
                measured["recrawl"] = crawl(db, sitemap, args.workers, args.settings, settings)
            rounds.append(measured)
        if args.keep_db:
            shutil.copyfile(db, args.keep_db.with_name(f"{name}-{args.keep_db.name}"))
    finally:
        server.terminate()
        server.wait()
    result["rounds"] = rounds
    return result


def median_and_range(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def summarise(result: dict[str, Any]) -> None:
    """Each round's ratios, their medians and ranges; the round whose crawl ratio is the
    median stands for the rest of the report (``crawl``, ``bare``, ``recrawl``)."""
    rounds: list[dict[str, Any]] = result["rounds"]
    for measured in rounds:
        crawl_result, bare = measured["crawl"], measured.get("bare")
        if bare:
            measured["ratio_to_bare"] = crawl_result["pages_per_second"] / bare["pages_per_second"]
            crawl_cpu = crawl_result["cpu_seconds_crawler"] + crawl_result["cpu_seconds_workers"]
            cpu_per_page = crawl_cpu * 1000 / max(crawl_result["pages_fetched"], 1)
            cores = int(result["cpu_count"] or 1)
            measured["cpu_ms_per_page"] = cpu_per_page
            measured["cpu_ratio_to_bare"] = cores * bare["cpu_ms_per_page"] / cpu_per_page
        if "recrawl" in measured:
            measured["recrawl_speedup"] = crawl_result["seconds"] / measured["recrawl"]["seconds"]
    for key in ("ratio_to_bare", "cpu_ratio_to_bare", "recrawl_speedup"):
        values = [measured[key] for measured in rounds if key in measured]
        if values:
            result[key], result[f"{key}_min"], result[f"{key}_max"] = median_and_range(values)
    by_ratio = sorted(rounds, key=lambda m: m.get("ratio_to_bare", m["crawl"]["pages_per_second"]))
    middle = by_ratio[(len(by_ratio) - 1) // 2]
    result.update({key: middle[key] for key in ("bare", "crawl", "recrawl") if key in middle})
    if "cpu_ms_per_page" in middle:
        result["cpu_ms_per_page"] = middle["cpu_ms_per_page"]
    result["peak_pss_mb"] = max(m["crawl"]["peak_pss_mb"] for m in rounds)
    recrawls = [m["recrawl"]["peak_pss_mb"] for m in rounds if "recrawl" in m]
    if recrawls:
        result["recrawl_peak_pss_mb"] = max(recrawls)


def spread(result: dict[str, Any], key: str, unit: str = "x") -> str:
    """``0.70x`` for one round; ``0.70x (median of 3 rounds: 0.66x-0.74x)`` for more."""
    rounds = len(result["rounds"])
    text = f"{result[key]:.2f}{unit}"
    if rounds > 1:
        text += (
            f" (median of {rounds} rounds: {result[key + '_min']:.2f}{unit}"
            f"-{result[key + '_max']:.2f}{unit})"
        )
    return text


def report(result: dict[str, Any]) -> None:
    summarise(result)
    crawl_result = result["crawl"]
    assert isinstance(crawl_result, dict)
    load = ", ".join(f"{value:.2f}" for value in crawl_result["load_average"])
    rounds = len(result["rounds"])
    lines = [
        f"== {result['workload']} workload ==",
        f"machine: {result['cpu_count']} cores, Python {result['python']}, "
        f"workers={result['workers']}; load average after the crawl {load}",
        f"pages: {result['pages']} of ~{int(result['page_bytes']) // 1000} KB",
        *([f"rounds: {rounds}; figures below from the median round"] if rounds > 1 else []),
        f"full crawl: {crawl_result['seconds']:.1f} s, "
        f"{crawl_result['pages_per_second']:.1f} pages/s, "
        f"{crawl_result['comments_per_second']:.0f} comments/s",
        f"CPU: crawler process {crawl_result['cpu_seconds_crawler']:.1f} s "
        f"({crawl_result['cpu_seconds_crawler'] * 1000 / max(crawl_result['pages_fetched'], 1):.1f}"
        f" ms per page), extraction workers "
        f"{crawl_result['cpu_seconds_workers']:.0f} s "
        f"({crawl_result['cpu_seconds_workers'] * 1000 / max(crawl_result['pages_fetched'], 1):.0f}"
        f" ms per page), over {crawl_result['seconds']:.0f} s on {result['cpu_count']} cores",
        f"memory: peak PSS {result['peak_pss_mb']:.0f} MB (all processes"
        f"{', highest of the rounds' if rounds > 1 else ''}), peak RSS "
        f"{crawl_result['peak_rss_mb']:.0f} MB summed, largest process "
        f"{crawl_result['peak_process_rss_mb']:.0f} MB",
    ]
    bare = result.get("bare")
    if isinstance(bare, dict):
        lines.append(
            f"bare trafilatura.extract (one core): {bare['pages_per_second']:.1f} pages/s "
            f"-> end-to-end / bare = {spread(result, 'ratio_to_bare')}"
        )
        # The same comparison in CPU time, which other processes on the machine change
        # far less than wall time: pages/s the crawl would reach with every core to
        # itself, over pages/s of the bare loop with one core to itself.
        lines.append(
            f"CPU per page: crawl {result['cpu_ms_per_page']:.1f} ms (all processes), bare"
            f" {bare['cpu_ms_per_page']:.1f} ms -> with the {result['cpu_count']} cores to"
            f" itself ~{spread(result, 'cpu_ratio_to_bare')}"
        )
    steps = crawl_result["step_ms"]
    if steps:
        pages = max(crawl_result["pages_fetched"], 1)
        lines.append("CPU per page, by step (the crawl's own timer, filmcrawl/time/<step>_ms):")
        for step, total in sorted(steps.items(), key=lambda item: -item[1]):
            lines.append(f"  {step:32} {total / pages:7.2f} ms")
    recrawl = result.get("recrawl")
    if isinstance(recrawl, dict):
        lines.append(
            f"re-crawl (unchanged, {recrawl['pages_not_modified']} not modified): "
            f"{recrawl['seconds']:.1f} s, {spread(result, 'recrawl_speedup')} faster than the"
            f" first crawl, peak PSS {result['recrawl_peak_pss_mb']:.0f} MB, crawler CPU "
            f"{recrawl['cpu_seconds_crawler']:.1f} s "
            f"({recrawl['cpu_seconds_crawler'] * 1000 / max(recrawl['pages_fetched'], 1):.2f}"
            " ms per page)"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
