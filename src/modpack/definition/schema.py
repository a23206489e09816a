"""JSON Schemas of the definition files, generated from the model (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from ..model import Course, Module

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS = {"module": Module, "course": Course}


def json_schema(kind: str = "module") -> dict[str, Any]:
    """The JSON Schema of a module (``kind="module"``) or course definition file."""
    model = SCHEMAS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")  # type: ignore[attr-defined]
    return {"$schema": DIALECT, "$id": f"https://modpack.invalid/schemas/{kind}.schema.json", **schema}


def json_schema_text(kind: str = "module") -> str:
    """The schema as committed in ``schemas/``: stable key order, two-space indent, final newline."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def _pattern_names() -> dict[str, str]:
    from ..model import common

    return {common._SLUG.pattern: "id (slug)", common._TAG_SHAPE.pattern: "language tag", common._VERSION.pattern: "version"}


_PATTERN_NAMES = _pattern_names()


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in prop or "oneOf" in prop:
        options = [_type_of(p) for p in prop.get("anyOf", prop.get("oneOf", []))]
        joined = " or ".join(o for o in options if o != "null").replace("text or map of text", "LangText")
        return joined + (" (optional)" if "null" in options else "")
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}))}"
    if kind == "object":
        values = prop.get("additionalProperties")
        return f"map of {_type_of(values)}" if isinstance(values, dict) else "object"
    if "pattern" in prop and kind == "string":
        return _PATTERN_NAMES.get(prop["pattern"], "text (pattern)")
    return {"string": "text", "number": "number", "integer": "whole number", "boolean": "true/false"}.get(kind, str(kind))


def _limits(prop: dict[str, Any]) -> str:
    bits = [f"{label} {prop[key]}" for key, label in (
        ("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<"),
        ("minItems", "items ≥"), ("maxLength", "length ≤")) if key in prop]
    return ", ".join(bits)


def reference_markdown() -> str:
    """Every object of the module and course formats as Markdown tables (docs/definition-reference.md)."""
    out = [
        "# Definition reference",
        "",
        "Generated from the model by `modpack schema --format markdown`; do not edit by hand.",
        "Text fields marked *LangText* take a plain string (the module's first language) or a",
        "map of language tag to text, e.g. `{id-ID: Judul, en-US: Title}`.",
    ]
    defs: dict[str, Any] = {}
    roots = []
    for kind in ("module", "course"):
        schema = json_schema(kind)
        defs.update(schema.pop("$defs", {}))
        roots.append((schema["title"], schema))
    for name, schema in roots + sorted(defs.items()):
        if schema.get("type") != "object" and "properties" not in schema:
            continue
        out += ["", f"## {name}", ""]
        if schema.get("description"):
            out += [" ".join(schema["description"].split()), ""]
        out += ["| field | type | required | default | meaning |", "|---|---|---|---|---|"]
        required = set(schema.get("required", []))
        for field, prop in schema.get("properties", {}).items():
            default = prop.get("default")
            shown_default = "" if default is None or "default" not in prop else f"`{json.dumps(default, ensure_ascii=False)}`"
            meaning = " ".join(str(prop.get("description", "")).split())
            limits = _limits(prop)
            if limits:
                meaning = f"{meaning} ({limits})" if meaning else limits
            out.append(f"| `{field}` | {_type_of(prop)} | {'yes' if field in required else ''} | {shown_default} | {meaning} |")
    return "\n".join(out) + "\n"
