"""Read a page's structured data (JSON-LD, microdata, OpenGraph) with extruct.

extruct gives up on a whole syntax when one block is broken; real pages carry
malformed JSON-LD (trailing commas, raw newlines, HTML comments, truncated scripts), so
every JSON-LD script and every syntax is read on its own and a failure is recorded in
``errors`` instead of losing the rest of the page's data.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jstyleson
import lxml.etree
from extruct.opengraph import OpenGraphExtractor
from extruct.w3cmicrodata import LxmlMicrodataExtractor
from lxml.html import HtmlElement

_JSONLD_SCRIPTS = lxml.etree.XPath(
    "//script[translate(@type,'APLICTONJS+DX','aplictonjs+dx')='application/ld+json']"
)
_LEADING_COMMENT = re.compile(r"^\s*(//[^\n]*|<!--|-->)\s*", re.MULTILINE)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def read_structured_data(tree: HtmlElement, base_url: str) -> dict[str, list[dict[str, Any]]]:
    """Return ``{"json-ld": [...], "microdata": [...], "opengraph": [...], "errors": [...]}``.

    JSON-LD ``@graph`` containers are flattened so callers see each node once.
    """
    result: dict[str, list[dict[str, Any]]] = {
        "json-ld": [],
        "microdata": [],
        "opengraph": [],
        "errors": [],
    }
    for index, script in enumerate(_JSONLD_SCRIPTS(tree)):
        text = script.text_content() if hasattr(script, "text_content") else script.text or ""
        try:
            data = parse_jsonld(text)
        except ValueError as exc:
            result["errors"].append({"syntax": "json-ld", "index": index, "error": str(exc)})
            continue
        result["json-ld"].extend(_flatten_graph(data))
    try:
        result["microdata"] = list(LxmlMicrodataExtractor().extract_items(tree, base_url))
    except Exception as exc:  # extruct raises whatever the markup provokes
        result["errors"].append({"syntax": "microdata", "error": repr(exc)})
    try:
        result["opengraph"] = list(OpenGraphExtractor().extract_items(tree, base_url))
    except Exception as exc:
        result["errors"].append({"syntax": "opengraph", "error": repr(exc)})
    return result


def parse_jsonld(text: str) -> Any:
    """Parse one JSON-LD script, repairing the faults real pages commonly have.

    Raises ``ValueError`` when the text cannot be read even after repair.
    """
    text = _CDATA.sub("", text.strip())
    if not text:
        raise ValueError("empty JSON-LD script")
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    repaired = _TRAILING_COMMA.sub(r"\1", _LEADING_COMMENT.sub("", text))
    try:
        return jstyleson.loads(repaired, strict=False)
    except (ValueError, TypeError, IndexError) as exc:
        raise ValueError(f"malformed JSON-LD: {exc}") from exc


def _flatten_graph(data: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    stack = data if isinstance(data, list) else [data]
    for node in stack:
        if not isinstance(node, dict):
            continue
        graph = node.get("@graph")
        if isinstance(graph, list):
            nodes.extend(_flatten_graph(graph))
            rest = {k: v for k, v in node.items() if k != "@graph"}
            if set(rest) - {"@context", "@id"}:
                nodes.append(rest)
        else:
            nodes.append(node)
    return nodes


def opengraph_properties(structured: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """OpenGraph properties as ``{"og:title": ["..."], ...}`` (a property may repeat)."""
    props: dict[str, list[str]] = {}
    for block in structured.get("opengraph", []):
        for name, value in block.get("properties", []):
            props.setdefault(str(name), []).append(str(value))
    return props


def schema_types(node: dict[str, Any]) -> set[str]:
    """The schema.org types of a JSON-LD or microdata node, without the vocabulary URL."""
    raw = node.get("@type", node.get("type", []))
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}
