"""One film across sites: group what pages claim about their film into films.

Pure functions over :class:`FilmClaim` values (what one page says: its titles, year,
directors, countries and cast). The result depends only on the set of claims, never
on the order pages were crawled in, so the same pages always give the same films and
the same film ids.

Rules, in order:

1. Two claims can be the same film only if they share a title key (spelling, case and
   punctuation variants of a title share a key) and nothing contradicts it: kinds of
   different families (a film, a series, a season, an episode: a series and its pilot
   are two works); years more than one apart, or one year apart without a shared
   director; both name directors and none is shared; both name countries and none is
   shared. This keeps the 2013 Korean film apart from its 2019 Turkish and Philippine
   remakes.
2. Claims with a year are merged greedily, strongest evidence first, and a merge
   happens only when every member of one group is compatible with every member of the
   other, so a vague page cannot chain two different films together.
3. A claim without a year joins the compatible group it shares most evidence with
   (directors, cast, countries, titles); when two groups tie it stays on its own rather
   than guess.
4. Consensus values count sources, not pages: a page and its mirrors (the same page
   on another URL, :attr:`FilmClaim.mirror_of`) are one source.
5. A film's id is the slug of its consensus title and year
   (``miracle-in-cell-no-7-2013``); films that would share one are told apart by
   country, then director, then a short hash.
5. An id once given out keeps naming its film (:func:`assign_ids`): a film made of
   pages that already had a fixed id keeps it, whatever its consensus title becomes;
   when two films with fixed ids turn out to be one, the film keeps the id most of
   its pages had and the other id becomes an alias of it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crawler.normalize.kinds import kind_family
from crawler.normalize.titles import slugify_title, title_key


@dataclass(frozen=True)
class FilmClaim:
    page_url: str
    titles: tuple[tuple[str, str], ...] = ()  # (kind, title) as the page spells it
    title_keys: frozenset[str] = frozenset()
    year: int | None = None
    directors: frozenset[str] = frozenset()  # person keys
    countries: frozenset[str] = frozenset()
    cast: frozenset[str] = frozenset()  # person keys
    tier: int = 99  # best evidence tier behind the titles
    kind: str | None = None  # the kind of work (WORK_KINDS), when the page says
    # The source the page belongs to: the page itself, or the page it mirrors (the
    # same page on another URL counts once).
    mirror_of: str | None = None

    @property
    def source(self) -> str:
        return self.mirror_of or self.page_url

    def primary_titles(self) -> list[str]:
        for kind in ("primary", "native", "romanized", "alternative"):
            found = [title for k, title in self.titles if k == kind]
            if found:
                return found
        return []


@dataclass
class Film:
    id: str
    claims: list[FilmClaim] = field(default_factory=list)

    @property
    def page_urls(self) -> list[str]:
        return sorted(claim.page_url for claim in self.claims)


def contradicts(a: FilmClaim, b: FilmClaim) -> bool:
    # A series, one of its seasons and one of its episodes are different works, even
    # under one title and year.
    if a.kind and b.kind and kind_family(a.kind) != kind_family(b.kind):
        return True
    shared_director = bool(a.directors & b.directors)
    if a.year is not None and b.year is not None:
        gap = abs(a.year - b.year)
        if gap > 1 or (gap == 1 and not shared_director):
            return True
    if a.directors and b.directors and not shared_director:
        return True
    return bool(a.countries and b.countries and not a.countries & b.countries)


def evidence(a: FilmClaim, b: FilmClaim) -> int:
    """How strongly two claims point at one film (0 when they share no title)."""
    shared_titles = len(a.title_keys & b.title_keys)
    if not shared_titles:
        return 0
    score = shared_titles
    score += 3 * len(a.directors & b.directors)
    score += min(len(a.cast & b.cast), 5)
    score += 1 if a.countries & b.countries else 0
    score += 2 if a.year is not None and a.year == b.year else 0
    return score


def cluster_claims(claims: Iterable[FilmClaim]) -> list[Film]:
    """Group claims into films; deterministic for any order of ``claims``."""
    ordered = sorted(set(claims), key=lambda c: c.page_url)
    groups: list[list[FilmClaim]] = [[c] for c in ordered if c.year is not None]
    groups = _agglomerate(groups)

    undated = [c for c in ordered if c.year is None]
    leftovers: list[list[FilmClaim]] = []
    for claim in undated:
        target = _best_group(claim, groups)
        if target is None:
            leftovers.append([claim])
        else:
            target.append(claim)
    groups.extend(_agglomerate(leftovers))
    return _name_films(groups)


def _compatible(a: list[FilmClaim], b: list[FilmClaim]) -> bool:
    return all(not contradicts(x, y) for x in a for y in b)


def _group_evidence(a: list[FilmClaim], b: list[FilmClaim]) -> int:
    return sum(evidence(x, y) for x in a for y in b)


def _agglomerate(groups: list[list[FilmClaim]]) -> list[list[FilmClaim]]:
    """Merge groups pairwise, strongest evidence first, while members stay compatible."""
    groups = [list(g) for g in groups]
    while True:
        best: tuple[int, str, str, int, int] | None = None
        for i, a in enumerate(groups):
            for j in range(i + 1, len(groups)):
                b = groups[j]
                score = _group_evidence(a, b)
                if score <= 0 or not _compatible(a, b):
                    continue
                candidate = (-score, a[0].page_url, b[0].page_url, i, j)
                if best is None or candidate < best:
                    best = candidate
        if best is None:
            return groups
        _, _, _, i, j = best
        merged = sorted(groups[i] + groups[j], key=lambda c: c.page_url)
        groups = [g for k, g in enumerate(groups) if k not in (i, j)] + [merged]
        groups.sort(key=lambda g: g[0].page_url)


def _best_group(claim: FilmClaim, groups: list[list[FilmClaim]]) -> list[FilmClaim] | None:
    scored = []
    for group in groups:
        score = _group_evidence([claim], group)
        if score > 0 and _compatible([claim], group):
            scored.append((score, group))
    if not scored:
        return None
    scored.sort(key=lambda entry: -entry[0])
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # ambiguous: two films fit equally well
    return scored[0][1]


def _one_per_source(claims: list[FilmClaim]) -> list[FilmClaim]:
    """A page and its mirrors are one source: the claim of its first URL speaks for it."""
    chosen: dict[str, FilmClaim] = {}
    for claim in sorted(claims, key=lambda c: c.page_url):
        chosen.setdefault(claim.source, claim)
    return list(chosen.values())


def source_count(claims: list[FilmClaim]) -> int:
    return len({claim.source for claim in claims})


def consensus_year(claims: list[FilmClaim]) -> int | None:
    years = Counter(c.year for c in _one_per_source(claims) if c.year is not None)
    if not years:
        return None
    return min(years, key=lambda y: (-years[y], y))


def consensus_kind(claims: list[FilmClaim]) -> str | None:
    """The kind most sources state; ties go to the best evidence, then the name."""
    stated = [claim for claim in _one_per_source(claims) if claim.kind]
    kinds = Counter(claim.kind for claim in stated)
    if not kinds:
        return None
    best_tier = {kind: min(c.tier for c in stated if c.kind == kind) for kind in kinds}
    return min(kinds, key=lambda k: (-kinds[k], best_tier[k], k or ""))


def consensus_title(claims: list[FilmClaim]) -> str:
    """The title most pages use: by title key first, then by spelling."""
    by_key: dict[str, list[tuple[int, str]]] = {}
    for claim in _one_per_source(claims):
        for title in claim.primary_titles()[:1]:
            by_key.setdefault(title_key(title), []).append((claim.tier, title))
    if not by_key:
        return ""
    key = min(
        by_key,
        key=lambda k: (-len(by_key[k]), min(tier for tier, _ in by_key[k]), k),
    )
    spellings = Counter(title for _, title in by_key[key])
    best_tier = {title: min(t for t, s in by_key[key] if s == title) for title in spellings}
    return min(spellings, key=lambda s: (-spellings[s], best_tier[s], s))


def _name_films(groups: list[list[FilmClaim]]) -> list[Film]:
    films: list[Film] = []
    base_ids: dict[str, list[list[FilmClaim]]] = {}
    for group in groups:
        base = slugify_title(consensus_title(group), consensus_year(group))
        base_ids.setdefault(base, []).append(group)
    for base, same in sorted(base_ids.items()):
        if len(same) == 1:
            films.append(Film(base, same[0]))
            continue
        used: set[str] = set()
        by_kind = len({consensus_kind(group) for group in same}) == len(same)
        for group in sorted(same, key=lambda g: g[0].page_url):
            film_id = _disambiguate(base, group, used, by_kind=by_kind)
            used.add(film_id)
            films.append(Film(film_id, group))
    return sorted(films, key=lambda f: f.id)


def _disambiguate(
    base: str, group: list[FilmClaim], used: set[str], *, by_kind: bool = False
) -> str:
    """A series and its pilot of one title and year are told apart by their kinds
    (``nocturne-2019-series``, ``nocturne-2019-episode``); other works by country, then
    director, then a short hash."""
    kind = consensus_kind(group)
    if by_kind and kind and f"{base}-{slugify_title(kind, None)}" not in used:
        return f"{base}-{slugify_title(kind, None)}"
    countries = Counter(c for claim in group for c in claim.countries)
    directors = Counter(d for claim in group for d in claim.directors)
    for counter in (countries, directors):
        if counter:
            top = min(counter, key=lambda v: (-counter[v], v))
            candidate = f"{base}-{slugify_title(top, None)}"
            if candidate not in used:
                return candidate
    digest = hashlib.sha256("\n".join(c.page_url for c in group).encode()).hexdigest()[:6]
    return f"{base}-{digest}"


def assign_ids(
    films: list[Film],
    previous: dict[str, str],
    fixed: set[str],
    taken: Callable[[str], bool],
) -> tuple[list[Film], dict[str, str | None]]:
    """Keep the ids already given out (rule 5).

    ``films`` come from :func:`cluster_claims` with their natural ids; ``previous``
    maps a page to the id its film had; ``fixed`` are the ids that may not change
    (given out by an earlier run); ``taken(id)`` says whether an id names something
    else already (another film, an alias). Returns the films with their final ids,
    and for every previous id that names no film any more, the id of the film that
    holds most of its pages (``None`` when none does).

    A fixed id goes to the film holding most of its pages (ties: the smaller id, then
    the film's first page), one id per film; the other films keep their natural id,
    or, when that is in use, one told apart as in rule 4.
    """
    overlap: Counter[tuple[int, str]] = Counter()
    for index, film in enumerate(films):
        for url in film.page_urls:
            if url in previous:
                overlap[(index, previous[url])] += 1
    final: dict[int, str] = {}
    used: set[str] = set()
    ranked = sorted(overlap.items(), key=lambda e: (-e[1], e[0][1], films[e[0][0]].page_urls[0]))
    for (index, old), _ in ranked:
        if old in fixed and index not in final and old not in used:
            final[index] = old
            used.add(old)
    for index, film in enumerate(films):
        if index in final:
            continue
        film_id = film.id
        if film_id in used or taken(film_id):
            film_id = _free_id(film, used, taken)
        final[index] = film_id
        used.add(film_id)
    result = [Film(final[index], film.claims) for index, film in enumerate(films)]
    successors: dict[str, str | None] = {}
    for old in sorted(set(previous.values()) - used):
        holders = [(n, final[index]) for (index, o), n in overlap.items() if o == old]
        successors[old] = min(holders, key=lambda h: (-h[0], h[1]))[1] if holders else None
    return result, successors


def _free_id(film: Film, used: set[str], taken: Callable[[str], bool]) -> str:
    """An id for ``film`` that is neither ``used`` nor ``taken``, told apart from its
    natural one by country, director, then a hash of its pages."""
    base = slugify_title(consensus_title(film.claims), consensus_year(film.claims))
    unavailable = set(used)
    while True:
        candidate = _disambiguate(base, film.claims, unavailable | {base})
        if candidate not in unavailable and not taken(candidate):
            return candidate
        unavailable.add(candidate)
        if len(unavailable) > len(used) + 3:
            break
    number = 2
    while f"{base}-{number}" in used or taken(f"{base}-{number}"):
        number += 1
    return f"{base}-{number}"
