"""Generic label:value fact boxes in every markup, and when they are not a film's."""

from __future__ import annotations

import lxml.html
from trafilatura.utils import load_html

from crawler.extract.document import Document
from crawler.extract.families.factbox import FactBoxExtractor
from crawler.extract.shared.markup import xpath_for
from crawler.extract.shared.pairs import find_pairs, prune_paths, qualifies
from tests.helpers.extract import credits, facts, run


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_definition_list() -> None:
    html = page("""<h1>The Ninth Winter (2004)</h1><dl>
      <dt>Director</dt><dd><a href="/p/1">Vera Lyubimova</a></dd>
      <dt>Writers</dt><dd><a href="/p/1">Vera Lyubimova</a>, <a href="/p/2">Oleg Danilov</a></dd>
      <dt>Runtime</dt><dd>1h 52min</dd>
      <dt>Countries</dt><dd><a href="/c/ru">Russia</a> <a href="/c/fi">Finland</a></dd>
      <dt>Synopsis</dt><dd>In the ninth winter of a siege, a teacher keeps a register.</dd>
    </dl>""")
    found = run(FactBoxExtractor(), html)
    assert found.title == "The Ninth Winter"
    assert facts(found) == {
        ("title", "The Ninth Winter"),
        ("director", "Vera Lyubimova"),
        ("writer", "Vera Lyubimova"),
        ("writer", "Oleg Danilov"),
        ("runtime_minutes", "1h 52min"),
        ("country", "Russia"),
        ("country", "Finland"),
        ("synopsis", "In the ninth winter of a siege, a teacher keeps a register."),
        ("year", "2004"),
    }
    # each non-synopsis dt/dd is pruned, the synopsis stays in the main text
    assert len(found.prune_xpaths) == 8
    assert not any("ninth winter of a siege" in path for path in found.prune_xpaths)


def test_two_column_table_but_not_a_header_row_table() -> None:
    html = page("""<h1>Monsoon Letters</h1><table>
      <tr><th>Year</th><td>1998</td></tr>
      <tr><th>Director</th><td>Anand Krishnaswamy</td></tr>
      <tr><th>Screenplay</th><td>Anand Krishnaswamy &amp; Leela Menon</td></tr>
      <tr><th>Running time</th><td>134 min</td></tr></table>
      <table><tr><th>Year</th><th>Award</th><th>Result</th></tr>
      <tr><td>1999</td><td>Best Film</td><td>Won</td></tr></table>""")
    found = run(FactBoxExtractor(), html)
    assert ("writer", "Leela Menon") in facts(found)
    assert [f.raw for f in found.facts if f.field == "year"] == ["1998"]


def test_label_elements_and_text_lines() -> None:
    html = page("""<h1 class="title">Dust Choir <span>(2011)</span></h1>
      <div><span class="label">Directed By:</span> <a href="/j">Jonah Reyes</a></div>
      <div><b>Genre:</b> Documentary, Music</div>
      <div>Runtime: 98 minutes</div>
      <div class="votes">Total votes: <span>19764</span></div>
      <p><strong>Rating:</strong> PG</p>""")
    assert facts(run(FactBoxExtractor(), html)) == {
        ("title", "Dust Choir"),
        ("year", "2011"),
        ("director", "Jonah Reyes"),
        ("genre", "Documentary, Music"),
        ("runtime_minutes", "98 minutes"),
        ("rating_votes", "19764"),
        ("content_rating", "PG"),
    }


def test_heading_labels_without_colon_only_label_a_box() -> None:
    html = page("""<h1>Sweetback</h1>
      <h3><span>Director</span></h3>
      <div class="text-sluglist"><p><a>Melvin Van Peebles</a></p></div>
      <h3>Country</h3><div><p><a>USA</a> <a>UK</a></p></div>
      <h3>Genres</h3><div><p><a>Crime</a> <a>Drama</a></p></div>
      <h3>Writer</h3><p>A paragraph of prose is not a value of a heading.</p>""")
    found = run(FactBoxExtractor(), html)
    assert ("country", "UK") in facts(found)
    assert not [f for f in found.facts if f.field == "writer"]


def test_composite_labels_and_multilingual() -> None:
    html = page("""<h1 class="film-title">Северный ветер</h1><table class="info">
      <tr><td class="type">год</td><td>1976</td></tr>
      <tr><td class="type">режиссер</td><td><a>Пётр Ершов</a></td></tr>
      <tr><td class="type">время</td><td>88 мин. / 01:28</td></tr></table>
      <ul><li><b>Director &amp; Screenwriter:</b> Lee Hwan Kyung</li></ul>""")
    found = facts(run(FactBoxExtractor(), html))
    assert {
        ("director", "Пётр Ершов"),
        ("director", "Lee Hwan Kyung"),
        ("writer", "Lee Hwan Kyung"),
    } <= found


def test_cast_gallery() -> None:
    html = page("""<h1>Miracle</h1>
      <ul><li><b>Director:</b> Lee</li><li><b>Duration:</b> 127 min</li></ul>
      <ul class="credits">
      <li><a class="name" href="/p/1"><b>Ryu Seung-ryong</b></a>
        <div class="character">Yong-gu</div></li>
      <li><a class="name" href="/p/2"><b>Kal So-won</b></a>
        <div class="character">Ye-seung</div></li>
      </ul>""")
    found = run(FactBoxExtractor(), html)
    assert ("cast", "Ryu Seung-ryong", "Yong-gu") in credits(found)


def test_one_label_on_a_news_page_is_not_a_fact_box() -> None:
    html = page(
        "<h1>Remakes are having a moment</h1><p>Director: Mehmet Ada Öztekin says a fourth"
        " version is planned.</p><p>Country: Turkey</p>"
    )
    found = run(FactBoxExtractor(), html)
    assert found.empty and found.title is None


def test_a_listing_of_films_is_not_a_film() -> None:
    body = "".join(
        f"<h2>Film {n}</h2><p><b>Director:</b> Person {n}<br><b>Runtime:</b> 9{n} min</p>"
        for n in range(5)
    )
    assert run(FactBoxExtractor(), page(f"<h1>Best of</h1>{body}")).empty


def test_article_headline_is_not_a_film_title() -> None:
    head = '<meta property="og:type" content="article">'
    body = "<h1>Why this film matters</h1><p>Director: A<br>Runtime: 90 min<br>Genre: Drama</p>"
    found = run(FactBoxExtractor(), page(body, head))
    assert found.title is None
    assert ("director", "A") in facts(found)


def test_comment_threads_and_menus_are_off_limits() -> None:
    body = """<h1>Film</h1><nav><ul><li>Director: Menu</li></ul></nav>
      <div id="comments"><p>Director: Commenter<br>Runtime: 5 min<br>Genre: Joke</p></div>"""
    assert run(FactBoxExtractor(), page(body)).empty


def test_qualifies_needs_film_labels() -> None:
    doc = Document("u", page("<p>Country: Spain<br>Language: Spanish<br>Year: 2014</p>"))
    assert not qualifies(find_pairs(doc.tree))
    doc = Document("u", page("<p>Director: A<br>Runtime: 90 min</p>"))
    assert qualifies(find_pairs(doc.tree))


def test_prune_paths_survive_sequential_pruning() -> None:
    # Regression: trafilatura prunes path after path; positional paths computed before
    # the first prune pointed at the wrong paragraph once an earlier one was gone.
    html = page("""<div id="post"><div class="entry-content">
      <p><strong>Director:</strong> A<br><strong>Runtime:</strong> 90 min</p>
      <p>The review, which must stay.</p>
      <p><strong>Rating:</strong> 9/10</p>
      <p>The closing paragraph, which must stay too.</p></div></div>""")
    doc = Document("u", html)
    paths = prune_paths(find_pairs(doc.tree))
    assert len(paths) == 2
    tree = load_html(html)
    for path in paths:  # the order trafilatura uses
        for element in tree.xpath(path):
            element.getparent().remove(element)
    text = lxml.html.tostring(tree, encoding="unicode")
    assert "The review, which must stay." in text
    assert "The closing paragraph" in text
    assert "Rating" not in text and "Runtime" not in text


def test_xpath_for_falls_back_to_positions_when_text_is_ambiguous() -> None:
    doc = Document("u", page("<div><p>Same</p><p>Same</p></div>"))
    second = doc.tree.xpath("//p")[1]
    path = xpath_for(second)
    assert doc.tree.xpath(path) == [second]


def test_origin_line_without_a_label_and_a_title_in_an_h2_issue_14() -> None:
    # A streaming template titles the work in an h2 that the <title> names; a Japanese
    # database gives "made in 2010 / 148 min / G / USA" on one unlabelled line.
    html = page(
        """<h2 class="heading-name"><a href="/m/1">Cloud Atlas Hotel</a></h2>
        <p class="data">2010年製作／148分／G／アメリカ<br>配給：ワーナー</p>
        <dl><dt>監督</dt><dd>ハル・ベイカー</dd><dt>ジャンル</dt><dd>SF、サスペンス</dd></dl>
        <h2>You may also like</h2>""",
        head="<title>Watch Cloud Atlas Hotel (2010) Full Movie Online Free - Site</title>",
    )
    found = run(FactBoxExtractor(), html)
    assert found.title == "Cloud Atlas Hotel"
    assert {("year", "2010"), ("runtime_minutes", "148分"), ("country", "アメリカ")} <= facts(found)


def test_origin_lines_of_a_list_of_films_are_not_the_page_s_issue_14() -> None:
    html = page(
        """<h1>Kyoto Rain</h1><dl><dt>監督</dt><dd>ハル・ベイカー</dd>
        <dt>ジャンル</dt><dd>ドラマ</dd></dl>
        <div class="related"><p>2019 · 132 min · Korea</p><p>2016 · 118 min · Korea</p></div>"""
    )
    assert not {field for field, _ in facts(run(FactBoxExtractor(), html))} & {
        "year",
        "runtime_minutes",
    }


def test_title_from_a_heading_s_own_text_or_the_title_tag_s_first_part_issue_14() -> None:
    tables = """<table><tr><th>Director</th><td>HARA Setsuko</td></tr>
        <tr><th>Running Time</th><td>98 min.</td></tr>
        <tr><th>Genre</th><td>Drama</td></tr></table>"""
    with_original = page(
        f'<h2 class="movie-title">Late Spring Rain<span class="orig">晩春の雨</span></h2>{tables}',
        head="<title>Late Spring Rain | Film Database</title>",
    )
    assert run(FactBoxExtractor(), with_original).title == "Late Spring Rain"
    no_heading = page(tables, head="<title>Late Spring Rain | Film Database</title>")
    assert run(FactBoxExtractor(), no_heading).title == "Late Spring Rain"


def test_a_post_s_headline_names_its_film_only_with_a_year_issue_14() -> None:
    lines = "<p>감독 : 김하늘<br>장르 : 드라마<br>러닝타임 : 112분</p>"
    head = '<meta property="og:type" content="article">'
    review = page(
        f"<h1>하루의 영화일기</h1>{lines}",
        head=f"{head}<title>[영화 리뷰] 겨울 정원 (2021) - 조용한 드라마</title>",
    )
    assert run(FactBoxExtractor(), review).title == "겨울 정원"
    no_year = page(f"<h1>하루의 영화일기</h1>{lines}", head=f"{head}<title>Mission: notes</title>")
    assert run(FactBoxExtractor(), no_year).title is None


def test_a_heading_labels_a_short_paragraph_never_a_sentence_issue_14() -> None:
    html = page("""<h1>Kyoto Rain (2019)</h1>
        <h3>Director</h3><ul><li><a href="/p/1">Hal Baker</a></li></ul>
        <h3>Genres</h3><ul><li>Drama</li><li>Romance</li></ul>
        <h3>Country</h3><p>Japan</p>
        <h3>Release date</h3><p>The film was released in 2019 after a festival run.</p>""")
    found = facts(run(FactBoxExtractor(), html))
    assert ("country", "Japan") in found
    assert "release_date" not in {field for field, _ in found}


def test_a_score_and_its_votes_in_class_named_elements_issue_14() -> None:
    # A card of "more like this" has its own score: it is not the page's.
    html = page("""<h1>Kyoto Rain</h1><table>
        <tr><td class="type">режиссер</td><td>Хал Бейкер</td></tr>
        <tr><td class="type">жанр</td><td>драма</td></tr>
        <tr><td class="type">время</td><td>98 мин.</td></tr></table>
        <div><span class="rating_ball">7.9</span><span class="ratingCount">(412 593)</span></div>
        <ul class="related"><li><span class="rating_ball">6.1</span></li></ul>""")
    found = facts(run(FactBoxExtractor(), html))
    assert {("rating", "7.9"), ("rating_votes", "(412 593)")} <= found


def test_a_page_that_declares_a_work_needs_one_film_label_issue_14() -> None:
    # Letterboxd: the director is in prose, the details are Country and Language; the
    # tooltips were moved to data-original-title when the page was saved from a browser.
    body = """<h1>Kyoto Rain</h1><h3>Cast</h3><div class="cast-list"><p>
        <a href="/actor/a/" class="tooltip" data-original-title="Mei">Aiko Sato</a>
        <a href="/actor/b/" class="tooltip" data-original-title="Ren">Kenji Mori</a></p></div>
        <h3>Country</h3><div><p><a href="/c/jp/">Japan</a></p></div>"""
    declared = page(body, head='<meta property="og:type" content="video.movie">')
    found = run(FactBoxExtractor(), declared)
    assert credits(found) >= {("cast", "Aiko Sato", "Mei"), ("cast", "Kenji Mori", "Ren")}
    assert ("country", "Japan") in facts(found)
    assert not run(FactBoxExtractor(), page(body)).facts


def test_bem_element_classes_name_their_field_issue_14() -> None:
    html = page("""<h1 class="cover__title">Kyoto Rain</h1>
        <div class="cover__originalTitle">Kyōto no Ame</div>
        <div class="rating"><span class="rating__rateValue">7,7</span></div>
        <div class="info">
        <div class="info__header">reżyseria</div><div class="info__info">Hal Baker</div>
        <div class="info__header">gatunek</div><div class="info__info">Dramat</div>
        <div class="info__header">czas trwania</div><div class="info__info">98 min.</div></div>""")
    found = facts(run(FactBoxExtractor(), html))
    assert {("native_title", "Kyōto no Ame"), ("rating", "7,7")} <= found


def test_inline_label_spans_in_a_row_are_pairs_of_their_own_issue_14() -> None:
    html = page("""<h1>天能</h1><div><span>上映日期：2020-08-26</span>
        <span>片　　長：02時30分</span> <span>發行公司：華納兄弟</span></div>
        <div>導演：<a href="/n/1">克里斯多福諾蘭</a></div>""")
    found = facts(run(FactBoxExtractor(), html))
    assert {("release_date", "2020-08-26"), ("runtime_minutes", "02時30分")} <= found
