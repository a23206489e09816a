"""The committed JSON Schemas are what the model generates, and are themselves valid."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from modpack.definition.schema import SCHEMAS, json_schema_text

from .conftest import ROOT, SAMPLE_MODULES


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_committed_schema_is_in_sync(kind):
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(kind), f"run: modpack schema --kind {kind} > schemas/{kind}.schema.json"


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_schema_is_valid_json_schema(kind):
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


def _validator(kind):
    return jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text()))


@pytest.mark.parametrize("folder", SAMPLE_MODULES + [ROOT / "src" / "modpack" / "definition" / "template"], ids=lambda p: p.name)
def test_editors_accept_the_samples(folder):
    """An editor pointed at the schema agrees with modpack about valid files."""
    data = yaml.safe_load((folder / "module.yaml").read_text(encoding="utf-8"))
    assert list(_validator("module").iter_errors(data)) == []


def test_editors_reject_what_modpack_rejects():
    data = yaml.safe_load((ROOT / "samples" / "rujukan-terpadu" / "module.yaml").read_text(encoding="utf-8"))
    data["post_test"]["pass_mark"] = 150
    data["lessons"][0]["pages"][0]["colour"] = "merah"
    data["id"] = "Bukan Slug"
    messages = [e.message for e in _validator("module").iter_errors(data)]
    assert len(messages) == 3, messages


def test_committed_reference_is_in_sync():
    from modpack.definition.schema import reference_markdown

    committed = (ROOT / "docs" / "definition-reference.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "run: modpack schema --format markdown > docs/definition-reference.md"
