"""MediaWiki film pages: infobox, AsianWiki profile and gallery, cast lists, notes."""

from __future__ import annotations

from crawler.extract.families.mediawiki import MediaWikiFilmExtractor
from tests.helpers.extract import credits, facts, run, titles

INFOBOX = """
<table class="infobox vevent"><tbody>
<tr><th colspan="2" class="summary">Uncle Bob</th></tr>
<tr><th scope="row">Directed by</th><td><a href="/wiki/Jo_Hughes">Jo Hughes</a></td></tr>
<tr><th scope="row">Written by</th>
  <td>Jo Hughes<sup class="reference"><a href="#c1">[1]</a></sup></td></tr>
<tr><th scope="row">Starring</th><td><div class="plainlist"><ul>
  <li><a href="/wiki/A">Ann Able</a></li><li>Ben Baker</li></ul></div></td></tr>
<tr><th scope="row">Release date</th><td><div class="plainlist"><ul>
  <li>August 16, 1989<span style="display:none"> (<span class="bday">1989-08-16</span>)</span></li>
  <li>September 1, 1989 (UK)</li></ul></div></td></tr>
<tr><th scope="row">Running time</th><td>99 minutes</td></tr>
<tr><th scope="row">Country</th><td>United States</td></tr>
<tr><th scope="row">Budget</th><td>$15 million</td></tr>
<tr><th scope="row">Box office</th><td>$79.2 million</td></tr>
</tbody></table>"""


def wiki(content: str, heading: str = "Uncle Bob (1989 film)") -> str:
    return f"""<html><head><meta name="generator" content="MediaWiki 1.33.0-wmf.19"></head>
    <body><h1 id="firstHeading">{heading}</h1><div id="bodyContent"><div id="siteSub">From X</div>
    <div id="mw-content-text"><div class="mw-parser-output">{content}</div></div>
    <div id="catlinks">Categories: 1989 films</div></div></body></html>"""


def test_infobox_and_title() -> None:
    found = run(MediaWikiFilmExtractor(), wiki(INFOBOX))
    assert found.title == "Uncle Bob"
    assert titles(found) == {("primary", "Uncle Bob")}
    assert facts(found) == {
        ("title", "Uncle Bob"),
        ("director", "Jo Hughes"),
        ("writer", "Jo Hughes"),
        ("release_date", "August 16, 1989"),  # the first date only, without the hidden ISO copy
        ("runtime_minutes", "99 minutes"),
        ("country", "United States"),
        ("box_office", "$79.2 million"),
    }
    assert ("cast", "Ann Able", None) in credits(found)
    assert ("cast", "Ben Baker", None) in credits(found)
    assert any("infobox" in path for path in found.prune_xpaths)


def test_cast_section_and_notes_but_not_references() -> None:
    content = (
        INFOBOX
        + """
    <h2><span class="mw-headline" id="Cast">Cast</span>
      <span class="mw-editsection">[edit]</span></h2>
    <ul><li><a href="/wiki/A">Ann Able</a> as Aunt Cora: Able was cast after an audition.</li>
    <li>Cid Carter as the mailman</li></ul>
    <h2><span class="mw-headline" id="Notes">Notes</span></h2>
    <div class="reflist"><ol class="references"><li>^ A footnote, not trivia.</li></ol></div>
    """
    )
    found = run(MediaWikiFilmExtractor(), wiki(content))
    assert ("cast", "Ann Able", "Aunt Cora") in credits(found)
    assert ("cast", "Ann Able", None) not in credits(found)
    assert ("cast", "Cid Carter", "the mailman") in credits(found)
    assert not [f for f in found.facts if f.field == "trivia"]


def test_asianwiki_rating_notes_and_gallery() -> None:
    content = """
    <div class="w4g_rb-area" id="w4g_rb_area-1"><div class="w4g_rb-title">User Rating</div>
    <div class="w4g_rb-text" id="w4g_rb_id_1-text">
      Current user rating: <b>96</b>/100 (<b>1445</b> votes)</div></div>
    <h2><span class="mw-headline" id="Notes">Notes</span></h2>
    <ol><li>Filming began June 20, 2012.</li><li>Early working title was "12 Wol 23 Il".</li></ol>
    <h2><span class="mw-headline" id="Cast">Cast</span></h2>
    <table class="aw-cast"><tr>
    <td><a href="/File:A.jpg" class="image"><img alt="A.jpg" src="a.jpg"></a><br>
        <a href="/Ryoo_Seung-Ryong" title="Ryoo Seung-Ryong">Ryoo Seung-Ryong</a><br>Yong-Goo</td>
    <td><a href="/index.php?title=Special:Upload" class="new">Kal So-Won</a><br>
        <a href="/Kal_So-Won">Kal So-Won</a><br>Ye-Seung (child)</td>
    </tr></table>
    <h2><span class="mw-headline" id="Comments">Comments</span></h2>
    <div id="aw-comments"><div class="comment"><b>Sarah</b> Director: nobody as someone</div></div>
    """
    found = run(MediaWikiFilmExtractor(), wiki(content, "Miracle in Cell No.7"))
    assert found.title == "Miracle in Cell No.7"
    assert facts(found) == {
        ("title", "Miracle in Cell No.7"),
        ("rating", "96/100"),
        ("rating_votes", "1445 votes"),
        ("trivia", "Filming began June 20, 2012."),
        ("trivia", 'Early working title was "12 Wol 23 Il".'),
        ("alt_title", "12 Wol 23 Il"),  # issue 14: a title given in passing
    }
    assert credits(found) == {
        ("cast", "Ryoo Seung-Ryong", "Yong-Goo"),
        ("cast", "Kal So-Won", "Ye-Seung (child)"),
    }
    assert "(//*[@id='w4g_rb_area-1'])[1]" in found.prune_xpaths


def test_article_about_a_person_yields_nothing_but_prunes_chrome() -> None:
    content = """<table class="infobox biography vcard"><tr><th>Born</th><td>May 3, 1950</td></tr>
    <tr><th>Occupation</th><td>Actor</td></tr></table>
    <p><b>Ann Able</b> is an American actress.</p>
    <h2><span class="mw-headline" id="Filmography">Filmography</span></h2>
    <table class="wikitable"><tr><th>Year</th><th>Title</th><th>Role</th></tr>
    <tr><td>1989</td><td>Uncle Bob</td><td>Aunt Cora</td></tr></table>"""
    found = run(MediaWikiFilmExtractor(), wiki(content, "Ann Able"))
    assert found.empty and found.title is None
    assert any("catlinks" in path for path in found.prune_xpaths)


def test_infobox_outside_mediawiki() -> None:
    html = f"<html><body><h1>Uncle Bob</h1>{INFOBOX}</body></html>"
    found = run(MediaWikiFilmExtractor(), html)
    assert found.title == "Uncle Bob"  # from the infobox caption
    assert ("director", "Jo Hughes") in facts(found)


def test_not_mediawiki() -> None:
    assert run(MediaWikiFilmExtractor(), "<html><body><p>Director: X</p></body></html>").empty


def test_asianwiki_profile() -> None:
    content = """<h2><span class="mw-headline" id="Profile">Profile</span></h2>
    <ul><li><b>Movie:</b> Miracle in Cell No.7 (literal title)</li>
    <li><b>Revised romanization:</b> 7Beonbangui Seonmool</li>
    <li><b>Hangul:</b> 7번방의 선물</li>
    <li><b>Director:</b> Lee Hwan-Kyung</li>
    <li><b>Writer:</b> Lee Hwan-Kyung, Kim Hwang-Sung, Kim Young-Suk</li>
    <li><b>Release Date:</b> January 23, 2013</li>
    <li><b>Runtime:</b> 127 min.</li>
    <li><b>Genre:</b> Comedy / Family / Prison</li>
    <li><b>Distributor:</b> NEW</li>
    <li><b>Language:</b> Korean</li>
    <li><b>Country:</b> South Korea</li></ul>
    <h2><span class="mw-headline" id="Plot_Synopsis">Plot Synopsis</span></h2>
    <p>A father is falsely accused of a crime and sent to prison.</p>"""
    found = run(MediaWikiFilmExtractor(), wiki(content, "Miracle in Cell No.7"))
    assert found.title == "Miracle in Cell No.7"
    assert titles(found) == {
        ("primary", "Miracle in Cell No.7"),
        ("romanized", "7Beonbangui Seonmool"),
        ("native", "7번방의 선물"),
    }
    assert {
        ("writer", "Kim Young-Suk"),
        ("release_date", "January 23, 2013"),
        ("runtime_minutes", "127 min."),
        ("genre", "Comedy / Family / Prison"),
        ("language", "Korean"),
        ("country", "South Korea"),
    } <= facts(found)
    # the profile list is pruned as a whole, the synopsis is not
    assert len([path for path in found.prune_xpaths if "Movie:" in path]) == 1
    assert not any("falsely accused" in path for path in found.prune_xpaths)
