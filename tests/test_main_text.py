"""Main text: furniture pruning, what it must never remove, the structured synopsis, and
when trafilatura's fallbacks run."""

from __future__ import annotations

from typing import Any

import pytest

from crawler.extract import main_text
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


# --- issue 14, item 6: the synopsis, doubtful first passes, menus, dense scripts ----------

SYNOPSIS = (
    "Marv, a brute with a soft spot, wakes up next to a dead woman and sets out to find who "
    "framed him, through a city where the police work for the highest bidder."
)
ARTICLE = "".join(f"<p>{STORY * 2} Paragraph {i} of the review.</p>" for i in range(6))


def counting_passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record the ``fast`` flag of every trafilatura pass main_text runs."""
    passes: list[bool] = []
    original = main_text.trafilatura.extract

    def extract(*args: Any, **kwargs: Any) -> str | None:
        passes.append(kwargs["fast"])
        return original(*args, **kwargs)

    monkeypatch.setattr(main_text.trafilatura, "extract", extract)
    return passes


def test_a_clear_page_gets_one_pass_without_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    passes = counting_passes(monkeypatch)
    html = f"<html><body><article><h1>Review</h1>{ARTICLE}</article></body></html>"
    text = extract_main_text(parse_html(html), "http://x/")
    assert text and "Paragraph 5 of the review" in text
    assert passes == [True]


def test_the_synopsis_trafilatura_drops_leads_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 14: KinoPoisk 2022 lost its synopsis to a long review. Here trafilatura drops
    # the synopsis by its own class tokens ("widget"); the structured description says
    # where it is, so it leads the text, once, and the doubtful pass ran the fallbacks.
    passes = counting_passes(monkeypatch)
    html = (
        "<html><body><h1>Sin City</h1>"
        f"<section class='ipc-page-section celwidget'><div>{SYNOPSIS}</div></section>"
        f"<div class='review'>{ARTICLE}</div></body></html>"
    )
    text = extract_main_text(parse_html(html), "http://x/", synopses=[SYNOPSIS])
    assert text and text.startswith("Marv, a brute with a soft spot")
    assert text.count("wakes up next to a dead woman") == 1
    assert passes == [True, False]


def test_a_description_the_body_does_not_hold_is_never_text() -> None:
    html = f"<html><body><article><h1>Review</h1>{ARTICLE}</article></body></html>"
    text = extract_main_text(parse_html(html), "http://x/", synopses=[SYNOPSIS])
    assert text and "Marv" not in text


def test_fast_never_runs_the_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    passes = counting_passes(monkeypatch)
    html = f"<html><body><h1>Sin City</h1><p>{SYNOPSIS}</p><nav>Home</nav></body></html>"
    extract_main_text(parse_html(html), "http://x/", synopses=[SYNOPSIS + " More."], fast=True)
    assert passes == [True]


def test_a_chinese_synopsis_is_the_text_not_a_dump_of_the_page() -> None:
    # trafilatura's minimum (250 characters) is a long Chinese paragraph: without the
    # scaled minimum it fell back to dumping every line of the page, fact box included.
    synopsis = (
        "福贵年轻时是镇上有名的阔少爷，整日流连赌场，终于把祖上留下的宅子和田地输了个精光。"
        "父亲气急而亡，妻子家珍带着女儿回了娘家，福贵只好挑起担子、靠一副皮影戏箱谋生。<br>"
        "内战、大跃进与文革接连而来，福贵一家在时代的浪潮里一次次失去亲人。"
    )
    html = (
        "<html><body><div id='content'><h1>活着 (1994)</h1><div id='info'><span>导演</span>: "
        "<a href='/c/1'>张艺谋</a><br><span>片长</span>: 132分钟<br></div>"
        f"<div class='summary'><span>{synopsis}</span></div></div></body></html>"
    )
    text = extract_main_text(parse_html(html), "http://x/")
    assert text and "福贵一家在时代的浪潮里一次次失去亲人" in text
    assert "张艺谋" not in text and "132分钟" not in text


def test_a_menu_that_came_back_as_text_is_dropped() -> None:
    # Issue 14: an anime database's navigation menu came back as its main text.
    menu = "".join(f"<a href='/s{i}'>Section number {i}</a>" for i in range(12))
    working = parse_html(f"<html><body><div>{menu}</div></body></html>")
    lines = [f"Section number {i}" for i in range(12)]
    kept = main_text._without_navigation("\n".join([*lines, "Two keepers on a rock."]), working)
    assert kept == "Two keepers on a rock."


def test_a_list_of_film_cards_is_not_a_menu() -> None:
    # A list page's cards are mostly links too, but each carries text of its own.
    cards = "".join(
        f"<div><a href='/f{i}'>Film {i}</a><span>2021</span><span>2 godz. 10 min.</span></div>"
        for i in range(10)
    )
    working = parse_html(f"<html><body>{cards}</body></html>")
    text = "\n".join(f"Film {i}\n2021\n2 godz. 10 min." for i in range(10))
    assert main_text._without_navigation(text, working) == text


def test_forum_footers_and_clocks_leave_the_text() -> None:
    html = (
        f"<html><body><div id='posts'><div id='post_message_1'>{STORY * 3}</div></div>"
        "<div class='smallfont'>All times are GMT -5. The time now is 05:25 AM.</div>"
        "<div class='smallfont'>Powered by vBulletin® Version 3.8.7</div></body></html>"
    )
    text = extract_main_text(parse_html(html), "http://x/")
    assert text and "cellmates smuggle his daughter" in text
    assert "All times are GMT" not in text and "Powered by vBulletin" not in text
