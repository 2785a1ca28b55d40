"""Main text: furniture pruning by class/id words, and what it must never remove."""

from __future__ import annotations

from crawler.extract.document import parse_html
from crawler.extract.main_text import extract_main_text

STORY = (
    "Yong-goo, a father with the mind of a child, is sent to prison for a crime he did not "
    "commit, and his cellmates smuggle his daughter in to see him. "
)


def page(content_class: str, extra: str = "") -> str:
    """A page whose story is a minority of its visible text, as on many magazine themes:
    a long site map of links follows it."""
    paragraphs = "".join(f"<p>{STORY * 3} Part {i}.</p>" for i in range(4))
    site_map = "".join(f"<a href='/f{i}'>Film archive entry number {i}</a> " for i in range(150))
    return (
        f"<html><head><script>{'var x = 1;' * 3000}</script></head><body>"
        f"<div class='{content_class}'><h1>Miracle in Cell No. 7</h1>{paragraphs}</div>"
        f"<div class='related-posts'><p>Other film one. Other film two. Other film three.</p>"
        f"</div><div class='site-map'>{site_map}</div>{extra}</body></html>"
    )


def test_a_content_block_named_for_its_layout_is_kept() -> None:
    # Regression (traf-rosamag): "eltdf-content-has-sidebar" was pruned as a sidebar
    # because inline scripts made the page's text look three times longer than it was.
    text = extract_main_text(parse_html(page("grid-row content-has-sidebar")), "http://x/")
    assert text and "cellmates smuggle his daughter" in text
    assert "Other film one" not in text


def test_a_block_holding_the_heading_is_never_furniture() -> None:
    text = extract_main_text(parse_html(page("widget-area")), "http://x/")
    assert text and "cellmates smuggle his daughter" in text


def test_furniture_is_removed() -> None:
    extra = "<aside><p>Latest Trailers: Doctor Stranger teaser3</p></aside>"
    text = extract_main_text(parse_html(page("post", extra)), "http://x/")
    assert text and "Latest Trailers" not in text and "Other film two" not in text
