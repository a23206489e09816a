"""Reading YAML and JSON definitions while remembering where every value stands.

PyYAML's composer (with libyaml's C parser when present) gives each node its line and
column; we construct plain data from the node tree ourselves so that each value's path
maps to its position. JSON is checked with the json module first, for JSON's own error
messages, then read through the same composer (JSON is YAML) for positions.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..messages import language, t, os_reason
from .diagnostics import Diagnostic, format_field
from .files import RefusedFile, read_regular

try:  # libyaml is several times faster; fall back quietly where it is not built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[object, ...]


@dataclass
class Source:
    """A parsed file: its data, and the position of every value and mapping key in it."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Where the text of a block scalar (| or >) begins: the line after its indicator.
    text_lines: dict[Path_, int] = field(default_factory=dict)
    # Numbers written with a dot between groups of three digits (2.000): YAML reads 2.0, where an
    # Indonesian author, who groups thousands with dots (Rp2.000), most likely meant 2000.
    dotted_numbers: dict[Path_, str] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """The position of ``path``, or of the nearest ancestor that exists."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def diagnostic(self, path: Path_, message: str, *, key: bool = False, **kw: Any) -> Diagnostic:
        line, column = self.position(path, key=key)
        return Diagnostic(self.file, line, column, format_field(path), message, **kw)


class _Constructor(yaml.constructor.SafeConstructor):
    pass


_STR_TAG = "tag:yaml.org,2002:str"
_BLOCK_STYLES = ("|", ">")  # a literal or folded scalar: where its text begins is kept (Source.text_lines)
_PLAIN_TAGS = {yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG}
MAX_FILE_BYTES = 64 * 1024 * 1024  # a definition file read at all (UTF-8: at least MAX_TEXT characters fit)
MAX_VALUES = 500_000  # a module is far smaller; aliases of aliases could otherwise expand without end
MAX_TEXT = 32 * 1024 * 1024  # characters of text, each alias use counted: what rendering and packaging repeat
_DOTTED = re.compile(r"[-+]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+")  # 2.000 or 1.500: thousands as Indonesian writes them
_AMOUNTS = frozenset({"correct", "min", "max"})  # numeric answers: where rupiah amounts are written
MAX_DEPTH = 64  # nesting levels; a module needs about ten, and the C composer recurses once per level


class _TooLarge(Exception):
    def __init__(self, what: str = "values") -> None:
        self.what = what


class _Deeper(Exception):
    """Values nested past MAX_DEPTH as built: the text itself, or only aliases, may be that deep."""


def _build(node: yaml.Node, path: Path_, src: Source, problems: list[Diagnostic], ctor: _Constructor,
           ancestors: frozenset[int] = frozenset(), budget: list[int] | None = None,
           depth: float = 0) -> Any:
    budget = budget if budget is not None else [MAX_VALUES, MAX_TEXT]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge()
    if isinstance(node, yaml.ScalarNode):
        budget[1] -= len(node.value)
        if budget[1] < 0:
            raise _TooLarge("characters")
    if id(node) in ancestors:
        mark = node.start_mark
        raise yaml.constructor.ConstructorError(None, None, t("an alias refers to a value that contains it"), mark)
    ancestors = ancestors | {id(node)} if not isinstance(node, yaml.ScalarNode) else ancestors
    src.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if not isinstance(node, yaml.ScalarNode):
        depth += 1
        if depth > MAX_DEPTH:
            raise _Deeper
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
        # e.g. !!python/object: never constructed, and not silently read as a plain list either
        raise yaml.constructor.ConstructorError(None, None, t("unsupported YAML tag {tag}", tag=repr(node.tag)),
                                               node.start_mark)
    if isinstance(node, yaml.MappingNode):
        ctor.flatten_mapping(node)  # resolves YAML merge keys (<<)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # plain text, nearly every key: its value as it stands, without the constructor's bookkeeping
            key = key_node.value if key_node.tag == _STR_TAG else ctor.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                problems.append(src.diagnostic(path, t("mapping keys must be plain text"), code="yaml-syntax"))
                continue
            key = str(key) if not isinstance(key, str) else key
            child = path + (key,)
            if key in out:
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                problems.append(Diagnostic(src.file, line, col, format_field(child),
                                           t("duplicate key '{key}' (the earlier value would be lost)", key=key),
                                           code="duplicate-key"))
                continue
            src.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if value_node.__class__ is yaml.ScalarNode and value_node.tag == _STR_TAG \
                    and value_node.style not in _BLOCK_STYLES:
                # plain text, most values: what _build does for it, without a call for each
                budget[0] -= 1
                budget[1] -= len(value_node.value)
                if budget[0] < 0 or budget[1] < 0:
                    raise _TooLarge() if budget[0] < 0 else _TooLarge("characters")
                mark = value_node.start_mark
                src.positions[child] = (mark.line + 1, mark.column + 1)
                out[key] = value_node.value
                continue
            out[key] = _build(value_node, child, src, problems, ctor, ancestors, budget, depth)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), src, problems, ctor, ancestors, budget, depth)
                for i, item in enumerate(node.value)]
    if getattr(node, "style", None) in _BLOCK_STYLES:
        src.text_lines[path] = node.start_mark.line + 2
    if node.tag == _STR_TAG:  # what SafeConstructor would return, without its bookkeeping
        return node.value
    try:
        value = ctor.construct_object(node, deep=True)
    except ValueError:  # e.g. an integer of more than 4,300 digits, which Python refuses to read
        problems.append(src.diagnostic(path, t("'{start}...' is a number too large to read ({digits} digits)",
                                               start=node.value[:12], digits=len(node.value)), code="yaml-number"))
        return None
    if isinstance(value, float) and path and path[-1] in _AMOUNTS and _DOTTED.fullmatch(node.value):
        src.dotted_numbers[path] = node.value
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(src.diagnostic(path, t("'{value}' is not a finite number: write a number such as 70",
                                               value=node.value), code="yaml-number"))
        return None
    # Dates and times stay text: the model decides what a field means, not YAML 1.1's guesses.
    if node.tag.endswith((":timestamp", ":binary")):
        return node.value
    return value


# PyYAML's own words for the problems authors meet most, in Indonesian; others stay as it says.
_YAML_ID = {
    "mapping values are not allowed here": "nilai pemetaan tidak boleh di sini (titik dua di tempat yang salah? "
                                           "beri tanda kutip pada teks yang memuat ': ')",
    "could not find expected ':'": "tidak menemukan ':' yang diharapkan",
    "while scanning a simple key": "saat membaca sebuah kunci",
    "while parsing a block mapping": "saat membaca sebuah pemetaan",
    "expected <block end>, but found '-'": "diharapkan akhir blok, tetapi ditemukan '-' (indentasi tidak rata?)",
    "while parsing a block collection": "saat membaca sebuah daftar",
    "found character '\\t' that cannot start any token": "ditemukan karakter tab: gunakan spasi untuk indentasi",
    "while scanning for the next token": "saat membaca token berikutnya",
    "found undefined alias": "ditemukan alias yang tidak didefinisikan",
    "while parsing a flow sequence": "saat membaca daftar dalam kurung siku",
    "while parsing a flow mapping": "saat membaca pemetaan dalam kurung kurawal",
    "expected ',' or ']', but got '<stream end>'": "diharapkan ',' atau ']', tetapi berkas berakhir",
    "expected ',' or '}', but got '<stream end>'": "diharapkan ',' atau '}', tetapi berkas berakhir",
    "while scanning a quoted scalar": "saat membaca teks bertanda kutip",
    "found unexpected end of stream": "berkas berakhir tiba-tiba",
    # libyaml's words (the C parser modpack reads with) for the same mistakes
    "mapping values are not allowed in this context": "nilai pemetaan tidak boleh di sini (titik dua di tempat yang "
                                                      "salah? beri tanda kutip pada teks yang memuat ': ')",
    "found character that cannot start any token": "ditemukan karakter yang tidak dapat memulai apa pun (tab? gunakan "
                                                   "spasi untuk indentasi)",
    "did not find expected '-' indicator": "tidak menemukan tanda '-' yang diharapkan (indentasi tidak rata?)",
    "did not find expected key": "tidak menemukan kunci yang diharapkan (indentasi tidak rata?)",
    "did not find expected ',' or ']'": "tidak menemukan ',' atau ']' yang diharapkan",
    "did not find expected ',' or '}'": "tidak menemukan ',' atau '}' yang diharapkan",
    "while scanning a plain scalar": "saat membaca teks",
    "found a tab character that violates indentation": "ditemukan karakter tab yang merusak indentasi: gunakan spasi",
    "while parsing a block sequence": "saat membaca sebuah daftar",
}
# The hints an author needs in English too, for libyaml's words of the commonest mistakes.
_YAML_EN_HINTS = {
    "mapping values are not allowed in this context": " (a colon in the wrong place? put quotes around text that holds "
                                                      "': ')",
    "found character that cannot start any token": " (a tab? indent with spaces)",
    "did not find expected '-' indicator": " (uneven indentation?)",
    "did not find expected key": " (uneven indentation?)",
    "found a tab character that violates indentation": " (indent with spaces)",
}


def _yaml_words(text: str) -> str:
    if language() != "id":
        return text + _YAML_EN_HINTS.get(text, "")
    found = _YAML_ID.get(text)
    if found is None and text.startswith("found undefined alias"):
        found = _YAML_ID["found undefined alias"] + text[len("found undefined alias"):]
    return found or text


def _syntax_error(file: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    message = " ".join(_yaml_words(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
    return Diagnostic(file, line, col, "", t("YAML syntax: {problem}", problem=message), code="yaml-syntax")


def _too_deep(text: str, file: str) -> Diagnostic | None:
    """A diagnostic if the text nests deeper than MAX_DEPTH, found from the parser's events alone
    (which keep no recursion), before anything recursive reads it."""
    def said(mark: Any) -> Diagnostic:  # a Mark of the Python or the C parser
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        return Diagnostic(file, line, column, "", t("the values nest more than {limit} levels deep; a module or course "
                                                    "definition needs about ten", limit=MAX_DEPTH), code="yaml-syntax")

    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return said(event.start_mark)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml has a nesting limit of its own (1000), met while it scans ahead in flow style
        if "nesting depth" in str(exc.problem or ""):
            return said(exc.problem_mark)
        return None  # a syntax error: the parse proper reports it, with its words
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


# The structural start of a line: indentation, and the indicators ('- ', '? ', ': ') and node
# properties (&anchor, !tag) before its first content.
_LINE_START = re.compile(r"^(?:[ \t]|[-?:](?=[ \t\n]|$)|[&!][^ \t\n]*(?=[ \t\n]|$))*", re.M)
# line breaks to YAML 1.1 that ^ does not see, and a BOM, which libyaml skips at any line's start
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\ufeff")


def block_depth_bound(text: str) -> int:
    """A bound on how deep the block collections of a YAML text can nest, in one regular-expression
    pass. Each level starts at a column within its line's structural start (_LINE_START), at least
    one column right of its parent's, but for a sequence under a mapping key, which may share its
    column: at most twice the widest structural start, plus one."""
    if any(brk in text for brk in _OTHER_BREAKS):
        return MAX_DEPTH + 1  # lines the pattern would not see: the exact pass decides
    widest = max(map(len, _LINE_START.findall(text)), default=0)
    return 2 * (widest + 1)


def _libyaml_caps_flow() -> bool:
    """Whether the C parser refuses collections nested a thousand deep, flow and block alike
    (libyaml 0.2.5 on): then the C composer's recursion is bounded whatever the bound above
    misses. Asked once."""
    global _FLOW_CAPPED
    if _FLOW_CAPPED is None:
        _FLOW_CAPPED = False
        if getattr(yaml, "__with_libyaml__", False) and _Loader is getattr(yaml, "CSafeLoader", None):
            refused = 0
            for deep in ("[" * 1500 + "]" * 1500, "- " * 1500 + "x"):
                loader = _Loader(deep)
                try:
                    loader.get_single_node()
                except yaml.YAMLError:
                    refused += 1
                finally:
                    loader.dispose()
            _FLOW_CAPPED = refused == 2
    return _FLOW_CAPPED


_FLOW_CAPPED: bool | None = None


def _exact_depth_pass_needed(text: str, json_syntax: bool) -> bool:
    """Whether _too_deep must read the text's events before it is composed. Not when the C composer
    cannot recurse far (block nesting bounded by the text's indentation, flow by libyaml): then
    the depth is counted as the values are built, and only a text built deeper than MAX_DEPTH is
    read again by _too_deep, whose finding decides (aliases can build deeper than the text is)."""
    return json_syntax or block_depth_bound(text) > MAX_DEPTH or not _libyaml_caps_flow()


def parse_text(text: str, file: str, *, json_syntax: bool = False) -> tuple[Source | None, list[Diagnostic]]:
    """Parse YAML (or JSON) text. Returns the source, or None with the syntax diagnostics."""
    if len(text) > MAX_TEXT:
        return None, [Diagnostic(file, 1, 1, "", t("the file holds more than {limit} characters; a module definition "
                                                   "is far smaller (long text belongs in Markdown files)",
                                                   limit=f"{MAX_TEXT:,}"), code="too-large")]
    exact = _exact_depth_pass_needed(text, json_syntax)
    deep = _too_deep(text, file) if exact else None
    if deep is not None:
        return None, [deep]
    if json_syntax:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return None, [Diagnostic(file, exc.lineno, exc.colno, "", t("JSON syntax: {problem}", problem=exc.msg),
                                     code="json-syntax")]
    src = Source(file, None)
    problems: list[Diagnostic] = []
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        deep = None if exact else _too_deep(text, file)  # as before: a text too deep is told so first
        if deep is not None:
            return None, [deep]
        if isinstance(exc, yaml.MarkedYAMLError):
            return None, [_syntax_error(file, exc)]
        if isinstance(exc, yaml.reader.ReaderError) and exc.position >= 0:  # a control character, raw
            # libyaml counts bytes of UTF-8, Python's reader characters
            before = text.encode("utf-8")[:exc.position].decode("utf-8", "ignore") \
                if _Loader is getattr(yaml, "CSafeLoader", None) else text[:exc.position]
            line = before.count("\n") + 1
            column = len(before) - (before.rfind("\n") + 1) + 1
            return None, [Diagnostic(file, line, column, "", _control_character(exc.character),
                                     code="control-character")]
        return None, [Diagnostic(file, None, None, "", t("YAML syntax: {problem}", problem=exc), code="yaml-syntax")]
    if node is None:
        return None, [Diagnostic(file, 1, 1, "", t("the file is empty"), code="empty")]
    try:
        try:
            src.data = _build(node, (), src, problems, _Constructor(), depth=-math.inf if exact else 0)
        except _Deeper:  # deeper as built than MAX_DEPTH: the text, or only its aliases?
            deep = _too_deep(text, file)
            if deep is not None:
                return None, [deep]
            src, problems = Source(file, None), []
            src.data = _build(node, (), src, problems, _Constructor(), depth=-math.inf)
    except (yaml.MarkedYAMLError, _TooLarge, RecursionError) as exc:
        deep = None if exact else _too_deep(text, file)  # as before: a text too deep is told so first
        if deep is not None:
            return None, [deep]
        if isinstance(exc, yaml.MarkedYAMLError):  # e.g. an unknown tag such as !!python/object
            return None, [_syntax_error(file, exc)]
        if isinstance(exc, _TooLarge):
            limit = f"{MAX_VALUES:,}" if exc.what == "values" else f"{MAX_TEXT:,}"
            what = t("values") if exc.what == "values" else t("characters of text")
            return None, [Diagnostic(file, 1, 1, "", t("the file expands to more than {limit} {what} (aliases of "
                                                       "aliases?); a module definition is far smaller", limit=limit,
                                                       what=what), code="yaml-syntax")]
        # RecursionError: cannot happen below MAX_DEPTH; kept so that no input ends in a traceback
        return None, [Diagnostic(file, 1, 1, "", t("the values nest more than {limit} levels deep; a module or course "
                                                   "definition needs about ten", limit=MAX_DEPTH), code="yaml-syntax")]
    if "\\" in text:  # only an escape ("\\x0b", "\\0", "\\u001b") makes what the parser refuses written raw
        problems += control_characters(src)
    return src, problems


# what no XML file (a manifest, a descriptor) can hold: control characters but tab and line ends,
# U+FFFE, U+FFFF and halves of surrogate pairs (XML 1.0, Char); lxml refuses them, so the build failed
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _control_character(code: object) -> str:
    return t("holds the control character U+{code}, which no package file can hold: remove it",
             code=f"{code:04X}" if isinstance(code, int) else "?")


def control_characters(src: Source) -> list[Diagnostic]:
    """An error at each text value (or key) holding a character no package file can hold."""
    found: list[Diagnostic] = []
    todo: list[tuple[Path_, Any]] = [((), src.data)]
    while todo:  # (no recursion: values nest as deep as the reader allows)
        path, value = todo.pop()
        if isinstance(value, dict):
            todo += [(path + (key,), item) for key, item in value.items()]
            texts = [(path + (key,), key) for key in value if isinstance(key, str)]
        elif isinstance(value, list):
            todo += [(path + (i,), item) for i, item in enumerate(value)]
            continue
        else:
            texts = [(path, value)] if isinstance(value, str) else []
        for where, text in texts:
            bad = _UNWRITABLE.search(text)
            if bad is not None:
                found.append(src.diagnostic(where, _control_character(ord(bad.group())), code="control-character"))
    found.sort(key=lambda d: (d.line or 0, d.column or 0))
    return found


def read_source(path: Path, display: str | None = None) -> tuple[Source | None, list[Diagnostic]]:
    """Read and parse a YAML or JSON file; never raises for bad input."""
    file = display or str(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except RefusedFile as exc:
        return None, [Diagnostic(file, None, None, "", t("cannot read the file: it {reason}", reason=exc.reason),
                                 code=exc.code)]
    except OSError as exc:
        return None, [Diagnostic(file, None, None, "", t("cannot read the file: {reason}", reason=os_reason(exc)),
                                 code="unreadable")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Diagnostic(file, line, None, "", t("the file is not valid UTF-8 text"), code="encoding")]
    return parse_text(text, file, json_syntax=path.suffix.lower() == ".json")
