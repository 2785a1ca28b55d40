"""Generate a synthetic film site: many linked film pages with facts and comments.

Deterministic for a given seed. Used by the crash-safety test (hundreds of linked
pages), the Scrapyd scale-out test and the throughput benchmark (thousands of pages of
about 100 KB, like real film pages: heavy navigation, a fact box, JSON-LD, a synopsis
and a WordPress-style comment thread).

``python -m crawler.sample_site.generate OUT_DIR --pages 1000`` writes the site; serve it
with ``python -m crawler.sample_site.server OUT_DIR``.
"""

from __future__ import annotations

import argparse
import html
import json
import random
from dataclasses import dataclass
from pathlib import Path

_WORDS = [
    "father",
    "daughter",
    "prison",
    "cell",
    "miracle",
    "justice",
    "tears",
    "family",
    "love",
    "friendship",
    "secret",
    "village",
    "river",
    "winter",
    "summer",
    "war",
    "letter",
    "journey",
    "mountain",
    "city",
    "night",
    "dream",
    "promise",
    "brother",
    "sister",
    "teacher",
    "student",
    "soldier",
    "doctor",
    "train",
    "station",
    "island",
    "storm",
    "lantern",
    "garden",
    "festival",
    "music",
    "painter",
    "detective",
    "memory",
    "ghost",
    "kingdom",
    "ocean",
    "border",
    "market",
]
_FIRST = [
    "Min",
    "Ji",
    "Seo",
    "Hye",
    "Jun",
    "Woo",
    "Ha",
    "Eun",
    "Tae",
    "Yeon",
    "Soo",
    "Jin",
    "Kyung",
    "Hwa",
    "Dong",
    "Sung",
]
_FAMILY = [
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Jung",
    "Kang",
    "Cho",
    "Yoon",
    "Jang",
    "Lim",
    "Han",
    "Oh",
    "Seo",
    "Shin",
    "Kwon",
]
_COUNTRIES = ("South Korea", "Japan", "France", "Spain", "Brazil", "Indonesia", "Turkey")
_GENRES = ("Drama", "Comedy", "Family", "Thriller", "Romance", "Crime", "Fantasy", "War")
_COMMENTS = (
    "This movie made me cry so much, the acting was {adj} and the ending broke my heart.",
    "I watched it with my family last night and we all loved the {noun} scenes.",
    "Honestly the story was a bit slow in the middle but the {noun} part was {adj}.",
    "La película es {adj_es}, lloré muchísimo con la historia del {noun_es}.",
    "Film ini sangat bagus, saya menangis waktu nonton bagian akhirnya.",
    "Filem ni best gila, aku tengok dua kali dan tak boleh berhenti menangis.",
    "Ce film est vraiment magnifique, la musique et les acteurs sont parfaits.",
    "Der Film war wunderschön und sehr traurig, ich habe am Ende geweint.",
    "정말 감동적인 영화였어요. 마지막 장면에서 너무 많이 울었어요.",
    "本当に感動しました。最後のシーンで涙が止まりませんでした。",
    "O filme é lindo demais, chorei do começo ao fim com essa história.",
    "Bu film gerçekten çok güzeldi, sonunda ağlamadan duramadım.",
)
_ADJ = ("amazing", "brilliant", "heartbreaking", "wonderful", "powerful", "beautiful")
_ADJ_ES = ("preciosa", "increíble", "maravillosa")
_NOUN_ES = ("padre", "pueblo", "invierno")


@dataclass(frozen=True)
class FilmPage:
    index: int
    title: str
    year: int
    director: str
    country: str
    path: str


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_FIRST)}-{rng.choice(_FIRST).lower()}"


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def plan_site(pages: int, seed: int = 7) -> list[FilmPage]:
    rng = random.Random(seed)
    films = []
    for index in range(pages):
        title = f"The {rng.choice(_WORDS).title()} of the {rng.choice(_WORDS).title()} {index}"
        films.append(
            FilmPage(
                index=index,
                title=title,
                year=rng.randint(1960, 2024),
                director=_person(rng),
                country=rng.choice(_COUNTRIES),
                path=f"/film/{index:05d}/",
            )
        )
    return films


def render_page(film: FilmPage, films: list[FilmPage], seed: int, target_bytes: int) -> str:
    rng = random.Random(seed * 1_000_003 + film.index)
    esc = html.escape
    links = [films[(film.index + step) % len(films)] for step in (1, 2, 3, 5, 8, 13)]
    cast = [(_person(rng), _person(rng).split()[1]) for _ in range(6)]
    genres = rng.sample(_GENRES, 2)
    runtime = rng.randint(85, 160)
    jsonld = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "datePublished": f"{film.year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "director": {"@type": "Person", "name": film.director},
        "actor": [{"@type": "Person", "name": name} for name, _ in cast[:3]],
        "genre": genres,
        "duration": f"PT{runtime}M",
        "countryOfOrigin": {"@type": "Country", "name": film.country},
    }
    nav = "".join(f'<li><a href="/#genre-{g.lower()}">{g}</a></li>' for g in _GENRES) + "".join(
        f'<li><a href="/#year-{y}">{y}</a></li>' for y in range(1990, 2025)
    )
    synopsis = "".join(f"<p>{esc(_sentence(rng, rng.randint(25, 60)))}</p>" for _ in range(6))
    cast_html = "".join(
        f'<li><span class="actor">{esc(name)}</span> as {esc(role)}</li>' for name, role in cast
    )
    related = "".join(
        f'<li><a href="{other.path}">{esc(other.title)} ({other.year})</a></li>' for other in links
    )
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(film.title)} ({film.year}) - Film Archive</title>",
        f'<meta property="og:title" content="{esc(film.title)}">',
        '<meta property="og:type" content="video.movie">',
        f'<link rel="canonical" href="https://films.example{film.path}">',
        '<meta name="generator" content="WordPress 6.4">',
        f'<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script>',
        "</head><body class='single single-post'>",
        f"<header><nav class='main-nav'><ul>{nav}</ul></nav></header>",
        "<main><article class='post'>",
        f"<h1 class='entry-title'>{esc(film.title)}</h1>",
        "<div class='entry-content'>",
        "<div class='film-details'><dl>",
        f"<dt>Director:</dt><dd>{esc(film.director)}</dd>",
        f"<dt>Year:</dt><dd>{film.year}</dd>",
        f"<dt>Country:</dt><dd>{esc(film.country)}</dd>",
        f"<dt>Runtime:</dt><dd>{runtime} min.</dd>",
        f"<dt>Genre:</dt><dd>{', '.join(genres)}</dd>",
        "</dl></div>",
        f"<h2>Synopsis</h2>{synopsis}",
        f"<h2>Cast</h2><ul class='cast'>{cast_html}</ul>",
        "</div></article>",
        "<div id='comments' class='comments-area'><h2 class='comments-title'>Responses</h2>",
        "<ol class='comment-list'>",
    ]
    sidebar = f"<aside class='sidebar widget-area'><ul>{related}</ul></aside>"
    footer = "<footer class='site-footer'><p>© Film Archive</p></footer></body></html>"
    # Like real film pages (the AsianWiki page has 63 comments in 57 KB): a few dozen
    # comments, the rest of the bytes page furniture (scripts, menus, poster grids).
    budget = min(target_bytes // 2, rng.randint(40, 100) * 450)
    comments: list[str] = []
    comment_index = 0
    while sum(len(c) for c in comments) < budget:
        template = rng.choice(_COMMENTS)
        text = template.format(
            adj=rng.choice(_ADJ),
            noun=rng.choice(_WORDS),
            adj_es=rng.choice(_ADJ_ES),
            noun_es=rng.choice(_NOUN_ES),
        )
        extra = _sentence(rng, rng.randint(5, 30)) if text.isascii() else ""
        author = f"{rng.choice(_FIRST)}{rng.randint(1, 999)}"
        comments.append(
            f'<li id="comment-{film.index}-{comment_index}" class="comment">'
            f'<article class="comment-body"><footer class="comment-meta">'
            f'<div class="comment-author vcard"><b class="fn">{esc(author)}</b> '
            f'<span class="says">says:</span></div>'
            f'<div class="comment-metadata"><time datetime="2020-01-{1 + comment_index % 28:02d}">'
            f"January {1 + comment_index % 28}, 2020</time></div></footer>"
            f'<div class="comment-content"><p>{esc(text)} {esc(extra)}</p></div>'
            f'<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>'
            f"</article></li>"
        )
        comment_index += 1
    parts.extend(comments)
    parts.append("</ol><div id='respond'><h3>Leave a Reply</h3></div></div></main>")
    parts.append(sidebar)
    used = sum(len(p) for p in parts) + len(footer)
    parts.append(_furniture(rng, films, max(0, target_bytes - used)))
    parts.append(footer)
    return "".join(parts)


def _furniture(rng: random.Random, films: list[FilmPage], size: int) -> str:
    """Page furniture of about ``size`` bytes: a related-films poster grid, a footer link
    farm and inline scripts, the bulk of a real film page that is not its content."""
    blocks: list[str] = []
    total = 0
    while total < size:
        kind = rng.randrange(3)
        if kind == 0:
            other = rng.choice(films)
            name = html.escape(other.title)
            block = (
                f'<div class="related-item"><a href="{other.path}"><img src="/posters/'
                f'{other.index:05d}-{rng.randrange(10**6):06d}.jpg" alt="{name}"'
                f' width="180" height="270" loading="lazy"></a><span class="related-title">'
                f'{name}</span><span class="related-year">{other.year}</span></div>'
            )
        elif kind == 1:
            block = (
                '<script>window.dataLayer=window.dataLayer||[];dataLayer.push({"event":'
                f'"impression","slot":"{rng.randrange(10**8)}","ts":{rng.randrange(10**9)}}});</script>'
            )
        else:
            word = rng.choice(_WORDS)
            block = f'<li class="menu-item"><a href="/#tag-{word}">{word.title()} films</a></li>'
        blocks.append(block)
        total += len(block)
    return f"<div class='related-movies site-furniture'>{''.join(blocks)}</div>"


def write_site(out: Path, pages: int, seed: int = 7, target_bytes: int = 100_000) -> list[str]:
    """Write the site into ``out``; return the page paths (also listed in sitemap.xml)."""
    films = plan_site(pages, seed)
    out.mkdir(parents=True, exist_ok=True)
    for film in films:
        page_dir = out / film.path.strip("/")
        page_dir.mkdir(parents=True, exist_ok=True)
        (page_dir / "index.html").write_text(
            render_page(film, films, seed, target_bytes), encoding="utf-8"
        )
    index_links = "".join(f'<li><a href="{f.path}">{html.escape(f.title)}</a></li>' for f in films)
    (out / "index.html").write_text(
        f"<html><head><title>Film Archive</title></head><body><h1>Films</h1>"
        f"<ul>{index_links}</ul></body></html>",
        encoding="utf-8",
    )
    (out / "robots.txt").write_text(
        "User-agent: *\nAllow: /\nSitemap: {{BASE_URL}}/sitemap.xml\n", encoding="utf-8"
    )
    urls = "".join(f"<url><loc>{{{{BASE_URL}}}}{f.path}</loc></url>" for f in films)
    (out / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        encoding="utf-8",
    )
    return [film.path for film in films]


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a synthetic film site.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--page-bytes", type=int, default=100_000)
    args = parser.parse_args()
    write_site(args.out, args.pages, args.seed, args.page_bytes)


if __name__ == "__main__":
    main()
