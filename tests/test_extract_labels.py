"""The label vocabulary: one place, many languages, forgiving about form."""

from __future__ import annotations

import pytest

from crawler.extract.shared.labels import (
    CAST,
    DUBBING,
    EPISODES,
    IGNORE,
    KIND,
    LABELS,
    RATING_OR_CERTIFICATE,
    ROMANIZED_TITLE,
    label_targets,
    normalise_label,
)
from schemas.records import CREDIT_ROLES, FACT_FIELDS


@pytest.mark.parametrize(
    ("label", "targets"),
    [
        ("Director:", ("director",)),
        ("  DIRECTOR  ", ("director",)),
        ("Directed By: ", ("director",)),
        ("Director\u00a0:", ("director",)),
        ("Writers (WGA):", ("writer",)),
        ("Screenplay by:", ("writer",)),
        ("Director & Screenwriter:", ("director", "writer")),
        ("Written and Directed by", ("writer", "director")),
        ("Release Date:", ("release_date",)),
        ("In Theaters:", ("release_date",)),
        ("Aired:", ("release_date",)),
        ("Native Title:", ("native_title",)),
        ("Also Known As:", ("alt_title",)),
        ("Revised romanization:", (ROMANIZED_TITLE,)),
        ("Duration:", ("runtime_minutes",)),
        ("Running time", ("runtime_minutes",)),
        ("Starring", (CAST,)),
        ("Stars:", (CAST,)),
        ("Rating:", (RATING_OR_CERTIFICATE,)),
        ("Total votes:", ("rating_votes",)),
        ("Budget", (IGNORE,)),
        # FilmAffinity, KinoPoisk, Korean and Chinese sites
        ("Dirección", ("director",)),
        ("Guion", ("writer",)),
        ("Año", ("year",)),
        ("Duración", ("runtime_minutes",)),
        ("País", ("country",)),
        ("Género", ("genre",)),
        ("режиссер", ("director",)),
        ("сценарий", ("writer",)),
        ("год", ("year",)),
        ("страна", ("country",)),
        ("время", ("runtime_minutes",)),
        ("жанр", ("genre",)),
        ("премьера (мир)", ("release_date",)),
        ("премьера (РФ)", (IGNORE,)),
        ("감독", ("director",)),
        ("导演", ("director",)),
        # issue 14: wordings met on title pages of the 2021 IMDb layout, streaming
        # templates, French and Japanese sites
        ("Countries of origin", ("country",)),
        ("Casts:", (CAST,)),
        ("Year of release", ("year",)),
        ("Duration per episode", ("runtime_minutes",)),
        ("Note des spectateurs :", ("rating",)),
        ("エピソード数", (EPISODES,)),
        ("片\u3000\u3000長：", ("runtime_minutes",)),  # spaced out to align with 上映日期
        ("導　　演", ("director",)),
        ("관람 등급", ("content_rating",)),  # Korean keeps its word space
    ],
)
def test_known_labels(label: str, targets: tuple[str, ...]) -> None:
    assert label_targets(label) == targets


@pytest.mark.parametrize(
    "text",
    [
        "",
        ":",
        "Posted on",
        "Director and friend",  # every part of a composite must be a label
        "Note",  # a remark in English, a score only in French compounds
        "The director said that the film was finished in 2012 after a long shoot",
        "x" * 500,
    ],
)
def test_unknown_labels(text: str) -> None:
    assert label_targets(text) is None


def test_normalise_label() -> None:
    assert normalise_label(" • Release Date(s): ") == "release date(s)"
    assert normalise_label("Country\u00a0of origin ::") == "country of origin"


def test_vocabulary_names_only_known_targets() -> None:
    extra = {CAST, DUBBING, EPISODES, IGNORE, KIND, RATING_OR_CERTIFICATE, ROMANIZED_TITLE}
    extra |= set(CREDIT_ROLES)
    for label, targets in LABELS.items():
        assert label == normalise_label(label), label
        assert set(targets) <= set(FACT_FIELDS) | extra, label
