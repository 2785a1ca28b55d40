"""JSON Schemas for every record filmcrawl hands to other tools, generated from the
dataclasses that define them (:mod:`crawler.cli.records`, :mod:`schemas.records`).

``filmcrawl schema`` writes them to ``schemas/json/``; the files are committed, and a
test fails when they drift from the code. Every field is required (a missing value is
``null``) and no other field is allowed, so a consumer that validates knows exactly
what it gets from this version.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import schemas
from crawler.cli.records import (
    CommentHit,
    ConflictListing,
    Film,
    FilmListing,
    RunListing,
)
from schemas.records import (
    COMMENT_KINDS,
    CREDIT_ROLES,
    FACT_FIELDS,
    PAGE_STATUSES,
    TITLE_KINDS,
    WORK_KINDS,
    CommentRecord,
    CreditRecord,
    FactRecord,
    FilmClaimRecord,
    PageRecord,
    TitleRecord,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Next to the item and table definitions, shipped as package data.
SCHEMA_DIR = Path(schemas.__file__).resolve().parent / "json"


# Descriptions (and closed vocabularies) for the item types of schemas/records.py, whose
# fields carry no metadata of their own. A test checks every name here is a field.
ITEM_FIELD_NOTES: dict[type, dict[str, dict[str, Any]]] = {
    PageRecord: {
        "url": {"description": "The URL as fetched, after redirects (pages.url)."},
        "requested_url": {"description": "The URL as requested, before redirects."},
        "status": {
            "description": "What happened to the page; only 'ok' carries records.",
            "enum": list(PAGE_STATUSES),
        },
        "status_reason": {"description": "Why, in words (for statuses other than 'ok')."},
        "http_status": {"description": "The HTTP status; null when no response came."},
        "content_type": {"description": "The Content-Type header."},
        "encoding": {"description": "The character encoding the page was decoded with."},
        "encoding_source": {"description": "Where the encoding came from (header, meta, ...)."},
        "replacement_ratio": {
            "description": "Share of the non-ASCII characters that could not be decoded (U+FFFD)."
        },
        "etag": {"description": "The ETag header, for conditional GETs."},
        "last_modified": {"description": "The Last-Modified header, for conditional GETs."},
        "content_hash": {"description": "SHA-256 of the body (hex)."},
        "content_length": {"description": "Size of the body in bytes."},
        "fetched_at": {"description": "When it was fetched (ISO 8601 UTC)."},
        "fetch_ms": {"description": "How long the download took, in milliseconds."},
        "extract_ms": {
            "description": "How long decoding, parsing and extraction took, in milliseconds."
        },
        "site": {"description": "The site: host and non-default port, without www."},
        "canonical_url": {"description": "The canonical URL the page declares, if any."},
        "parent_url": {"description": "The page that led to this one, if any."},
        "depth": {"description": "Link hops from a start URL."},
        "extractor": {"description": "The extractors that read the page, joined by '+'."},
        "title": {"description": "The page's title."},
        "kind": {
            "description": "What kind of work the page is about, when it says.",
            "enum": list(WORK_KINDS),
        },
        "clean_text": {"description": "The main text without boilerplate or comments."},
        "lang": {"description": "Language of the main text (ISO 639-1)."},
        "lang_confidence": {"description": "How sure the language label is (0 to 1)."},
        "titles": {"description": "Names of the film the page gives."},
        "facts": {"description": "Facts the page states, normalised."},
        "credits": {"description": "Credits the page gives."},
        "comments": {"description": "Comments, replies, reviews and pingbacks on the page."},
        "comment_page_urls": {"description": "Further pages of the same comment thread."},
        "links": {"description": "Links the crawl follows from the page (with --follow)."},
        "events": {"description": "What the pipelines counted on this page (stats keys)."},
        "timings_ms": {
            "description": "CPU milliseconds each step of the per-page chain took on this page."
        },
        "film_claim": {
            "description": "What the page says about its film (the input of film resolution)."
        },
    },
    FilmClaimRecord: {
        "title_keys": {"description": "Matching keys of the film's titles, sorted."},
        "titles": {"description": "[kind, title] pairs, sorted."},
        "year": {"description": "The year most of the page's dates give."},
        "directors": {"description": "Person keys of the directors, sorted."},
        "countries": {"description": "Countries, sorted."},
        "cast": {"description": "Person keys of the cast, sorted."},
        "tier": {"description": "Best evidence tier behind the year, country and director."},
        "kind": {"description": "The kind of work the page says it is about, when it says."},
    },
    TitleRecord: {
        "title": {"description": "The title as the page spells it."},
        "kind": {"description": "What kind of title it is.", "enum": list(TITLE_KINDS)},
        "extractor": {"description": "The extractor that read it."},
    },
    FactRecord: {
        "field": {"description": "The fact's field.", "enum": list(FACT_FIELDS)},
        "raw": {"description": "The value as the page wrote it."},
        "value": {"description": "The normalised value (null until the clean stage ran)."},
        "extractor": {"description": "The extractor that read it."},
    },
    CreditRecord: {
        "person": {"description": "The person's name as the page spells it."},
        "role": {"description": "Their part in the film.", "enum": list(CREDIT_ROLES)},
        "character": {"description": "For cast: the character played."},
        "raw": {"description": "The credit as the page wrote it."},
        "person_key": {"description": "Matching key of the name (spelling variants share it)."},
        "extractor": {"description": "The extractor that read it."},
    },
    CommentRecord: {
        "text": {"description": "The comment as plain text (never HTML)."},
        "author": {"description": "Who wrote it, as the page names them."},
        "published": {"description": "When it was posted (ISO 8601 UTC), if the page says."},
        "published_raw": {"description": "The date as the page wrote it."},
        "kind": {"description": "What kind of comment it is.", "enum": list(COMMENT_KINDS)},
        "position": {"description": "Its order on the page (0-based)."},
        "parent_position": {"description": "The position of the comment it answers."},
        "extractor": {"description": "The extractor that read it."},
        "truncated": {"description": "Whether the text was cut at the size limit."},
        "id": {"description": "Stable fingerprint of the comment."},
        "parent_id": {"description": "Fingerprint of the comment it answers."},
        "lang": {"description": "Its language (ISO 639-1, 'und' when undetermined)."},
        "lang_confidence": {"description": "How sure the language label is (0 to 1)."},
        "content_key": {"description": "Key of the normalised author and text (exact copies)."},
        "simhash": {"description": "64-bit simhash of the text (hex), for near-copies."},
        "duplicate_of": {"description": "The earlier comment it copies exactly, if any."},
        "near_duplicate_of": {"description": "The earlier comment it nearly copies, if any."},
    },
}


@dataclass(frozen=True)
class SchemaFile:
    name: str
    record: type
    produced_by: str

    def render(self) -> str:
        return json.dumps(schema_for(self.record, self.produced_by), indent=2, ensure_ascii=False)


SCHEMA_FILES: tuple[SchemaFile, ...] = (
    SchemaFile(
        "film.schema.json",
        Film,
        "One line of `filmcrawl export --format jsonl`; also `filmcrawl film NAME --json`.",
    ),
    SchemaFile(
        "page-item.schema.json",
        PageRecord,
        "One item of Scrapy's feed exports: `scrapy crawl films -O items.jsonl` writes one "
        "per fetched page, with the records found on it nested.",
    ),
    SchemaFile("films-entry.schema.json", FilmListing, "One element of `filmcrawl films --json`."),
    SchemaFile(
        "comments-entry.schema.json", CommentHit, "One element of `filmcrawl comments --json`."
    ),
    SchemaFile(
        "conflicts-entry.schema.json",
        ConflictListing,
        "One element of `filmcrawl conflicts --json`.",
    ),
    SchemaFile("runs-entry.schema.json", RunListing, "One element of `filmcrawl runs --json`."),
)


def schema_for(record: type, produced_by: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the dataclass ``record``."""
    defs: dict[str, dict[str, Any]] = {}
    body = _object_schema(record, defs)
    description = body.pop("description", "")
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "title": record.__name__,
        "description": f"{description}\n\n{produced_by}".strip(),
        **body,
    }
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def _doc(record: type) -> str:
    doc = inspect.getdoc(record) or ""
    # A dataclass without a docstring gets its signature as __doc__: not a description.
    return "" if doc.startswith(f"{record.__name__}(") else " ".join(doc.split())


def _object_schema(record: type, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    hints = get_type_hints(record)
    properties: dict[str, Any] = {}
    notes = ITEM_FIELD_NOTES.get(record, {})
    for item in dataclasses.fields(record):
        prop = _type_schema(hints[item.name], defs)
        metadata = {**item.metadata, **notes.get(item.name, {})}
        if "description" in metadata:
            prop["description"] = metadata["description"]
        if "enum" in metadata:
            values = list(metadata["enum"])
            prop["enum"] = [*values, None] if "null" in prop.get("type", []) else values
        properties[item.name] = prop
    schema: dict[str, Any] = {"type": "object"}
    if _doc(record):
        schema["description"] = _doc(record)
    schema.update(
        properties=properties,
        required=list(properties),
        additionalProperties=False,
    )
    return schema


_SIMPLE = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}


def _type_schema(annotation: Any, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if annotation is Any:
        return {}
    if annotation in _SIMPLE:
        return {"type": _SIMPLE[annotation]}
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin in (Union, types.UnionType):
        options = [_type_schema(arg, defs) for arg in args]
        if all(set(option) == {"type"} for option in options):
            return {"type": [option["type"] for option in options]}
        return {"anyOf": options}
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(args[1], defs)}
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        name = annotation.__name__
        if name not in defs:
            defs[name] = {}  # placeholder: a record may (indirectly) contain itself
            defs[name] = _object_schema(annotation, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for the annotation {annotation!r}")


def drifted(directory: Path) -> list[str]:
    """Why the schema files in ``directory`` differ from the code (empty: they match)."""
    problems = []
    expected = {schema_file.name: schema_file.render() + "\n" for schema_file in SCHEMA_FILES}
    for name, text in expected.items():
        path = directory / name
        if not path.exists():
            problems.append(f"{name} is missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{name} differs from the code")
    for path in sorted(directory.glob("*.schema.json")):
        if path.name not in expected:
            problems.append(f"{path.name} is no longer generated")
    return problems


def write_schemas(directory: Path) -> list[tuple[Path, bool]]:
    """Write every schema file; return each path and whether it changed. Schema files
    the code no longer generates are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    names = set()
    for schema_file in SCHEMA_FILES:
        path = directory / schema_file.name
        names.add(schema_file.name)
        text = schema_file.render() + "\n"
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            path.write_text(text, encoding="utf-8")
        written.append((path, changed))
    for path in sorted(directory.glob("*.schema.json")):
        if path.name not in names:
            path.unlink()
            written.append((path, True))
    return written
