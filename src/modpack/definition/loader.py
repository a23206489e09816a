"""Load a module or course definition from disk into the model, collecting every problem.

The pipeline: read the file with positions (source) -> validate into the model, turning
each pydantic error into a located diagnostic -> run the rules a schema cannot express
(checks) -> attach the modules of a course.
"""

from __future__ import annotations

import errno
import json
import os
import re
import threading
import typing
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from . import checks
from .files import PageTexts
from .diagnostics import Diagnostic, InvalidDefinition, Severity, errors, format_field, sort_key
from ..messages import clip, did_you_mean, one_of, t
from ..model import QUESTION_TYPES, Course, Module
from ..model.fields import field_at
from ..model.module import DEFAULT_IRI_BASE
from .locate import DEFINITION_NAMES, find_definition, is_course
from .source import Source, control_characters, read_source

def _display(path: Path) -> str:
    """Paths in messages as the user would type them: relative to the working folder."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith(".." + os.sep + "..") else str(path)


_BOUNDS = {
    "less_than_equal": ("must be at most {limit}", "le"),
    "less_than": ("must be less than {limit}", "lt"),
    "greater_than_equal": ("must be at least {limit}", "ge"),
    "greater_than": ("must be more than {limit}", "gt"),
}
# What authors write for a question type, in Indonesian or from other tools: only to suggest.
_QUESTION_ALIASES = {"pilihan-ganda": "single-choice", "multiple-choice": "single-choice", "mcq": "single-choice",
                     "benar-salah": "true-false", "true-or-false": "true-false", "isian": "fill-in",
                     "menjodohkan": "matching", "urutan": "ordering", "angka": "numeric", "checkbox": "multiple-response",
                     "kelompokkan": "categorize", "pengelompokan": "categorize", "sorting": "categorize"}
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # Rp1.500.000 or 2.000,50: thousands grouped with dots
_YES = {"ya", "yes", "benar", "betul", "y", "on", "1"}
_NO = {"tidak", "no", "salah", "n", "off", "0", "bukan"}


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return clip(text if len(text) <= 60 else text[:57] + "...", 80)  # (clip: on one line)


def _example(model: type[BaseModel], name: str | None, kind: str, value: Any) -> str:
    """The accepted form of a field, e.g. 'pass_mark: 70' for an input of '70%'."""
    field = model.model_fields.get(name or "") if name else None
    key = name or "..."
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        found = None
        if not isinstance(value, (int, float)):
            grouped = _GROUPED.search(str(value))
            found = grouped.group().replace(".", "") if grouped else None
            found = found or (_NUMBER.search(str(value)) or [None])[0]
        number: Any = float(found.replace(",", ".")) if found else value if isinstance(value, (int, float)) else None
        if number is None:
            default = field.default if field is not None else None
            number = default if isinstance(default, (int, float)) and not isinstance(default, bool) else 1
        if kind.startswith("int"):
            number = round(number)
        if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
            number = int(number)  # 10000000, not 1e+07
        return f"{key}: {number:g}" if isinstance(number, float) else f"{key}: {number}"
    if kind in ("bool_parsing", "bool_type"):
        word = str(value).strip().lower()
        return f"{key}: {'false' if word in _NO else 'true'}"
    if kind == "list_type":
        return f"{key}: [{_shown(value) if isinstance(value, str) else '...'}]"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{key}: {{...}}"
    return f"{key}: ..."


def _owner(root: Any, loc: tuple[Any, ...]) -> tuple[type[BaseModel], str | None]:
    """The model holding ``loc`` below ``root``: a model class, or a union picked by its tag."""
    if isinstance(root, type) and issubclass(root, BaseModel):
        return field_at(root, loc)
    members = {typing.get_args(m.model_fields["type"].annotation)[0]: m for m in typing.get_args(typing.get_args(root)[0])}
    if loc and loc[0] in members:
        return field_at(members[loc[0]], loc[1:])
    first = next(iter(members.values()))
    return first, None


def _schema_message(err: dict[str, Any], loc: tuple[Any, ...], root: Any = None) -> tuple[str, str]:
    """Our words for one pydantic error (never its own text), and the diagnostic code."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if root is None:
        root = Module if not loc or loc[0] != "modules" else Course
    owner, name = _owner(root, loc)
    if kind == "missing":
        return t("required field '{name}' is missing", name=loc[-1] if loc else ""), "schema"
    if kind == "extra_forbidden":
        unknown = str(loc[-1]) if loc else ""
        fields = [f.alias or n for n, f in owner.model_fields.items()]
        hint = did_you_mean(unknown, fields)
        if hint:
            return t("unknown field '{name}'", name=unknown) + hint, "unknown-field"
        return t("unknown field '{name}' (fields here: {fields})", name=unknown, fields=", ".join(fields)), "unknown-field"
    if kind == "value_error":
        return str(ctx.get("error", "")), "schema"
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag", ""))
        hint = did_you_mean(_QUESTION_ALIASES.get(tag.lower(), tag), QUESTION_TYPES)
        return t("unknown question type '{value}'{hint} (types: {choices})", value=tag, hint=hint,
                 choices=", ".join(QUESTION_TYPES)), "schema"
    if kind == "union_tag_not_found":
        return t("a question needs a 'type': one of {choices}", choices=", ".join(QUESTION_TYPES)), "schema"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return t("'{value}' is not one of {choices}", value=_shown(value), choices=one_of(expected)) \
            + did_you_mean(str(value), expected), "schema"
    if kind in ("too_short", "too_long"):
        size = ctx.get("min_length" if kind == "too_short" else "max_length")
        if kind == "too_short" and size == 1:
            return t("must not be empty"), "schema"
        template = "needs at least {count} items" if kind == "too_short" else "holds at most {count} items"
        return t(template, count=size), "schema"
    if kind in _BOUNDS:
        template, key = _BOUNDS[kind]
        limit = ctx.get(key)
        return t(template, limit=f"{limit:g}" if isinstance(limit, float) else limit), "schema"
    if kind == "finite_number":
        return t("'{value}' is not a finite number: write a number such as 70", value=_shown(value)), "schema"
    if kind in ("float_parsing", "float_type"):
        return t("'{value}' is not a number: write it as {example}", value=_shown(value),
                 example=_example(owner, name, kind, value)), "schema"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return t("'{value}' is not a whole number: write it as {example}", value=_shown(value),
                 example=_example(owner, name, kind, value)), "schema"
    if kind in ("bool_parsing", "bool_type"):
        return t("'{value}' is not true or false: write it as {example}", value=_shown(value),
                 example=_example(owner, name, kind, value)), "schema"
    if kind == "string_type":
        if loc and isinstance(loc[-1], str) and "-" in loc[-1] and name is None:
            return t("must be text, or a map of language to text (e.g. id-ID: ..., en-US: ...)"), "schema"
        return t("must be text, e.g. {example}", example=f"{name or '...'}: ..."), "schema"
    if kind == "list_type":
        return t("must be a list, e.g. {example}", example=_example(owner, name, kind, value)), "schema"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return t("must be a mapping of fields, e.g. {example}", example=_example(owner, name, kind, value)), "schema"
    if kind == "string_pattern_mismatch" and name == "email":
        return t("'{value}' is not an e-mail address", value=_shown(value)), "schema"
    return t("this value is not accepted here ({kind})", kind=kind), "schema"


def _schema_diagnostics(src: Source, exc: ValidationError, root: Any = None) -> list[Diagnostic]:
    found = []
    for err in exc.errors(include_url=False):
        path: list[Any] = []
        node: Any = src.data
        at_key = False
        for part in err["loc"]:
            if part == "[key]":
                at_key = True
                break
            if isinstance(node, dict) and part in node:
                node = node[part]
                path.append(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                path.append(part)
            # anything else is a union tag or a validator's name: not a place in the file
        message, code = _schema_message(dict(err), tuple(err["loc"]), root)
        if err["type"] == "missing":
            line, col = src.position(tuple(path))
            found.append(Diagnostic(src.file, line, col, format_field([*path, err["loc"][-1]]), message, code=code))
            continue
        line, col = src.position(tuple(path), key=at_key or err["type"] == "extra_forbidden")
        found.append(Diagnostic(src.file, line, col, format_field(path), message, code=code))
    return found


def _not_said_before(found: list[Diagnostic], schema_problems: list[Diagnostic]) -> list[Diagnostic]:
    """Schema diagnostics, less those about a value the reader already refused (a number too large
    to read, NaN): the reader said why, and the schema would only add that the value is missing."""
    refused = {(d.line, d.column) for d in found if d.code == "yaml-number"}
    return [d for d in schema_problems if (d.line, d.column) not in refused]


_FIRST_USE = threading.Lock()


def _validate(model: type[BaseModel], src: Source) -> tuple[Any, list[Diagnostic]]:
    if not isinstance(src.data, dict):
        return None, [src.diagnostic((), t("the file must hold a mapping of fields (e.g. 'id: ...')"), code="schema")]
    if not model.__pydantic_complete__:
        # the validator is made on first use (defer_build): once, not by each thread reading a
        # course's modules at the same moment (a tenth of a second each)
        with _FIRST_USE:
            if not model.__pydantic_complete__:
                model.model_rebuild()
    try:
        return model.model_validate(src.data), []
    except ValidationError as exc:
        return None, _schema_diagnostics(src, exc, model)


def _dotted_number_warnings(src: Source) -> list[Diagnostic]:
    """2.000 is two in YAML, and two thousand to an author who writes Rp2.000: say which was read."""
    return [src.diagnostic(path, t("'{text}' is read as {value} (in YAML the dot is a decimal point): if you mean "
                                   "{whole}, write {whole}", text=text, value=f"{float(text):g}",
                                   whole=text.replace(".", "")),
                           severity=Severity.WARNING, code="dotted-number")
            for path, text in src.dotted_numbers.items()]


def _module_warnings(src: Source, module: Module) -> list[Diagnostic]:
    found = []
    if module.iri_base is None:
        found.append(src.diagnostic(("id",), t("no iri_base: activity ids will use the placeholder {placeholder}",
                                              placeholder=DEFAULT_IRI_BASE),
                                    severity=Severity.WARNING, code="no-iri-base"))
    session_jp = sum(s.jp for s in module.facilitated_sessions)
    if module.facilitated_sessions and abs(session_jp - module.workload.facilitated_jp) > 1e-9:
        found.append(src.diagnostic(("workload", "facilitated_jp"),
                                    t("facilitated_jp is {declared} but the facilitated sessions add up to {total} JP",
                                      declared=f"{module.workload.facilitated_jp:g}", total=f"{session_jp:g}"),
                                    severity=Severity.WARNING, code="workload-mismatch"))
    tests: list[tuple[tuple[Any, ...], Any]] = [(("pre_test",), module.pre_test), (("post_test",), module.post_test)]
    tests += [(("lessons", i, "quiz"), lesson.quiz) for i, lesson in enumerate(module.lessons)]
    for path, test in tests:
        if test is not None and 0 < test.pass_mark < 1:  # a fraction where a percentage is meant
            found.append(src.diagnostic((*path, "pass_mark"),
                                        t("pass_mark is a percentage: {value} passes with under 1% right; write "
                                          "{percent} for {percent}%", value=f"{test.pass_mark:g}",
                                          percent=f"{test.pass_mark * 100:g}"),
                                        severity=Severity.WARNING, code="pass-mark"))
    return found


def _why_missing(path: Path) -> str:
    """Why ``path`` is not there: gone, or a loop of symbolic links (which leads nowhere)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return t("is a loop of symbolic links: it leads to no file or folder")
    return t("no such file or folder")


def read_module(path: str | os.PathLike[str]) -> tuple[Module | None, list[Diagnostic]]:
    """Load one module (its folder or its definition file). Never raises for bad input."""
    path = Path(path)
    file = find_definition(path)
    if file is None:
        return None, [Diagnostic(_display(path), None, None, "",
                                 t("no module definition here: expected one of {names}", names=", ".join(DEFINITION_NAMES)),
                                 code="not-found")]
    if not file.exists():
        return None, [Diagnostic(_display(file), None, None, "", _why_missing(file), code="not-found")]
    src, found = read_source(file, _display(file))
    if src is None:
        return None, found
    module, schema_problems = _validate(Module, src)
    found += _not_said_before(found, schema_problems)
    found += _dotted_number_warnings(src)
    found += checks.cross_references(src)
    root = file.parent
    texts = PageTexts()
    found += checks.files(src, root, _display(root), texts)
    if module is not None:
        module._root = root.resolve()
        module._page_texts = texts
        found += _module_warnings(src, module)
    found.sort(key=sort_key)
    return (module if not errors(found) else None), found


ModuleReader = Callable[[list[Path]], list[tuple["Module | None", list[Diagnostic]]]]


def read_modules(folders: list[Path]) -> list[tuple[Module | None, list[Diagnostic]]]:
    return [read_module(folder) for folder in folders]


def read_course(path: str | os.PathLike[str], reader: ModuleReader = read_modules) -> tuple[Course | None, list[Diagnostic]]:
    """Load a course file and every module it lists. Never raises for bad input.

    ``reader`` loads the module folders (in order); a builder may pass one that reads them in
    parallel and starts on each module's package as soon as it is valid.
    """
    file = find_definition(Path(path)) or Path(path)
    src, found = read_source(file, _display(file))
    if src is None:
        return None, found
    course, found_schema = _validate(Course, src)
    found += _not_said_before(found, found_schema)
    found += _dotted_number_warnings(src)
    modules, of_modules = [], []
    paths = src.data.get("modules") if isinstance(src.data, dict) else None
    folders: list[tuple[int, Path]] = []
    listed: dict[Path, tuple[int, str]] = {}  # folder -> its first listing
    for i, entry in enumerate(paths if isinstance(paths, list) else []):
        if not isinstance(entry, str):
            continue
        folder = file.parent / entry
        if folder.name in DEFINITION_NAMES and folder.is_file():
            found.append(src.diagnostic(("modules", i), t("'{entry}' is a module's definition file: list its folder, "
                                                          "'{folder}'", entry=entry,
                                                          folder=str(Path(entry).parent)), code="missing-file"))
            continue
        if not folder.is_dir() or find_definition(folder) is None:
            found.append(src.diagnostic(("modules", i), t("no module definition in '{entry}'", entry=entry),
                                        code="missing-file"))
            continue
        resolved = folder.resolve()
        if resolved in listed:  # read once, not once per listing (2,000 listings took 20 s)
            earlier, earlier_entry = listed[resolved]
            if earlier_entry != entry:  # the same text is said by the schema check
                found.append(src.diagnostic(("modules", i), t("'{entry}' is the module folder of modules[{index}] "
                                                              "('{first}') again", entry=entry, index=earlier,
                                                              first=earlier_entry), code="duplicate-id"))
            continue
        listed[resolved] = (i, entry)
        folders.append((i, folder))
    for (i, _), (module, module_found) in zip(folders, reader([folder for _, folder in folders])):
        of_modules += module_found
        if module is not None:
            modules.append((i, module))
    first: dict[str, int] = {}
    for i, module in modules:
        if module.id in first:
            found.append(src.diagnostic(("modules", i), t("module id '{value}' is also the id of modules[{index}]",
                                                          value=module.id, index=first[module.id]),
                                        code="duplicate-id"))
        first.setdefault(module.id, i)
    if course is not None:
        course._modules = [module for _, module in modules]
    # The course file's own problems first, then each module's, in study order.
    found = sorted(found, key=sort_key) + of_modules
    return (course if not errors(found) else None), found


def read(path: str | os.PathLike[str]) -> tuple[Module | Course | None, list[Diagnostic]]:
    """The module or course at ``path`` (None when it has errors) and every diagnostic. Never raises."""
    return read_course(path) if is_course(path) else read_module(path)


def validate(path: str | os.PathLike[str]) -> list[Diagnostic]:
    """Every problem in a module or course definition, errors and warnings, in file order."""
    return (read_course(path) if is_course(path) else read_module(path))[1]


def load(path: str | os.PathLike[str]) -> Module | Course:
    """Load a module or course; raises :class:`InvalidDefinition` (with every diagnostic) if it has errors."""
    result, found = read_course(path) if is_course(path) else read_module(path)
    if result is None:
        raise InvalidDefinition(found)
    return result


def revalidate(module: Module) -> tuple[Module | None, list[Diagnostic]]:
    """The module as it is now, checked from scratch: the schema, the rules beyond it, the files.

    A model is plain data that a caller may change (pydantic does not check assignments), so a
    build never trusts an earlier check: it packs this fresh copy, or nothing. Positions are
    unknown here, so each diagnostic names the field only.
    """
    src = Source(f"<module {module.id}>", module.model_dump(mode="json", by_alias=True, exclude_none=True))
    fresh, found = _validate(Module, src)
    found += [*checks.cross_references(src), *control_characters(src)]
    texts = PageTexts()
    if module.root is not None:
        found += checks.files(src, module.root, str(module.root), texts)
    found = [Diagnostic(d.file, None, None, d.field, d.message, d.severity, d.code) for d in found]
    if fresh is None or errors(found):
        return None, found
    fresh._root = module.root
    fresh._page_texts = texts
    return fresh, found


def check_model(module: Module) -> list[Diagnostic]:
    """Every problem of a module as it is now (built in code, or loaded and then changed)."""
    return revalidate(module)[1]
