"""Validating statements against the xAPI statement schema, fast enough for millions of rows.

The schema (statement.schema.json, copied to schemas/) describes a statement as an object whose
properties are each checked by their own schema, with some required and no others allowed; the
context is built the same way. So the validator checks an object's keys, then each property
against its compiled sub-schema, descending into such plain objects, and remembers the values it
has already checked (by a digest of their JSON): the same verb, activity, learner, instructor or
context activities are checked once. The outcome is exactly that of validating the whole
statement against the schema, which the tests confirm against jsonschema itself.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Callable

import fastjsonschema
import orjson

from .shared import SharedDict, SharedList

_SHARED = (SharedDict, SharedList)
_SCALARS = (str, int, float, bool)
_UNIQUE = {("", "id"), ("", "timestamp"), ("", "stored")}  # new in every statement: not worth remembering
SCHEMA_FILE = Path(__file__).resolve().parent / "statement.schema.json"
_CACHE_LIMIT = 20_000  # remembered values of each kind; a few MB at most


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


class _ObjectCheck:
    """Checks a plain object schema (type object, listed properties, no others) property by property."""

    def __init__(self, schema: dict[str, Any], definitions: dict[str, Any], path: str):
        self.path = path
        self.required = set(schema.get("required", ()))
        self.allowed = set(schema["properties"])
        # name -> (nested object check or compiled schema, label, remember scalar values)
        self.plan: dict[str, tuple[Any, str, bool]] = {}
        for name, prop in schema["properties"].items():
            resolved = _resolve(prop, definitions)
            label = f"{path}.{name}" if path else name
            check: Any = (_ObjectCheck(resolved, definitions, label) if _is_plain_object(resolved)
                          else fastjsonschema.compile({"definitions": definitions, **prop}))
            self.plan[name] = (check, label, (path, name) not in _UNIQUE)

    def errors(self, value: Any, seen: dict[bytes, None], seen_shared: dict[int, Any],
               seen_scalars: dict[tuple[Any, ...], None]) -> list[str]:
        if not isinstance(value, dict):
            return [f"{self.path or 'statement'} must be an object"]
        keys = value.keys()
        problems: list[str] = []
        if not (self.required <= keys <= self.allowed):
            where = self.path or "statement"
            problems += [f"{where}: '{name}' is required" for name in self.required - keys]
            problems += [f"{where}: '{name}' is not allowed here" for name in keys - self.allowed]
        plan = self.plan
        for name, item in value.items():
            entry = plan.get(name)
            if entry is None:
                continue
            check, label, remember = entry
            kind = type(item)
            if kind is SharedDict or kind is SharedList:
                if seen_shared.get(id(item)) is item:  # an immutable part checked before
                    continue
                found = check.errors(item, seen, seen_shared, seen_scalars) if type(check) is _ObjectCheck \
                    else _run(check, item, label)
                if not found:
                    if len(seen_shared) >= _CACHE_LIMIT:
                        seen_shared.clear()
                    seen_shared[id(item)] = item  # kept alive here, so its id cannot be reused
                problems += found
            elif kind is str or kind is int or kind is float or kind is bool:
                if remember:  # low-cardinality values (platform, language, a registration) repeat
                    memo = (label, item)
                    if memo in seen_scalars:
                        continue
                    found = _run(check, item, label)
                    if not found:
                        if len(seen_scalars) >= _CACHE_LIMIT:
                            seen_scalars.clear()
                        seen_scalars[memo] = None
                    problems += found
                else:
                    problems += _run(check, item, label)
            elif type(check) is _ObjectCheck:
                problems += check.errors(item, seen, seen_shared, seen_scalars)
            elif kind is dict or kind is list:
                key = hashlib.blake2b(orjson.dumps(item, option=orjson.OPT_SORT_KEYS), digest_size=16,
                                      person=name.encode()[:16]).digest()
                if key in seen:
                    continue
                found = _run(check, item, label)
                if not found:
                    if len(seen) >= _CACHE_LIMIT:
                        seen.clear()  # bounded memory on endless streams
                    seen[key] = None
                problems += found
            else:
                problems += _run(check, item, label)
        return problems


def _run(check: Callable[[Any], Any], item: Any, label: str) -> list[str]:
    try:
        check(item)
    except fastjsonschema.JsonSchemaValueException as exc:
        return [f"{(exc.name or 'data').replace('data', label, 1)}: {exc.message.replace('data', label, 1)}"]
    return []


def _resolve(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    while set(schema) == {"$ref"} and schema["$ref"].startswith("#/definitions/"):
        schema = definitions[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_plain_object(schema: dict[str, Any]) -> bool:
    return (schema.get("type") == "object" and schema.get("additionalProperties") is False and "properties" in schema
            and set(schema) <= {"type", "additionalProperties", "properties", "required", "description", "title"})


class StatementValidator:
    def __init__(self, schema: dict[str, Any] | None = None):
        self.schema = schema or load_schema()
        top = {k: v for k, v in self.schema.items() if k not in ("$schema", "$id", "definitions")}
        self._check = _ObjectCheck(top, self.schema["definitions"], "")
        self._seen: dict[bytes, None] = {}
        self._seen_shared: dict[int, Any] = {}
        self._seen_scalars: dict[tuple[Any, ...], None] = {}

    def errors(self, statement: Any) -> list[str]:
        """Why ``statement`` is not a valid xAPI statement; empty when it is."""
        if not isinstance(statement, dict):
            return ["a statement must be a JSON object"]
        return self._check.errors(statement, self._seen, self._seen_shared, self._seen_scalars)
