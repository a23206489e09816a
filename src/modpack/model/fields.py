"""Where a definition names files: every value of a field marked :class:`NamesFiles`, found
by walking the model's own field types, never a list kept by hand.

The walk reads raw parsed data (so the checks still run when the schema check failed
elsewhere, and their diagnostics keep the data's paths for line numbers) or a model built in
code (what the packer reads). Both yield the same paths for the same content.
"""

from __future__ import annotations

import types
import typing
from functools import lru_cache
from typing import Any, Callable, Iterator, Union

from pydantic import BaseModel

from .common import NamesFiles

Path_ = tuple[Any, ...]
Found = list[tuple[Path_, str, str]]
# appends what it finds to a list, rather than yielding: a generator per level of nesting made
# each value found climb as many `yield from`s (a 2,000-page module has some 20,000 visits)
Visitor = Callable[[Any, Path_, Found], None]


def _get(data: Any, key: str, attribute: str) -> Any:
    if isinstance(data, dict):
        return data.get(key)
    return getattr(data, attribute, None) if isinstance(data, BaseModel) else None


def _strings(how: str) -> Visitor:
    """A marked field: a string, or a map (language -> string), or a list of those."""

    def visit(value: Any, path: Path_, out: Found) -> None:
        if isinstance(value, str):
            out.append((path, how, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(item, path + (key,), out)
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                visit(item, path + (i,), out)

    return visit


def _marker(metadata: Any) -> NamesFiles | None:
    return next((m for m in metadata if isinstance(m, NamesFiles)), None)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _discriminator(cls: type[BaseModel]) -> Any:
    """The value of a model's ``type: Literal[...]`` field, which picks it in a union."""
    field = cls.model_fields.get("type")
    if field is not None and typing.get_origin(field.annotation) is typing.Literal:
        return typing.get_args(field.annotation)[0]
    return None


def _models(members: list[type[BaseModel]]) -> Visitor:
    by_type = {_discriminator(m): m for m in members}

    def visit(value: Any, path: Path_, out: Found) -> None:
        if isinstance(value, BaseModel):
            _collect(type(value), value, path, out)
            return
        kind = value.get("type") if isinstance(value, dict) else None
        if isinstance(kind, str) and kind in by_type:
            _collect(by_type[kind], value, path, out)
            return
        # an unknown type is the schema check's to report; still check every field it may hold
        seen: set[Path_] = set()
        for cls in members:
            found: Found = []
            _collect(cls, value, path, found)
            for one in found:
                if one[0] not in seen:
                    seen.add(one[0])
                    out.append(one)

    return visit


def _visitor(tp: Any) -> Visitor | None:
    """How to find marked values in a value of type ``tp``; None when it can hold none."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        marker = _marker(tp.__metadata__)
        return _strings(marker.how) if marker else _visitor(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        members = [m for m in typing.get_args(tp) if m is not type(None)]
        if members and all(_is_model(m) for m in members) and len(members) > 1:
            return _models(members)
        visitors = [v for v in map(_visitor, members) if v is not None]
        if not visitors:
            return None
        return visitors[0] if len(visitors) == 1 else _first_of(visitors)
    if origin in (list, tuple, set, frozenset):
        inner = _visitor(typing.get_args(tp)[0]) if typing.get_args(tp) else None
        return _each(inner) if inner else None
    if origin is dict:
        inner = _visitor(typing.get_args(tp)[1]) if typing.get_args(tp) else None
        return _values(inner) if inner else None
    if _is_model(tp):
        return lambda value, path, out: _collect(tp, value, path, out)
    return None


def _first_of(visitors: list[Visitor]) -> Visitor:
    def visit(value: Any, path: Path_, out: Found) -> None:
        for visitor in visitors:
            visitor(value, path, out)

    return visit


def _each(inner: Visitor) -> Visitor:
    def visit(value: Any, path: Path_, out: Found) -> None:
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                inner(item, path + (i,), out)

    return visit


def _values(inner: Visitor) -> Visitor:
    def visit(value: Any, path: Path_, out: Found) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                inner(item, path + (key,), out)

    return visit


@lru_cache(maxsize=None)
def _plan(cls: type[BaseModel]) -> tuple[tuple[str, str, Visitor], ...]:
    """(key in the data, attribute name, visitor) for each field of ``cls`` that can name files."""
    plan = []
    for name, field in cls.model_fields.items():
        marker = _marker(field.metadata)
        visitor = _strings(marker.how) if marker else _visitor(field.annotation)
        if visitor is not None:
            plan.append((field.alias or name, name, visitor))
    return tuple(plan)


def model_files(cls: type[BaseModel], data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str, str]]:
    """(path, how, value) for every value of ``data`` (raw data or a ``cls``) that names files.

    ``how`` is "markdown" (Markdown text), "markdown-file" (a Markdown file) or "file" (a path).
    """
    found: Found = []
    _collect(cls, data, path, found)
    return iter(found)


def _collect(cls: type[BaseModel], data: Any, path: Path_, out: Found) -> None:
    for key, attribute, visitor in _plan(cls):
        value = _get(data, key, attribute)
        if value is not None:
            visitor(value, path + (key,), out)


def marked_fields(cls: type[BaseModel], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every marked field reachable from ``cls`` as a path of field names ('[]' for a list item,
    '{}' for a map value) and how it names files: what a test walks to cover every field."""
    yield from _marked(cls, prefix, frozenset())


def _marked(tp: Any, prefix: tuple[str, ...], seen: frozenset[Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        marker = _marker(tp.__metadata__)
        if marker:
            yield prefix, marker.how
        else:
            yield from _marked(typing.get_args(tp)[0], prefix, seen)
    elif origin in (Union, types.UnionType):
        for member in typing.get_args(tp):
            if member is not type(None):
                yield from _marked(member, prefix + ((f"<{_discriminator(member)}>",) if _is_model(member)
                                                      and _discriminator(member) else ()), seen)
    elif origin in (list, tuple, set, frozenset):
        yield from _marked(typing.get_args(tp)[0], prefix + ("[]",), seen)
    elif origin is dict:
        yield from _marked(typing.get_args(tp)[1], prefix + ("{}",), seen)
    elif _is_model(tp) and tp not in seen:
        for name, field in tp.model_fields.items():
            marker = _marker(field.metadata)
            key = (field.alias or name,)
            if marker:
                yield prefix + key, marker.how
            else:
                yield from _marked(field.annotation, prefix + key, seen | {tp})


def _models_in(tp: Any) -> list[type[BaseModel]]:
    """The model classes a value of type ``tp`` can be, through Optional, lists and maps."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType, list, tuple, set, frozenset, dict):
        args = typing.get_args(tp)
        if origin is dict:
            args = args[1:]
        return [m for arg in args for m in _models_in(arg)]
    return [tp] if _is_model(tp) else []


def field_at(cls: type[BaseModel], loc: tuple[Any, ...]) -> tuple[type[BaseModel], str | None]:
    """The model that holds the place ``loc`` (a pydantic error location) and the field named
    there (None when ``loc`` ends at the model itself): for suggestions and examples."""
    owner: type[BaseModel] = cls
    name: str | None = None
    candidates: list[type[BaseModel]] = [cls]
    for part in loc:
        if not isinstance(part, str):
            continue  # a list index
        by_tag = {_discriminator(m): m for m in candidates}
        if part in by_tag and len(candidates) > 1:
            owner, candidates, name = by_tag[part], [by_tag[part]], None
            continue
        fields = {f.alias or n: f for c in candidates for n, f in c.model_fields.items()}
        if part in fields:
            owner = next(c for c in candidates if part in {f.alias or n for n, f in c.model_fields.items()})
            name = part
            inner = _models_in(fields[part].annotation)
            if inner:
                candidates = inner
                if len(inner) == 1:
                    owner, name = inner[0], None
        # anything else: a language key of a text map, or a validator's name
    return owner, name
