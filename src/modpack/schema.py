"""JSON Schemas of the definition files, generated from the model (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from .model import Course, Module

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS = {"module": Module, "course": Course}


def json_schema(kind: str = "module") -> dict[str, Any]:
    """The JSON Schema of a module (``kind="module"``) or course definition file."""
    model = SCHEMAS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": DIALECT, "$id": f"https://modpack.invalid/schemas/{kind}.schema.json", **schema}


def json_schema_text(kind: str = "module") -> str:
    """The schema as committed in ``schemas/``: stable key order, two-space indent, final newline."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
