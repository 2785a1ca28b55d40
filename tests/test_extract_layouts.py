"""Issue 14 item 3: label/value layouts nobody wrote an extractor for, labels in many
languages matched as whole labels, and list pages that must stay film-less."""

from __future__ import annotations

import json

import pytest

from crawler.extract.document import Document
from crawler.extract.families.factbox import FactBoxExtractor
from crawler.extract.page import extract_document
from crawler.extract.shared.labels import CAST, DUBBING, KIND, label_targets
from crawler.extract.shared.pairs import class_named_pairs, find_pairs
from tests.helpers.extract import credits, facts, run


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def pairs_of(body: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for pair in find_pairs(Document("https://example.org/", page(body)).tree):
        found.setdefault(pair.label.rstrip(":： "), []).extend(line.text for line in pair.lines)
    return found


@pytest.mark.parametrize(
    ("label", "targets"),
    [
        ("导演", ("director",)),
        ("制片国家/地区:", ("country",)),
        ("又名", ("alt_title",)),
        ("監督", ("director",)),
        ("上映時間", ("runtime_minutes",)),
        ("감독", ("director",)),
        ("Režie:", ("director",)),
        ("Hrají:", (CAST,)),
        ("Reżyseria", ("director",)),
        ("Année de production", ("year",)),
        ("Nationalité", ("country",)),
        ("Yönetmen", ("director",)),
        ("Regia", ("director",)),
        ("Type de film", (KIND,)),
        ("Роли дублировали:", (DUBBING,)),
        ("Voices (dubbing)", (DUBBING,)),
        ("Doppiatori italiani", (DUBBING,)),
        ("Our verdict", ("rating",)),
    ],
)
def test_labels_in_many_languages(label: str, targets: tuple[str, ...]) -> None:
    assert label_targets(label) == targets


@pytest.mark.parametrize(
    "label", ["Chief Animation Direction", "Animation Director", "Episode Director", "Dubai"]
)
def test_labels_are_matched_whole(label: str) -> None:
    # issue 14: "Direction" is a director, "Chief Animation Direction" is not
    assert "director" not in (label_targets(label) or ())


def test_a_colon_after_the_label_and_values_up_to_the_next_label() -> None:
    body = """<div id="info">
    <span><span class="pl">导演</span>: <span class="attrs">
    <a href="/c/1">克里斯托弗·诺兰</a></span></span><br>
    <span class="pl">制片国家/地区:</span> 美国 / 英国<br>
    <span class="pl">IMDb链接:</span> tt0816692<br>
    <span class="pl">语言:</span> 英语<br></div>"""
    found = pairs_of(body)
    assert found["导演"] == ["克里斯托弗·诺兰"]
    # an unknown label ("IMDb链接:") still ends the value before it
    assert found["制片国家/地区"] == ["美国 / 英国"]
    assert found["语言"] == ["英语"]


def test_label_and_value_side_by_side_in_any_classes() -> None:
    body = """<div class="item"><span class="what light">Année de production</span>
    <span class="that">2020</span></div>
    <div class="styles_row__x"><div class="styles_title__y">Режиссер</div>
    <div class="styles_value__z">
    <a href="/n/1">Фрэнк Миллер</a>, <a href="/n/2">Роберт Родригес</a></div></div>
    <div class="row"><span>Avec</span> <span>Noémie Merlant</span>, <span>Adèle Haenel</span></div>
    <div class="meta"><span>Genre</span><span>Drama</span><span>Runtime</span>
    <span>118 min</span></div>"""
    found = pairs_of(body)
    assert found["Année de production"] == ["2020"]
    assert found["Режиссер"] == ["Фрэнк Миллер, Роберт Родригес"]
    assert found["Avec"] == ["Noémie Merlant, Adèle Haenel"]
    assert found["Genre"] == ["Drama"] and found["Runtime"] == ["118 min"]


def test_a_wiki_section_heading_labels_nothing() -> None:
    body = """<div class="mw-heading mw-heading2"><h2 id="Cast">Cast</h2>
    <span class="mw-editsection">[<a href="?action=edit">edit</a>]</span></div>
    <ul><li>Somebody - Someone</li></ul>"""
    assert "Cast" not in pairs_of(body)


def test_a_label_block_takes_the_list_after_it_not_the_prose() -> None:
    body = """<p><strong>Cast:</strong></p><ul><li>Ryoo Seung-Ryong</li><li>Kal So-Won</li></ul>
    <p>As of March 2013, the film is the fourth best-selling film in South Korea, trailing
    just behind action-packed flicks.</p>"""
    assert pairs_of(body)["Cast"] == ["Ryoo Seung-Ryong", "Kal So-Won"]


def test_header_row_over_value_row_but_not_a_rows_value_cell() -> None:
    horizontal = """<table class="pi-horizontal-group"><thead><tr>
    <th data-source="released">Released</th><th data-source="runtime">Running time</th>
    </tr></thead><tbody><tr><td>2010</td><td>148 minutes</td></tr></tbody></table>"""
    found = pairs_of(horizontal)
    assert found["Released"] == ["2010"] and found["Running time"] == ["148 minutes"]
    # "English" is a value here, not a label over the Budget row below it
    rows = """<table><tr><th>Language</th><td>English</td></tr>
    <tr><th>Budget</th><td>$200 million</td></tr></table>"""
    assert "English" not in pairs_of(rows)


def test_fandom_data_source_names_a_label_in_any_language() -> None:
    body = """<aside class="portable-infobox"><div class="pi-item pi-data" data-source="director">
    <h3 class="pi-data-label">Reżyser filmu</h3><div class="pi-data-value">Agnieszka Holland</div>
    </div></aside>"""
    found = find_pairs(Document("https://example.org/", page(body)).tree)
    assert [(p.targets, p.lines[0].text) for p in found] == [(("director",), "Agnieszka Holland")]


def test_a_rating_line_beside_blocks() -> None:
    body = """<div class="ratingbox"><div class="title">User Rating</div>
    Current user rating: <b>96</b>/100 (<b>1445</b> votes)
    <div class="nojs">You need to enable JavaScript to vote</div></div>"""
    lines = {" ".join(v) for v in pairs_of(body).values()}
    assert any("96/100" in line and "1445 votes" in line for line in lines)


def test_two_script_names_and_interpuncts_in_a_chinese_fact_box() -> None:
    body = """<h1>星际穿越 Interstellar (2014)</h1><div id="info">
    <span class="pl">导演</span>: <a href="/c/1">克里斯托弗·诺兰</a><br>
    <span class="pl">主演</span>: <a href="/c/2">马修·麦康纳</a> /
    <a href="/c/3">安妮·海瑟薇</a><br>
    <span class="pl">类型:</span> 剧情 / 科幻<br>
    <span class="pl">片长:</span> 169分钟<br></div>"""
    found = run(FactBoxExtractor(), page(body))
    assert ("director", "克里斯托弗·诺兰") in facts(found)
    assert credits(found) >= {("cast", "马修·麦康纳", None), ("cast", "安妮·海瑟薇", None)}
    assert {("title", "星际穿越"), ("alt_title", "Interstellar"), ("year", "2014")} <= facts(found)


def test_class_named_values_only_on_a_film_page_and_never_from_list_cards() -> None:
    film = """<h1>Počátek</h1><div class="genres">Sci-Fi / Thriller</div>
    <div class="origin">USA / Velká Británie, 2010, 148 min</div>
    <div><h4>Režie:</h4> <span><a href="/p/1">Christopher Nolan</a></span></div>
    <div><h4>Hrají:</h4> <span>
    <a href="/p/2">Leonardo DiCaprio</a>, <a href="/p/3">Tom Hardy</a></span></div>
    <ul class="related"><li><p class="genre">Film - Drame</p></li></ul>"""
    found = facts(run(FactBoxExtractor(), page(film)))
    assert {
        ("genre", "Sci-Fi / Thriller"),
        ("year", "2010"),
        ("runtime_minutes", "148 min"),
    } <= found
    assert {("country", "USA"), ("country", "Velká Británie")} <= found
    assert ("genre", "Film - Drame") not in found
    alone = Document("https://example.org/", page('<div class="genres">Drama</div>'))
    assert class_named_pairs(alone.tree)  # found, but the fact box decides whether it counts
    assert not run(FactBoxExtractor(), page('<div class="genres">Drama</div>')).facts


def test_a_list_of_films_with_fact_lines_stays_film_less() -> None:
    cards = "".join(
        f"""<div class="card"><h2>{title}</h2><div><span class="label">Reżyseria:</span>
        <a href="/p/{i}">{director}</a></div><div><span class="label">Czas trwania:</span>
        {i} godz. 5 min.</div></div>"""
        for i, (title, director) in enumerate(
            [("Parasite", "Bong Joon-ho"), ("Ból i blask", "Pedro Almodóvar"),
             ("Irlandczyk", "Martin Scorsese")], start=1
        )
    )  # fmt: skip
    extraction = extract_document("https://lists.example/2019/", page(f"<h1>Ranking</h1>{cards}"))
    assert not extraction.titles and not extraction.facts


def test_dubbing_voices_are_nobodys_cast() -> None:
    # issue 14 item 8: structured data lists the dubbing voices as actors too
    node = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": "Сталкер",
        "datePublished": "1979",
        "director": {"@type": "Person", "name": "Андрей Тарковский"},
        "actor": [
            {"@type": "Person", "name": n} for n in ("Александр Кайдановский", "Олег Форостенко")
        ],
    }
    body = """<h1>Сталкер</h1><h3>В главных ролях</h3><ul><li>
    <a href="/n/1">Александр Кайдановский</a></li></ul>
    <h3>Роли дублировали</h3><ul><li><a href="/n/2">Олег Форостенко</a></li></ul>"""
    head = f'<script type="application/ld+json">{json.dumps(node)}</script>'
    extraction = extract_document("https://kino.example/film/1/", page(body, head))
    cast = {credit.person for credit in extraction.credits if credit.role == CAST}
    assert cast == {"Александр Кайдановский"}


def test_a_shop_page_for_a_disc_is_not_a_film_page() -> None:
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Stalker [Blu-ray]",
               "offers": {"@type": "Offer", "price": "19.99", "priceCurrency": "EUR"}}  # fmt: skip
    body = """<h1>Stalker [Blu-ray]</h1><ul class="details">
    <li><b>Director:</b> Andrei Tarkovsky</li><li><b>Actors:</b> Alexander Kaidanovsky</li>
    <li><b>Run time:</b> 2 hours and 43 minutes</li><li><b>Release date:</b> 1 May 2017</li></ul>"""
    head = f'<script type="application/ld+json">{json.dumps(product)}</script>'
    assert not run(FactBoxExtractor(), page(body, head)).facts
