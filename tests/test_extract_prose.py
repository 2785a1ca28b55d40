"""The sentence that introduces a film, and only on the film's own page."""

from __future__ import annotations

from crawler.extract.families.prose import FilmSentenceExtractor, describe
from crawler.extract.shared.sentences import alternative_titles
from tests.helpers.extract import credits, facts, run, titles


def page(h1: str, body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><h1>{h1}</h1>{body}</body></html>"


def test_lead_sentence_of_the_pages_own_film() -> None:
    body = (
        '<p><i><b>The Wandering Earth</b></i> (<a href="/Chinese">Chinese</a>: 流浪地球;'
        " pinyin: Liúlàng Dìqiú) is a 2019 Chinese science fiction film directed by"
        ' <a href="/Frant_Gwo">Frant Gwo</a>. It is loosely based on a novella.</p>'
    )
    found = run(FilmSentenceExtractor(), page("The Wandering Earth", body))
    assert facts(found) == {
        ("year", "2019"),
        ("country", "Chinese"),
        ("genre", "science fiction"),
        ("director", "Frant Gwo"),
        ("native_title", "流浪地球"),
        ("alt_title", "Liúlàng Dìqiú"),
    }
    assert titles(found) == {("native", "流浪地球"), ("romanized", "Liúlàng Dìqiú")}
    assert credits(found) == {("director", "Frant Gwo", None)}
    assert found.title is None  # prose never names the page


def test_subject_with_periods_and_directors_without_links() -> None:
    body = (
        "<p>Miracle in Cell No. 7 is a 2013 South Korean drama film directed by Lee"
        " Hwan-kyung. The movie follows a man.</p>"
    )
    found = run(FilmSentenceExtractor(), page("Miracle in Cell No. 7", body))
    assert ("director", "Lee Hwan-kyung") in facts(found)
    assert ("country", "South Korean") in facts(found)


def test_standalone_bullet() -> None:
    body = (
        "<ul><li>Ryu Seung-ryong as Lee Yong-gu</li>"
        "<li>2013 South Korean comedy-drama film</li></ul>"
    )
    found = run(FilmSentenceExtractor(), page("Thank you – Lee Yong-gu", body))
    assert facts(found) == {
        ("year", "2013"),
        ("country", "South Korean"),
        ("genre", "comedy-drama"),
    }


def test_another_films_sentence_on_a_news_page_yields_nothing() -> None:
    body = (
        "<p>Miracle in Cell No. 7 is a 2013 South Korean comedy-drama film directed by"
        " Lee Hwan-kyung, and its Turkish remake topped the charts.</p>"
    )
    found = run(FilmSentenceExtractor(), page("Korean remakes are having a moment", body))
    assert found.empty


def test_comment_threads_are_not_read() -> None:
    body = '<div id="comments"><ul><li>2013 South Korean comedy-drama film</li></ul></div>'
    assert run(FilmSentenceExtractor(), page("Anything", body)).empty


def test_describe() -> None:
    assert describe("South Korean comedy-drama") == (["South Korean"], [], "comedy-drama")
    assert describe("French-Italian drama") == (["French", "Italian"], [], "drama")
    assert describe("American epic romance and disaster") == (
        ["American"],
        [],
        "epic romance and disaster",
    )
    assert describe("Indian Tamil-language romantic") == (["Indian"], ["Tamil"], "romantic")


def test_a_genre_sentence_without_the_word_film_on_a_post_found_by_its_slug() -> None:
    # issue 14: "is a 2013 South Korean comedy-drama" names a genre; the post's title is a
    # quote, its URL slug names the film
    body = (
        "<p>Miracle in Cell No. 7 is a 2013 South Korean comedy-drama starring Ryu"
        " Seung-ryong and Kal So-won.</p><p>Its early working title was December 23.</p>"
    )
    url = "https://blog.example/2020/09/miracle-in-cell-no-7/"
    found = run(FilmSentenceExtractor(), page("Thank you … for being my daughter", body), url)
    assert facts(found) == {
        ("year", "2013"),
        ("country", "South Korean"),
        ("genre", "comedy-drama"),
        ("alt_title", "December 23"),
    }
    company = "<p>Apple is a 1976 American company that makes phones.</p>"
    assert not run(FilmSentenceExtractor(), page("Apple", company)).facts


def test_titles_given_in_passing() -> None:
    assert alternative_titles("It is also known as Gift From Room 7.") == ["Gift From Room 7"]
    assert alternative_titles('Early working title was "12 Wol 23 Il" (literally …).') == [
        "12 Wol 23 Il"
    ]
    assert alternative_titles("He is known as a careful director.") == []
    # issue 14: lists of titles, unquoted ones only after a colon
    assert alternative_titles("Also known as: Gift From Room 7, December 23 and 12월 23일") == [
        "Gift From Room 7",
        "December 23",
        "12월 23일",
    ]
    assert alternative_titles('Also known as "Room 7", "December 23".') == [
        "Room 7",
        "December 23",
    ]
    assert alternative_titles("Also known as Room 7, Ryu Seung-ryong plays a father.") == ["Room 7"]


def test_a_lead_sentence_in_a_text_only_div_issue_14() -> None:
    # Streaming templates put the blurb straight into <div class="description">.
    body = (
        '<div class="description">Night Ferry is a 2004 Norwegian thriller film directed by'
        " Ola Berg.</div><div class='related'><div><p>More films</p></div></div>"
    )
    found = run(FilmSentenceExtractor(), page("Night Ferry", body))
    assert facts(found) == {
        ("year", "2004"),
        ("country", "Norwegian"),
        ("genre", "thriller"),
        ("director", "Ola Berg"),
    }
