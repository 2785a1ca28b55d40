"""The committed JSON Schemas (schemas/json/) are exactly what the code generates, and
they are valid JSON Schemas that the exported records satisfy."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from crawler.cli.json_schemas import (
    ITEM_FIELD_NOTES,
    SCHEMA_DIR,
    SCHEMA_FILES,
    SchemaFile,
    drifted,
    write_schemas,
)
from crawler.cli.main import main
from crawler.run.status import EXIT_FAILED
from schemas.records import CommentRecord, FactRecord, PageRecord, TitleRecord

REPO_SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "json"


def test_the_schemas_are_read_from_and_written_to_the_repository() -> None:
    assert SCHEMA_DIR == REPO_SCHEMAS


def test_the_committed_schemas_match_the_code() -> None:
    problems = drifted(REPO_SCHEMAS)
    assert not problems, (
        "schemas/json/ drifted from the code; run `filmcrawl schema` and commit: "
        + "; ".join(problems)
    )


@pytest.mark.parametrize("schema_file", SCHEMA_FILES, ids=lambda f: f.name)
def test_each_committed_schema_is_a_valid_json_schema(schema_file: SchemaFile) -> None:
    schema = json.loads((REPO_SCHEMAS / schema_file.name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["description"]
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{schema_file.name}: {name} has no description"


def test_the_notes_on_item_fields_name_real_fields() -> None:
    for record, notes in ITEM_FIELD_NOTES.items():
        fields = {f.name for f in dataclasses.fields(record)}
        assert set(notes) <= fields, (record.__name__, set(notes) - fields)
        # Every field of an item type is described.
        assert set(notes) == fields, (record.__name__, fields - set(notes))


def test_a_changed_record_shows_up_as_drift(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    assert drifted(tmp_path) == []
    path = tmp_path / "film.schema.json"
    path.write_text(path.read_text().replace('"comments"', '"remarks"'))
    (tmp_path / "old.schema.json").write_text("{}")
    (tmp_path / "runs-entry.schema.json").unlink()
    assert drifted(tmp_path) == [
        "film.schema.json differs from the code",
        "runs-entry.schema.json is missing",
        "old.schema.json is no longer generated",
    ]


def test_schema_check_exits_1_on_drift_and_schema_repairs_it(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "--check", "--out", str(tmp_path)])
    assert result.exit_code == EXIT_FAILED
    assert "film.schema.json is missing" in result.stderr
    result = runner.invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.name for f in SCHEMA_FILES)
    result = runner.invoke(main, ["schema", "--check", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_the_page_item_schema_holds_a_real_item_and_refuses_a_wrong_one() -> None:
    schema = json.loads((REPO_SCHEMAS / "page-item.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    item = PageRecord(
        url="http://127.0.0.1/x",
        http_status=200,
        titles=[TitleRecord("Miracle in Cell No. 7", "primary", "mediawiki")],
        facts=[FactRecord("release_date", "Jan 23, 2013", "2013-01-23", "factbox")],
        comments=[CommentRecord("Daebak!", author="Kim", lang="ko", lang_confidence=0.9)],
    )
    validator.validate(dataclasses.asdict(item))
    wrong = dataclasses.asdict(item)
    wrong["comments"][0]["kind"] = "tweet"
    with pytest.raises(ValidationError):
        validator.validate(wrong)
    wrong = dataclasses.asdict(item)
    wrong["surprise"] = 1
    with pytest.raises(ValidationError):
        validator.validate(wrong)
