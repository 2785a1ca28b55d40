"""Do the same pages give the same database? (issue 16: a change made for speed changes
no stored fact, credit or comment.)

    python benchmarks/same_database.py dump PAGES... --out before.jsonl
    python benchmarks/same_database.py compare before.jsonl after.jsonl

``dump`` runs every page file it is given (``.html`` or ``.html.gz``; a folder means
every such file under it, in sorted order) through the crawl's per-page chain, the
resolve step and the crawl's batch writer into a fresh database, as a crawl stores
them, and writes
the content of every table as sorted JSON lines without the columns that hold times.
A file starting with ``curl -i`` headers is read from its body, with its Content-Type.
``compare`` prints the first differences per table and exits 1 when there are any.

Build a dump with the code before a change and one after; equal dumps mean the change
stored nothing differently. Not a timing tool: it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.process.page import process_html  # noqa: E402
from crawler.store.database import open_database  # noqa: E402
from crawler.store.film_resolution import claim_for_record  # noqa: E402
from crawler.store.writer import write_batch  # noqa: E402

# Columns that hold times (when a row was written or seen), not content.
TIME_COLUMNS = frozenset(
    {
        "first_seen",
        "last_seen",
        "last_fetched",
        "last_changed",
        "fetched_at",
        "added_at",
        "done_at",
        "started_at",
        "finished_at",
        "updated_at",
        "created_at",
        "discovered_at",
        "applied_at",
    }
)
# Bookkeeping of runs and migrations, not what was learned from the pages.
SKIPPED_TABLES = frozenset({"crawl_runs", "_sqlite_migrations", "_database_identity"})
BATCH_SIZE = 50


def page_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.name.endswith((".html", ".html.gz", ".htm"))
            )
        else:
            yield path


def read_page(path: Path) -> tuple[bytes, str | None]:
    """The body of a saved page and its Content-Type, as far as the file tells."""
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    content_type = "text/html"
    if raw.startswith(b"HTTP/"):
        head, _, raw = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
        for line in head.split(b"\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-type":
                content_type = value.strip().decode("latin-1")
    return raw, content_type


def build(files: list[Path], roots: list[Path], db_path: Path) -> None:
    db = open_database(db_path)
    batch = []
    try:
        for path in files:
            root = next((r for r in roots if r in path.parents), path.parent)
            url = "http://127.0.0.1/" + path.relative_to(root).as_posix()
            body, content_type = read_page(path)
            item = process_html(url, body, content_type)
            if item.status == "ok":  # what the resolve pipeline does in a crawl
                item.film_claim = claim_for_record(item)
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                write_batch(db, batch, generation=1)
                batch = []
        if batch:
            write_batch(db, batch, generation=1)
    finally:
        db.close()


def dump(db_path: Path) -> list[str]:
    connection = sqlite3.connect(db_path)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name"
            )
            if row[0] not in SKIPPED_TABLES
        ]
        lines = []
        for table in tables:
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            rows = sorted(
                json.dumps(
                    {n: v for n, v in zip(names, row, strict=True) if n not in TIME_COLUMNS},
                    ensure_ascii=False,
                    sort_keys=True,
                )
                for row in cursor
            )
            lines += [f"{table}\t{row}" for row in rows]
        return lines
    finally:
        connection.close()


def compare(before: Path, after: Path, shown: int = 5) -> int:
    old = before.read_text(encoding="utf-8").splitlines()
    new = after.read_text(encoding="utf-8").splitlines()
    missing = sorted(set(old) - set(new))
    added = sorted(set(new) - set(old))
    if not (missing or added):
        print(f"same database: {len(old)} rows")
        return 0
    tables = sorted({line.split("\t", 1)[0] for line in missing + added})
    for table in tables:
        gone = [line for line in missing if line.startswith(table + "\t")]
        new_rows = [line for line in added if line.startswith(table + "\t")]
        print(f"{table}: {len(gone)} rows only before, {len(new_rows)} only after")
        for line in gone[:shown]:
            print("  - " + line.split("\t", 1)[1][:400])
        for line in new_rows[:shown]:
            print("  + " + line.split("\t", 1)[1][:400])
    return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="store the pages and dump the database")
    dumping.add_argument("pages", type=Path, nargs="+")
    dumping.add_argument("--out", type=Path, required=True)
    comparing = commands.add_parser("compare", help="compare two dumps")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "compare":
        sys.exit(compare(args.before, args.after))
    roots = [p.resolve() for p in args.pages if p.is_dir()]
    files = [p.resolve() for p in page_files(args.pages)]
    with tempfile.TemporaryDirectory(prefix="filmcrawl-same-") as tmp:
        db_path = Path(tmp) / "films.db"
        build(files, roots, db_path)
        lines = dump(db_path)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(files)} pages, {len(lines)} rows -> {args.out}")


if __name__ == "__main__":
    main()
