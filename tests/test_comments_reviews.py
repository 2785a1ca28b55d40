"""User-review blocks of film databases, one small page per layout.

The snippets follow the markup of the saved real pages in the shared corpus
(``test_comments_corpus.py`` runs over those); each checks author, date, headline,
text and what must stay out of the text.
"""

from __future__ import annotations

from pathlib import Path

from crawler.extract.document import Document
from crawler.extract.families.review_comments import LAYOUTS, ReviewCommentsExtractor
from schemas.records import CommentRecord

GOLDEN = Path(__file__).parent / "golden" / "comments"
EXTRACTOR = ReviewCommentsExtractor()


def reviews(body: str, url: str = "https://films.example.org/title/1/") -> list[CommentRecord]:
    doc = Document(url, f"<html><body>{body}</body></html>")
    return EXTRACTOR.extract(doc).comments if EXTRACTOR.matches(doc) else []


def summary(found: list[CommentRecord]) -> list[tuple[str | None, str | None, str, str]]:
    return [(c.author, c.published_raw, c.kind, c.text) for c in found]


def test_layout_names_are_unique() -> None:
    names = [layout.name for layout in LAYOUTS]
    assert len(names) == len(set(names))


def test_kinopoisk_user_review() -> None:
    body = """
    <div class="reviewItem userReview"><div class="response good" itemscope
      itemtype="http://schema.org/Review"><meta itemprop="headline" content="Песчинки?"/>
      <div itemprop="author" itemscope itemtype="http://schema.org/Person">
        <p class="profile_name"><a href="/user/1/" itemprop="name">Ocean Child</a></p>
        <ul class="actions"><li><a href="/user/1/comments/">рецензии (8)</a></li></ul>
        <p class="sub_title">Песчинки?</p></div>
      <table><tr><td><div class="brand_words"><p><span itemprop="reviewBody">Первый абзац.<br />
      <br />Второй абзац.</span></p></div></td></tr></table>
      <ul class="useful"><li>Полезная рецензия? <a class="vote">Да</a> / <a>Нет</a></li>
      <li>3 / 0</li></ul><span class="date">18 декабря 2017 | 01:52</span></div></div>
    <div class="item positive"><div class="name"><a>Антон Долин</a></div>
      <div class="descr"><p>Critic quote.</p></div></div>
    """
    assert summary(reviews(body)) == [
        (
            "Ocean Child",
            "18 декабря 2017 | 01:52",
            "review",
            "Песчинки?\n\nПервый абзац.\n\nВторой абзац.",
        )
    ]


def test_imdb_old_list_layout_and_its_pages() -> None:
    body = """
    <div id="tn15content">
    <table><tr><td><a href="reviews?start=0"><b>[1]</b></a> <a href="reviews?start=10">[2]</a>
    <a href="reviews?start=10"><img alt="[Next]"></a></td></tr></table>
    <div><small>292 out of 402 people found the following review useful:</small><br>
    <a href="/user/ur1/"><img class="avatar" src="a.jpg"></a><h2>The Perfect Modern Action Film</h2>
    <img alt="9/10" src="90.gif"><br><b>Author:</b> <a href="/user/ur1/">MadReviewer</a>
    <small>from Oldwick, NJ</small><br><small>31 July 2001</small><br></div>
    <p>"Die Hard" is the prototype
    for the modern action film.<br><br>Second paragraph.</p>
    <div class="yn">Was the above review useful to you?
    <form><input type="submit" value="Yes"></form></div>
    <hr>
    </div>"""
    doc = Document(
        "https://www.imdb.com/title/tt0095016/reviews", f"<html><body>{body}</body></html>"
    )
    extraction = EXTRACTOR.extract(doc)
    assert summary(extraction.comments) == [
        (
            "MadReviewer",
            "31 July 2001",
            "review",
            'The Perfect Modern Action Film\n\n"Die Hard" is the prototype for the modern action'
            " film.\n\nSecond paragraph.",
        )
    ]
    assert extraction.comment_page_urls == ["https://www.imdb.com/title/tt0095016/reviews?start=10"]


def test_imdb_classic_title_page_comment() -> None:
    body = """
    <div class="comment"><script>function yn(){}</script>
    <div class="small">550 out of 652 people found the following comment useful:-</div>
    <b>Tied for the best movie I have ever seen</b>, 26 November 2003<br>
    <img alt="10/10" src="100.gif"><br>
    <div class="small">Author: <a href="/user/ur2509775/comments">carflo</a>
    <small>from San Antonio, Tx</small></div></p>
    <p>Why do I want to write the 234th comment?</p>
    <div class="yn">Was the above comment useful to you?</div></div>"""
    assert summary(reviews(body)) == [
        (
            "carflo",
            "26 November 2003",
            "review",
            "Tied for the best movie I have ever seen\n\nWhy do I want to write the 234th comment?",
        )
    ]


def test_imdb_title_page_teaser() -> None:
    body = """
    <div class="article" id="titleUserReviewsTeaser"><h2>User Reviews</h2>
    <div class="user-comments"><div class="tinystarbar" title="10/10"><div>&nbsp;</div></div>
    <span><strong>Grade A Hilarity</strong>
    <div class="comment-meta">28 February 2003 | by <a href="/user/ur1775028/?ref_=tt_urv">
    <span>JessK916</span></a> &ndash;
    <a href="/user/ur1775028/comments">See all my reviews</a></div>
    <div><p>I disagree.<br><br>Fry: Wait.</p></div></span></div></div>"""
    assert summary(reviews(body)) == [
        ("JessK916", "28 February 2003", "review", "Grade A Hilarity\n\nI disagree.\n\nFry: Wait.")
    ]


def test_imdb_empty_teaser_has_no_review() -> None:
    body = """<div class="article" id="titleUserReviewsTeaser"><h2>User Reviews</h2>
    <div class="see-more"><a href="/reviews-enter">Review this title</a></div></div>"""
    assert reviews(body) == []


def test_imdb_lister_layout_and_load_more_url() -> None:
    html = (GOLDEN / "imdb-user-reviews-lister.html").read_text(encoding="utf-8")
    extraction = EXTRACTOR.extract(Document("https://www.imdb.com/title/tt2555736/reviews", html))
    assert [c.published_raw for c in extraction.comments] == [
        "8 April 2013",
        "20 July 2014",
        "1 December 2019",
    ]
    assert extraction.comment_page_urls == [
        "https://www.imdb.com/title/tt2555736/reviews/_ajax?paginationKey="
        "g4xolermtiqhejcxxxgs753i36t52q343mpt34pjada6qpye4w6qtalmfyy7wfyyqgzkmpbs"
    ]


def test_letterboxd_excerpt_is_marked_truncated() -> None:
    body = """
    <section class="film-reviews"><ul class="film-popular-review">
    <li class="film-detail"><a class="avatar"><img alt="Sean Baker"></a>
      <div class="film-detail-content"><p class="attribution"><a class="context">Review by
      <strong class="name">Sean Baker</strong></a> <a class="comment-count">12</a></p>
      <div class="body-text -prose collapsible-text" data-full-text-url="/s/full-text/1/">
      <div class="collapsed-text"><p>Saw it years ago.</p><p>DCP was made from…</p></div></div>
      <p class="like-link-target"><span class="svg-action -like"></span></p></div></li>
    <li class="film-detail"><div class="film-detail-content"><p class="attribution">
      <a class="context">Review by <strong class="name">PatrixRaider</strong></a>
      <span class="rating rated-6"> ★★★ </span></p>
      <div class="body-text -prose collapsible-text"><p>It's alright.</p></div></div></li>
    </ul></section>"""
    found = reviews(body)
    assert [(c.author, c.text, c.truncated) for c in found] == [
        ("Sean Baker", "Saw it years ago.\n\nDCP was made from…", True),
        ("PatrixRaider", "It's alright.", False),
    ]


def test_mydramalist_review_without_rating_box_and_votes() -> None:
    body = """
    <div class="review" id="review-65233"><div class="box-body">
      <span class="avatar"><img src="a.jpg"></span><b><a class="text-primary"
      href="/profile/Yupon68">Yupon68</a></b>
      <div class="user-stats"><small><b>296</b> people found this review helpful</small></div>
      <div class="more-reviews"><a href="/profile/Yupon68/reviews">Other reviews by this user</a>
      <a href="/profile/Yupon68/review/65233">0</a></div>
      <small class="datetime">Feb 16, 2020</small></div>
    <div class="box-body"><div class="col-sm-12 review-body">
      <div class="box pull-right"><b>Overall <span class="score">10</span></b>
        <div class="review-rating"><div>Story <span>10</span></div></div></div>
      <div class="review-spoiler">This review may contain spoilers</div>
      <p><strong>Crash Landing on My Heart.</strong></p>
      “If you give up on waiting…” <br><br> Most people love CLOY.
      <p class="read-more"><a class="button" href="#">Read More</a></p>
      <div class="review-helpful"><span>Was this review helpful to you?</span>
      <button>Yes</button></div></div></div></div>"""
    assert summary(reviews(body)) == [
        (
            "Yupon68",
            "Feb 16, 2020",
            "review",
            "Crash Landing on My Heart.\n\n“If you give up on waiting…”\n\nMost people love CLOY.",
        )
    ]


def test_rotten_tomatoes_audience_reviews_both_layouts() -> None:
    body = """
    <section id="audience_reviews"><ul class="mop-audience-reviews__reviews-wrap">
    <li class="mop-audience-reviews__review-item"><div class="mop-audience-reviews__review-quote">
      <span class="star-display"></span><span class="mop-audience-reviews__review--duration">
      Oct 10, 2019</span><div class="mop-audience-reviews__review--comment clamp">A harrowing
      tale.</div></div><div class="mop-audience-reviews__review--user-wrap"><a href="/user/id/9">
      <span class="mop-audience-reviews__review--name">Dann M</span></a>
      <strong class="super-reviewer-badge">Super Reviewer</strong></div></li></ul></section>
    <ul class="audience-reviews"><li class="audience-reviews__item">
      <div class="audience-reviews__user-wrap"><a class="audience-reviews__name" href="/user/id/7">
      Jo K</a></div><div class="audience-reviews__review-wrap"><span
      class="audience-reviews__duration">Mar 3, 2021</span><p class="audience-reviews__review
      js-review-text" data-qa="review-text">Still great.</p></div></li></ul>
    <div class="review_quote"><p>A critic's quote.</p><div class="quote_bubble__cite-author">
      Critic</div></div>"""
    assert summary(reviews(body)) == [
        ("Dann M", "Oct 10, 2019", "review", "A harrowing tale."),
        ("Jo K", "Mar 3, 2021", "review", "Still great."),
    ]


def test_review_blocks_of_two_layouts_keep_page_order() -> None:
    kinopoisk = """<div class="reviewItem userReview"><p class="profile_name"><a>K</a></p>
      <span itemprop="reviewBody">kinopoisk</span></div>"""
    rotten = """<li class="mop-audience-reviews__review-item"><span
      class="mop-audience-reviews__review--name">R</span><div
      class="mop-audience-reviews__review--comment">rotten</div></li>"""
    assert [c.author for c in reviews(rotten + kinopoisk)] == ["R", "K"]
    assert [c.author for c in reviews(kinopoisk + rotten)] == ["K", "R"]


def test_kinopoisk_2022_react_layout_by_its_css_module_classes() -> None:
    # Issue 14: the 2022 layout gave 5 of 10 reviews (a critic carousel instead).
    def review(head: str, title: str, text: str) -> str:
        return f"""<div class="styles_column__1Xp_v"><section class="styles_root__2sOaS
        styles_review__3-iKi styles_rootPositive__3hsSy"><div class="styles_head__33Abq">
        <div class="styles_infoContainer__6L4ek">{head}<div class="styles_additionalInfo__1HXyU">
        <a class="styles_userReviewsLink__3crGc">232 рецензии</a></div></div><div
        class="styles_summaryInfo__2uDqs"><span class="styles_date__2GNx8">2 января 2008 в 22:51
        </span><a class="styles_reviewLink__1qtY0">прямая ссылка</a></div></div><div
        class="styles_body__1z79z"><h4 class="styles_title__2DHrv">{title}</h4><div
        class="styles_text__1MaEG styles_textTruncated__1-UAM"><span>{text}</span></div><div
        class="styles_moreButtonWrapper__1OGcz"><button>показать всю рецензию</button></div>
        </div></section></div>"""

    body = (
        "<div class='critic-review styles_item__pGavh'><span class='styles_authorName__29d0Q'>"
        "Лидия Маслова</span><p>Возможно, это и есть завтрашний день кинематографа.</p></div>"
        + review(
            "<a href='/user/1/' class='styles_nameLink__Cxtf1 styles_name__X2xaY'>spacegirl</a>",
            "Не шедевр, а произведение искусства",
            "Трио Родригез-Миллер-Тарантино сродни атомной бомбе.",
        )
        + review(
            "<span class='styles_name__X2xaY'>HorrorJessy</span>",
            "Sin City",
            "Настоящая лебединая песнь Роберта Родригеса.",
        )
    )
    found = reviews(body)
    assert summary(found) == [
        (
            "spacegirl",
            "2 января 2008 в 22:51",
            "review",
            "Не шедевр, а произведение искусства\n\n"
            "Трио Родригез-Миллер-Тарантино сродни атомной бомбе.",
        ),
        (
            "HorrorJessy",
            "2 января 2008 в 22:51",
            "review",
            "Sin City\n\nНастоящая лебединая песнь Роберта Родригеса.",
        ),
    ]
    assert all(c.truncated for c in found)


def test_allocine_spectator_review_cards() -> None:
    # Issue 14: 0 of 4 in both layouts of the French film site.
    def card(name: str, date: str, text: str) -> str:
        return f"""<div class="hred review-card cf" id="review_1"><div class="review-card-aside">
        <div class="review-card-user-infos cf"><figure class="thumbnail"><span
        class="ACrL21ACrlbWJyZS thumbnail-container" title="{name}"><img alt="{name}"></span>
        </figure><div class="meta"><div class="meta-title"><span class="ACrL21ACrlbWJyZS">{name}
        </span></div><p class="meta-content light"><span class="item-profil">21 abonnés</span>
        <span class="item-profil">49 critiques</span></p></div></div></div>
        <div class="review-card-review-holder"><div class="review-card-meta"><div
        class="stareval"><span class="stareval-note">5,0</span></div><span
        class="review-card-meta-date light">Publiée le {date}</span></div><div class="content-txt
        review-card-content">{text}<br><span class="ACrL2ZACrp blue-link link-more">Lire plus</span>
        </div></div></div>"""

    body = card(
        "Wisdom", "27 décembre 2020", "Ma première réflexion, après avoir visionné cette œuvre."
    ) + card("Agnes L.", "23 décembre 2020", "Film apocalyptique assez démoralisant.")
    found = reviews(body)
    assert summary(found) == [
        (
            "Wisdom",
            "27 décembre 2020",
            "review",
            "Ma première réflexion, après avoir visionné cette œuvre.",
        ),
        ("Agnes L.", "23 décembre 2020", "review", "Film apocalyptique assez démoralisant."),
    ]
    assert all(c.truncated for c in found)


def test_myanimelist_reviews() -> None:
    body = """<div class="review-element js-review-element"><div class="thumbbody"><div
    class="body"><div class="username"><a href="https://myanimelist.net/profile/kaito">kaito</a>
    </div><div class="update_at">Oct 4, 2020</div><div class="text">A film about guilt and
    forgiveness.<span class="js-hidden">The ending is quiet and perfect.</span></div><div
    class="tags"><div class="tag recommended">Recommended</div></div></div></div></div>"""
    assert summary(reviews(body)) == [
        (
            "kaito",
            "Oct 4, 2020",
            "review",
            "A film about guilt and forgiveness.The ending is quiet and perfect.",
        )
    ]


def test_imdb_2021_title_page_featured_review() -> None:
    body = """<section data-testid="UserReviews" class="ipc-page-section ipc-page-section--base">
    <div class="ipc-title"><h3 class="ipc-title__text">User reviews<span>1.2K</span></h3></div>
    <div class="sc-a1"><div class="ipc-list-card--border-speech ipc-list-card" role="presentation">
    <div class="ipc-list-card__content"><div class="sc-b2"><span class="ipc-rating-star">10/10
    </span><span data-testid="review-summary" class="sc-c3">Masterpiece</span></div>
    <div data-testid="review-overflow" class="sc-d4 ipc-overflowText ipc-overflowText--long">
    <div class="ipc-html-content ipc-html-content--base"><div class="ipc-html-content-inner-div">
    Kurosawa's epic never drags.<br/><br/>Every samurai is a person.</div></div>
    <div class="ipc-overflowText-overlay"><button>Read more</button></div></div>
    <ul class="ipc-inline-list"><li class="ipc-inline-list__item"><a class="ipc-link"
    href="/user/ur1234/?ref_=tt_urv" data-testid="author-link">tomflint</a></li>
    <li class="ipc-inline-list__item review-date">Aug 4, 2008</li></ul></div></div></div>
    </section>"""
    assert summary(reviews(body)) == [
        (
            "tomflint",
            "Aug 4, 2008",
            "review",
            "Masterpiece\n\nKurosawa's epic never drags.\n\nEvery samurai is a person.",
        )
    ]


def test_shop_customer_reviews() -> None:
    def review(name: str, where: str, title: str, text: str) -> str:
        return f"""<div id="R{len(name)}" data-hook="review" class="a-section review
        aok-relative"><div class="a-profile-content"><span class="a-profile-name">{name}</span>
        </div><a data-hook="review-title" class="review-title"><i class="a-icon a-icon-star">
        <span class="a-icon-alt">5.0 out of 5 stars</span></i><span>{title}</span></a>
        <span data-hook="review-date" class="review-date">{where}</span><span
        data-hook="review-body" class="review-text"><div class="review-text-content"><span>{text}
        </span></div></span><div class="cr-footer"><span class="cr-vote">12 people found this
        helpful</span></div></div>"""

    body = (
        "<div id='cm-cr-dp-review-list'>"
        + review("Jane D.", "Reviewed in the United States on May 1, 2020", "Tears", "Great film.")
        + review("Klaus", "Rezension aus Deutschland vom 3. Juni 2021", "Toll", "Sehr berührend.")
        + "</div>"
    )
    assert summary(reviews(body)) == [
        ("Jane D.", "May 1, 2020", "review", "Tears\n\nGreat film."),
        ("Klaus", "3. Juni 2021", "review", "Toll\n\nSehr berührend."),
    ]


def test_metacritic_user_reviews_not_critics() -> None:
    def card(header: str, text: str) -> str:
        return f"""<div class="c-siteReview g-bg-gray10"><div class="c-siteReviewHeader">
        {header}<div class="c-siteReviewHeader_reviewDate g-color-gray80">Mar 2, 2013</div>
        </div><div class="c-siteReview_main"><div class="c-siteReview_quote g-outer-spacing">
        <span>{text}</span></div><button class="c-globalButton">Read More</button></div></div>"""

    body = card(
        "<a class='c-siteReviewHeader_username' href='/user/jk/'>jk</a>", "A real tearjerker."
    ) + card(
        "<a class='c-siteReviewHeader_publicationName' href='/publication/v'>Variety</a>",
        "A critic's verdict.",
    )
    assert summary(reviews(body)) == [("jk", "Mar 2, 2013", "review", "A real tearjerker.")]
