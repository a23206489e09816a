"""Types shared by every part of the model: ids, language tags, language maps, paths."""

import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from functools import lru_cache

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..messages import clip, t

DEFAULT_LANGUAGE = "id-ID"

# The language a plain string stands for while a module or course is validated. A
# definition names its languages once; text fields may then be plain strings in the
# first of them instead of language maps, which keeps Indonesian-only modules short.
default_language: ContextVar[str] = ContextVar("modpack_default_language", default=DEFAULT_LANGUAGE)


class StrictModel(BaseModel):
    """Unknown fields are errors: a misspelt key must not be silently ignored."""

    # defer_build: a model's validator is made when first used; the nested ones inside Module's
    # are never built on their own, which halves start-up time.
    # allow_inf_nan: NaN and infinity are never a JP, a pass mark or an answer (JSON's NaN comes in as text)
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True, defer_build=True,
                              allow_inf_nan=False)


_SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def is_slug(value: object) -> bool:
    """Whether ``value`` is an id as ids are written (a slug)."""
    return isinstance(value, str) and len(value) <= 64 and bool(_SLUG.match(value))


def _check_slug(value: str) -> str:
    if len(value) > 64 or not _SLUG.match(value):
        lower = value.lower()
        if len(lower) <= 64 and _SLUG.match(lower):  # a capital from a word processor: say the id it means
            raise ValueError(t("'{value}' is not a valid id: ids are lowercase: write '{lower}'", value=value,
                               lower=lower))
        raise ValueError(t("'{value}' is not a valid id: use lowercase letters, digits and single hyphens, "
                           "starting with a letter, at most 64 characters (e.g. 'rujukan-terpadu')", value=value))
    return value


Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    Field(json_schema_extra={"pattern": _SLUG.pattern, "maxLength": 64}),
]
"""A stable identifier. Package, item and activity ids derive from it, so keep it across revisions."""

_TAG_SHAPE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@lru_cache(maxsize=256)
def _registered(tag: str) -> bool:
    """Whether every subtag of ``tag`` is in the IANA registry (langcodes ships a copy)."""
    if tag in ("id-ID", "en-US"):  # the two every module uses: valid, and no need to load the registry
        return True
    import langcodes  # loaded on first use: its registry costs tens of ms at start-up

    return langcodes.tag_is_valid(tag) and langcodes.Language.get(tag).is_valid()


def _check_language_tag(value: str) -> str:
    if "_" in value:
        raise ValueError(t("unknown language tag '{value}': BCP 47 tags use hyphens (e.g. '{suggestion}')",
                           value=value, suggestion=value.replace("_", "-")))
    if not _TAG_SHAPE.match(value) or not _registered(value):
        raise ValueError(t("unknown language tag '{value}': use a BCP 47 tag such as 'id-ID' or 'en-US'", value=value))
    return value


LanguageTag = Annotated[
    str,
    AfterValidator(_check_language_tag),
    Field(json_schema_extra={"pattern": _TAG_SHAPE.pattern}, examples=["id-ID", "en-US"]),
]

T = TypeVar("T")


def _plain_to_map(value: Any) -> Any:
    if isinstance(value, (str, list)):
        return {default_language.get(): value}
    return value


def _require_default(value: dict[str, Any]) -> dict[str, Any]:
    lang = default_language.get()
    if value and lang not in value:
        raise ValueError(t("no text in the module's default language '{lang}' (have: {have})", lang=lang, have=", ".join(value)))
    return value


NonEmptyText = Annotated[str, Field(min_length=1)]

LangText = Annotated[
    dict[LanguageTag, NonEmptyText],
    BeforeValidator(_plain_to_map, json_schema_input_type=str | dict[str, str]),
    AfterValidator(_require_default),
    Field(min_length=1),
]
"""Text in one or more languages: a plain string (the default language) or {tag: text}."""

LangList = Annotated[
    dict[LanguageTag, list[NonEmptyText]],
    BeforeValidator(_plain_to_map, json_schema_input_type=list[str] | dict[str, list[str]]),
]
"""A list of words in one or more languages, e.g. keywords: a plain list or {tag: [words]}."""


def _check_relative_path(value: str) -> str:
    if not value or value.strip() != value:
        raise ValueError(t("a file path must not be empty or start or end with spaces"))
    if "\\" in value:
        raise ValueError(t("'{value}': use '/' in paths, not '\\'", value=value))
    if value.startswith("/") or re.match(r"^[A-Za-z]:", value):
        raise ValueError(t("'{value}' is an absolute path: give a path inside the module folder", value=value))
    if ".." in value.split("/"):  # what PurePosixPath.parts holds, without making one per file
        raise ValueError(t("'{value}' leaves the module folder ('..'): keep every file inside it", value=value))
    return value


@dataclass(frozen=True)
class NamesFiles:
    """Marks a field whose value can name files of the module, and how.

    The file rule (modpack.files) and the packer find every such field by this mark, so a
    field added later is checked and packed without anyone remembering to list it.
    """

    how: str  # "markdown": Markdown text; "markdown-file": a Markdown file; "file": a file path


MARKDOWN = NamesFiles("markdown")
MARKDOWN_FILE = NamesFiles("markdown-file")
FILE = NamesFiles("file")

RelativePath = Annotated[str, AfterValidator(_check_relative_path), FILE]
"""A file inside the module folder, written with '/' (checked to exist when loading)."""

LangPath = Annotated[
    dict[LanguageTag, RelativePath],
    BeforeValidator(_plain_to_map, json_schema_input_type=str | dict[str, str]),
    AfterValidator(_require_default),
    Field(min_length=1),
]
"""A file per language: a plain path (the default language) or {tag: path}."""

Markdown = Annotated[LangText, MARKDOWN]
"""Markdown text in one or more languages; its images and links name files of the module."""

MarkdownFiles = Annotated[LangPath, MARKDOWN_FILE]
"""Markdown files, one per language; their images and links name files too."""

_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _check_url(value: str) -> str:
    if not _HTTP_URL.match(value):
        raise ValueError(t("'{value}' is not an http(s) URL", value=value))
    return value


HttpUrl = Annotated[str, AfterValidator(_check_url), Field(json_schema_extra={"format": "uri"})]

_VERSION = re.compile(r"^\d{1,9}(\.\d{1,9}){0,3}$")  # (a part of 5,000 digits made a zip name too long to write)


def _check_version(value: Any) -> Any:
    value = str(value) if isinstance(value, (int, float)) else value
    if isinstance(value, str) and not _VERSION.match(value):
        raise ValueError(t("'{value}' is not a version: use numbers and dots, e.g. '1.2.0'", value=clip(value)))
    return value


Version = Annotated[
    str,
    BeforeValidator(_check_version, json_schema_input_type=str),
    Field(json_schema_extra={"pattern": _VERSION.pattern}),
]
