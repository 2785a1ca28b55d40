"""Issue 14: cast lists and staff lists in the layouts sites give them (characters from
galleries, lists, tooltips), and jobs matched as whole labels."""

from __future__ import annotations

import lxml.html

from crawler.extract.shared.cast import find_cast_items, find_staff_credits, gallery_cast


def tree(body: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><body>{body}</body></html>")


def cast_of(body: str) -> set[tuple[str, str | None]]:
    return {(entry.person, entry.character) for entry in find_cast_items(tree(body))}


def gallery_of(body: str) -> set[tuple[str, str | None]]:
    return {
        (entry.person, entry.character) for entry in gallery_cast(tree(body).find(".//*[@id='g']"))
    }


def test_a_cast_container_of_list_items_with_role_types() -> None:
    body = """<div class="box" id="show-cast"><ul class="list credits">
    <li><a href="/p/1"><img alt="Hyun Bin" src="1.jpg"></a><div><a class="text-primary"
    href="/p/1"><b>Hyun Bin</b></a>
    <div><small><a href="/c/1">Ri Jung Hyuk</a></small></div>
    <small class="text-muted">Main Role</small></div></li>
    <li><a href="/p/2"><b>Son Ye Jin</b></a><div><small>Yoon Se Ri</small></div>
    <small>Main Role</small></li>
    <li><a href="/p/3"><b>Kim Jung Hyun</b></a><small>Support Role</small></li>
    </ul><a href="/edit">Add Cast</a></div>"""
    assert cast_of(body) == {
        ("Hyun Bin", "Ri Jung Hyuk"),
        ("Son Ye Jin", "Yoon Se Ri"),
        ("Kim Jung Hyun", None),
    }


def test_characters_in_link_titles_and_credited_as_notes() -> None:
    # issue 14 item 8: Letterboxd's characters are the links' tooltips
    body = """<div class="cast-list text-sluglist"><p>
    <a title="Beetle" href="/actor/simon-chuckster/" class="tooltip">Simon Chuckster</a>
    <a title="Sweetback" href="/actor/melvin-van-peebles/" class="tooltip">Melvin Van Peebles</a>
    <a title="(as West Gale)" href="/actor/wesley-gale/" class="tooltip">Wesley Gale</a>
    <a title="Mario Van Peebles" href="/actor/mario/" class="tooltip">Mario Van Peebles</a>
    </p></div>"""
    assert cast_of(body) == {
        ("Simon Chuckster", "Beetle"),
        ("Melvin Van Peebles", "Sweetback"),
        ("Wesley Gale", None),
        ("Mario Van Peebles", None),
    }


def test_a_cast_list_after_a_cast_heading_in_another_language() -> None:
    body = """<section><div class="header"><h3>Acteurs et actrices</h3></div>
    <div class="tools"><a href="/casting">Casting complet</a></div>
    <div class="grid"><div class="card"><a href="/p/1">George Clooney</a>
    <div>Rôle : Augustine Lofthouse</div></div>
    <div class="card"><a href="/p/2">Felicity Jones</a><div>Rôle : Sully Rembshire</div></div>
    </div></section>"""
    assert cast_of(body) == {
        ("George Clooney", "Augustine Lofthouse"),
        ("Felicity Jones", "Sully Rembshire"),
    }


def test_gallery_cells_with_the_character_below_and_a_missing_photo() -> None:
    body = """<table id="g"><tr>
    <td><a href="/File:A.jpg" class="image"><img alt="A.jpg" src="a.jpg"></a><br>
        <a href="/Ryoo_Seung-Ryong">Ryoo Seung-Ryong</a><br>Yong-Goo</td>
    <td><a href="/index.php?title=Special:Upload" class="new">Kal So-Won</a><br>
        <a href="/Kal_So-Won" class="new">Kal So-Won</a><br>Ye-Seung (child)</td></tr></table>"""
    assert gallery_of(body) == {
        ("Ryoo Seung-Ryong", "Yong-Goo"),
        ("Kal So-Won", "Ye-Seung (child)"),
    }


def test_gallery_rows_of_photos_over_actors_over_characters() -> None:
    body = """<table id="g"><tr><td><img src="1.jpg"></td><td><img src="2.jpg"></td></tr>
    <tr><td><a href="/Ryoo">Ryoo Seung-Ryong</a></td><td><a href="/Park">Park Shin-Hye</a></td></tr>
    <tr><td>Yong-Goo</td><td>Ye-Seung (adult)</td></tr>
    <tr><td><img src="3.jpg"></td></tr><tr><td><a href="/Oh">Oh Dal-Su</a></td></tr></table>"""
    assert gallery_of(body) == {
        ("Ryoo Seung-Ryong", "Yong-Goo"),
        ("Park Shin-Hye", "Ye-Seung (adult)"),
        ("Oh Dal-Su", None),
    }


def test_mediawiki_gallery_boxes_and_actor_character_tables() -> None:
    boxes = """<ul id="g" class="gallery"><li class="gallerybox"><div class="thumb">
    <img src="r.jpg"></div>
    <div class="gallerytext"><p><a href="/Ryu">Ryu Seung-ryong</a><br>as Lee Yong-gu</p></div></li>
    <li class="gallerybox"><div class="gallerytext"><p>Kal So-won as Ye-sung (child)</p></div>
    </li></ul>"""
    assert gallery_of(boxes) == {
        ("Ryu Seung-ryong", "Lee Yong-gu"),
        ("Kal So-won", "Ye-sung (child)"),
    }
    table = """<table id="g" class="wikitable"><tr><th>Actor</th><th>Character</th></tr>
    <tr><td><a href="/Oh">Oh Dal-su</a></td><td>So Yang-ho</td></tr></table>"""
    assert gallery_of(table) == {("Oh Dal-su", "So Yang-ho")}


def test_staff_jobs_after_a_name_are_whole_labels() -> None:
    body = """<table>
    <tr><td><a href="/p/1">Nagahama, Hiroshi</a><div>
    <small>Director, Series Composition</small></div></td></tr>
    <tr><td><a href="/p/2">Furuta, Takeshi</a><div>
    <small>Chief Animation Director, Key Animation</small></div></td></tr>
    <tr><td><a href="/p/3">Masuda, Toshio</a><div><small>Music</small></div></td></tr>
    <tr><td><a href="/p/4">Nakano, Yuuto</a><br><small>Japanese</small></td></tr>
    <tr><td class="nm"><a href="/p/5">Bill Margolin</a></td><td class="char">Producer</td></tr>
    </table>"""
    credits = {(c.role, c.person) for c in find_staff_credits(tree(body))}
    assert credits == {
        ("director", "Nagahama, Hiroshi"),
        ("writer", "Nagahama, Hiroshi"),
        ("composer", "Masuda, Toshio"),
    }


def test_a_job_before_the_name_belongs_to_its_own_row() -> None:
    body = """<table><tr><td class="type">режиссер</td><td><a href="/n/1">Кристофер Нолан</a>
    </td></tr>
    <tr><td class="type">страна</td><td><a href="/c/1">США</a></td></tr></table>"""
    assert not find_staff_credits(tree(body))


def test_entries_beside_their_heading_and_bem_role_classes_issue_14() -> None:
    # The heading's own siblings are the entries; the character is in a BEM element.
    body = """<section class="filmCastSection"><h2>Obsada</h2>
      <div class="castRole"><a href="/p/2"><span>Aiko Sato</span></a>
        <span class="castRole__role">Mei</span></div>
      <div class="castRole"><a href="/p/3"><span>Kenji Mori</span></a>
        <span class="castRole__role">Ren</span></div>
    </section>"""
    assert cast_of(body) == {("Aiko Sato", "Mei"), ("Kenji Mori", "Ren")}
    plain = body.replace("castRole__role", "role-label")
    assert cast_of(plain) == {("Aiko Sato", "Mei"), ("Kenji Mori", "Ren")}
