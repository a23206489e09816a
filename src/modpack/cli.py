"""The command line: parses arguments, calls the library, prints. No work happens here.

Exit codes, one meaning each across every command (docs/cli.md): 0 success; 1 findings (the
command ran and reports problems in what it judged); 2 invalid input or a usage mistake;
3 a package whose descriptor fails its official schema; 70 an internal error (a bug); 130
interrupted by Ctrl+C.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sys
from typing import TYPE_CHECKING, Any, Callable, NoReturn

import click


class _Later:
    """A module imported on first attribute access."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name), attribute)


from . import __version__, messages, signals
from .definition.diagnostics import Diagnostic, InvalidDefinition, Severity, errors, warnings

if TYPE_CHECKING:
    from .definition import loader, schema, starter
    from .package import builder
else:  # imported when a command first uses them: `modpack --version` and `check` start fast
    builder, loader, schema, starter = (_Later(f"modpack.{name}") for name in (
        "package.builder", "definition.loader", "definition.schema", "definition.starter"))
from .credentials import redact
from .messages import t, os_reason
from .package.formats import DEFAULT_FORMAT, BuildError, formats_of
from .package.presets import PRESETS

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2
EXIT_PACKAGE_INVALID = 3
EXIT_INTERNAL = 70  # EX_SOFTWARE in sysexits.h
EXIT_INTERRUPTED = 130  # Ctrl+C: 128 + SIGINT, as shells count it (click's 1 would read as findings)


# What a terminal would act on instead of showing: C0 controls but tab and newline (ESC starts ANSI
# sequences that recolour, move the cursor or retitle the window), DEL, C1 controls, and the bidi
# overrides and isolates that reorder a line as it is shown ("Trojan Source"), and the Unicode line
# and paragraph separators. Names, titles and values from a package, a definition or an LRS pass
# through here before they are printed.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: str, json_text: bool = False) -> str:
    """``text`` with every character a terminal would act on written as an escape (\\x1b, \\u202e);
    in JSON output as a JSON escape (\\u001b), so the JSON stays valid."""
    if json_text:
        return _UNSHOWABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return _UNSHOWABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                           else f"\\u{ord(m.group()):04x}", text)


def _echo(message: Any = None, err: bool = False, nl: bool = True, json_text: bool = False) -> None:
    """click.echo, with what the message quotes from outside made harmless to the terminal."""
    click.echo(shown(redact(str(message)), json_text) if message is not None else None, err=err, nl=nl)


def _credentials(command: str, file: str | None, wanted: bool = True) -> str | None:
    """The LRS credentials (see xapi.send.credentials_from), or exit 2 with why they cannot be used."""
    if not wanted:
        return None
    from .xapi.send import SendError, credentials_from

    try:
        return credentials_from(file=file)
    except SendError as exc:
        _echo(f"modpack {command}: {exc}", err=True)
        sys.exit(EXIT_INVALID)


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a bug into a one-line message and exit 1: a user never sees a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # e.g. `modpack info x.zip | head`: the reader left, which is fine
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            came = signals.came()
            if came is not None:  # Ctrl+C, a kill or a hang-up that a library turned into an error of its own
                raise (click.Abort() if came == signals.SIGINT else signals.Signalled(came)) from None
            _echo(t("modpack: internal error: {kind}: {detail}", kind=type(exc).__name__, detail=exc), err=True)
            _echo(t("Please report this with the command you ran."), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        messages.use(value)


def _language_asked(args: list[str], group: bool) -> None:
    """The --lang of a command line, taken before anything else is: `--help --lang en` is help in
    English (click acts on --help, eager, as soon as it meets it). A group looks at its own
    options only, before its command's name."""
    for at, arg in enumerate(args):
        if arg == "--" or (group and not arg.startswith("-")):
            return
        value = arg[len("--lang="):] if arg.startswith("--lang=") else \
            args[at + 1] if arg == "--lang" and at + 1 < len(args) else None
        if value in ("id", "en"):
            messages.use(value)


def _lang_option() -> click.Option:
    return click.Option(["--lang"], type=click.Choice(["id", "en"]), expose_value=False, is_eager=True,
                        callback=_choose_language,
                        help="Language of messages: id (Indonesian, the default) or en. Also MODPACK_LANG or the locale.")


class _FiniteRange(click.FloatRange):
    """click's FloatRange, which lets 'nan' through (every comparison with it is false) and 'inf'
    past a range with no top: a size or a target is a finite number."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(t("'{value}' is not a finite number", value=value), param, ctx)
        return number


@contextlib.contextmanager
def _help_in_language(command: click.Command, ctx: click.Context) -> Any:
    """While ``command``'s help is written: its help, its options' (--help's too) and, for a
    group, its commands' in the user's language (Indonesian ones from cli_help, by the SHA-1 of
    the English, which a test holds to every help there is); as they were afterwards."""
    from .messages import language

    if language() != "id":
        yield
        return
    import hashlib

    from .cli_help import INDONESIAN_HELP

    swapped: list[tuple[Any, Any]] = []
    shown: list[Any] = [command, *command.params, command.get_help_option(ctx)]
    if isinstance(command, click.Group):
        shown += command.commands.values()
    for item in shown:
        english = getattr(item, "help", None)
        said = INDONESIAN_HELP.get(hashlib.sha1(english.encode()).hexdigest()[:8]) if english else None
        if said is not None:
            swapped.append((item, english))
            item.help = said
    try:
        yield
    finally:
        for item, english in swapped:
            item.help = english


def _usage_in_language(pieces: list[str]) -> list[str]:
    """The usage line's words ("[OPTIONS]", "COMMAND [ARGS]...") in the user's language, as it is
    said (in --help and beside a usage error alike)."""
    return [t(piece) if piece in _USAGE_WORDS else piece for piece in pieces]


_USAGE_WORDS = frozenset({"[OPTIONS]", "COMMAND [ARGS]..."})


class _Command(click.Command):
    """A command where an option given twice is a usage mistake, unless it may repeat: the
    second value must never silently replace the first. Every command takes --lang. Its help is
    in the user's language."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_in_language(self, ctx):
            super().format_help(ctx, formatter)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage_in_language(super().collect_usage_pieces(ctx))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.params.append(_lang_option())

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # options that take one value (flags repeat harmlessly; `multiple` options collect)
        single = {name: option for option in self.params if isinstance(option, click.Option)
                  and not option.multiple and not option.count and not option.is_flag for name in option.opts}
        seen: dict[str, str] = {}
        for arg in args:
            if arg == "--":
                break
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            option = single.get(name)
            if option is None or option.name is None:
                continue
            if option.name in seen:
                raise click.UsageError(t("{option} is given twice: give it once", option=seen[option.name]), ctx)
            seen[option.name] = name
        _language_asked(args, group=False)
        return super().parse_args(ctx, args)


_CLICK_MODULES = ("core", "exceptions", "parser", "types", "formatting")


def _click_ngettext(singular: str, plural: str, count: int) -> str:
    return t(singular if count == 1 else plural)


def _speak_click() -> None:
    """click says a command line it cannot read ("No such option", "Missing argument", "Usage:")
    through gettext, bound in each of its modules as ``_`` and ``ngettext``: bound here to t(),
    those words come in the user's language as every other message does (messages.CLICK)."""
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            setattr(module, "_", t)
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", _click_ngettext)


class _Group(click.Group):
    """A group of commands (modpack, modpack server) that takes --lang as they do."""

    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not any(param.name == "lang" for param in self.params):
            self.params.append(_lang_option())

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _language_asked(args, group=True)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_in_language(self, ctx):
            super().format_help(ctx, formatter)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage_in_language(super().collect_usage_pieces(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, but Ctrl+C ("Aborted!") ends with EXIT_INTERRUPTED, not with 1, which
        here means findings (one meaning per exit code), and a kill or a hang-up ends the process
        by its signal, once every command's clean-up has run (signals.py); click's own words in
        the user's language."""
        _speak_click()
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        try:
            return self._main_said(*args, **kwargs)
        except KeyboardInterrupt:  # a Ctrl+C as the command ended, before the end was said: no traceback
            signals.closing()
            _echo(t("Aborted!"), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except signals.Signalled as caught:
            signals.end_by(caught)

    def _main_said(self, *args: Any, **kwargs: Any) -> Any:
        try:
            code = super().main(*args, **{**kwargs, "standalone_mode": False})
        except (click.Abort, KeyboardInterrupt):  # (the second: a Ctrl+C again as click said the first)
            signals.closing()
            _echo(t("Aborted!"), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except signals.Signalled as caught:  # a kill or a hang-up (signals.py): what it began is removed
            signals.end_by(caught)
        except click.ClickException as exc:
            signals.closing()
            exc.show()
            sys.exit(exc.exit_code)
        except SystemExit:  # a command's own exit code
            _end_by_a_signal_swallowed()
            signals.closing()
            raise
        _end_by_a_signal_swallowed()
        signals.closing()  # a Ctrl+C from here ends the process at once (the interpreter's shutdown prints it)
        sys.exit(code if isinstance(code, int) else EXIT_OK)  # an Exit's code (--help, --version), else done


def _end_by_a_signal_swallowed() -> None:
    """A command that ended as if nothing had come, after a signal that something swallowed (an
    at-fork hook or a finaliser, where Python ignores what a handler raises): the process ends by
    it all the same, its work done (signals.py)."""
    came = signals.came()
    if came is not None:
        signals.end_by(signals.Signalled(came))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="modpack")
@click.option("--lang", type=click.Choice(["id", "en"]), expose_value=False, is_eager=True, callback=_choose_language,
              help="Language of messages: id (Indonesian, the default) or en. Also MODPACK_LANG or the locale.")
def main() -> None:
    """Turn training-module definitions into e-learning packages any LMS can host.

    \b
    Examples:
      modpack init modul-baru                 # start a module (in Indonesian)
      modpack validate modul-baru             # check it; every problem at once
      modpack validate samples/course.yaml    # a whole course
      modpack schema > module.schema.json     # for your editor
    """
    # A command allocates a few hundred thousand objects in a burst, nearly all kept to its end:
    # at Python's default threshold (700) the young generation is collected some 190 times in a
    # 2,000-page build, 15 ms for nothing. Cyclic garbage is still collected, over a hundred times less often.
    import gc

    gc.set_threshold(100_000, 10, 10)


@main.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object with every diagnostic, for tools.")
@_guard
def validate(path: str, strict: bool, fmt: str) -> None:
    """Check a module folder, a module.yaml, or a course file.

    Prints every problem as file:line:column: field: message, then what a learner downloads to
    see each page (bytes, time on 3G and 2G), with a warning for each page or package over the
    module's budget. Exit 0 when valid, 2 when there are errors, 1 when --strict finds warnings.

    \b
    Examples:
      modpack validate samples/rujukan-terpadu
      modpack validate samples/course.yaml --strict
      modpack validate modul-baru --format json
    """
    result, found = loader.read(path)
    weighed = builder.download_figures(result)
    for _, _, over in weighed:
        found += over
    failed = bool(errors(found)) or (strict and bool(warnings(found)))
    code = EXIT_INVALID if errors(found) else EXIT_FINDINGS if failed else EXIT_OK
    if fmt == "json":
        _echo(json.dumps({
            "path": path,
            "valid": not failed,
            "errors": len(errors(found)),
            "warnings": len(warnings(found)),
            "diagnostics": [d.to_dict() for d in found],
            "download": {module.id: weights.to_dict() for module, weights, _ in weighed if weights is not None},
        }, ensure_ascii=False, indent=2), json_text=True)
    else:
        _print_diagnostics(found)
        for module, weights, _ in weighed:
            if weights is not None:
                _echo(f"{module.id}: " + "\n".join(weights.lines()))
        _echo(t("{path}: {verdict} ({errors} error(s), {warnings} warning(s))", path=path,
                     verdict=t("invalid" if failed else "valid"), errors=len(errors(found)), warnings=len(warnings(found))),
                   err=failed)
    sys.exit(code)


MAX_SHOWN_PER_CODE = 500  # lines of one kind of problem printed; the rest counted (as check does)


def _print_diagnostics(found: list[Diagnostic]) -> None:
    """Each problem a line, up to MAX_SHOWN_PER_CODE of one code (a page of 50,000 images of one
    missing file said it 50,000 times), then how many more there are. --format json holds all."""
    shown: dict[str, int] = {}
    for d in found:
        shown[d.code] = shown.get(d.code, 0) + 1
        if shown[d.code] <= MAX_SHOWN_PER_CODE:
            _echo(str(d), err=d.severity is Severity.ERROR)
    for code, count in shown.items():
        if count > MAX_SHOWN_PER_CODE:
            _echo(t("... and {count} more problems of the code '{code}', not shown (--format json lists every one)",
                    count=f"{count - MAX_SHOWN_PER_CODE:,}", code=code), err=True)


@main.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option("--format", "fmts", multiple=True, metavar="FORMAT",
              help="scorm12 (default) plays in every LMS; scorm2004 is SCORM 2004 4th Edition; cmi5 and xapi (Tin Can) "
              "report to an LRS. Repeat it, or give 'scorm12,cmi5', or 'all', for several.")
@click.option("--out", "out", type=click.Path(path_type=str), default="dist", show_default=True,
              help="Folder for the zips (never inside a module folder).")
@click.option("--validate", is_flag=True, help="Check each manifest against the official schemas before writing.")
@click.option("--force", is_flag=True, help="Build even when nothing changed since the last build into --out.")
@click.option("--watch", is_flag=True, help="Build, then build again each time a file of the module is saved.")
@click.option("--lms", type=click.Choice(list(PRESETS)),
              help="Package as this LMS handles best: its format (unless --format says) and structure (docs/lms.md).")
@click.option("--max-size", "max_size", type=_FiniteRange(min=0.01), metavar="MB",
              help="An LMS's upload limit: a module over it is built as one package per lesson; what is still over "
              "it is refused, writing nothing.")
@_guard
def build(path: str, fmts: tuple[str, ...], out: str, validate: bool, force: bool, watch: bool,
          lms: str | None, max_size: float | None) -> None:
    """Build a module, or every module of a course, into LMS packages.

    Each package is a zip named MODULE-VERSION-FORMAT.zip, written whole or not at all.
    When no file changed since the last build into --out, nothing is written again (--force
    builds anyway). Exit 0 when built, 2 when the definition is invalid, 3 when --validate
    finds a manifest that fails the official schemas.

    \b
    Examples:
      modpack build samples/rujukan-terpadu                     # SCORM 1.2 into dist/
      modpack build samples/course.yaml --format scorm2004 --out paket
      modpack build modul-baru --validate
      modpack build modul-baru --format all              # all four formats at once
      modpack build modul-baru --watch                   # rebuild on every save, until Ctrl+C
      modpack build modul-baru --lms ilias --max-size 20  # as ILIAS plays best, at most 20 MB
    """
    try:
        fmt = formats_of(fmts or (PRESETS[lms].format if lms else DEFAULT_FORMAT))
    except BuildError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from None
    extra = {"lms": lms, "max_size_mb": max_size}
    if watch:
        _build_watching(path, fmt, out, validate, extra)
        return
    from . import signals

    try:  # a `kill` or a closed terminal: the build removes its temporary zips, then ends by it
        with signals.caught():
            code, _ = _build_once(path, fmt, out, validate, force, extra=extra)
    except signals.Signalled as caught:
        signals.end_by(caught)
    if code:
        sys.exit(code)


def _build_watching(path: str, fmt: tuple[str, ...], out: str, validate: bool, extra: dict[str, Any]) -> None:
    """Build now and after every save, until Ctrl+C (or a `kill`, or a closed terminal: each ends
    it as Ctrl+C does, exit 0, no temporary zip left): a broken save says why and keeps the last
    zips; the save that mends it says so, even when the packages stay as they were."""
    import time
    from pathlib import Path

    from . import signals
    from .definition.locate import is_course
    from .package.cache import Rebuild, signature, watch_wait

    folder = Path(path) if Path(path).is_dir() else Path(path).parent
    memory: dict[str, Any] = {}  # a course's modules as read: an unchanged one is not read again
    try:
        with signals.caught():  # a `kill` stops a build at its next safe point, as for a plain build
            last = signature(Path(path), Path(out))
            code, _ = _build_once(path, fmt, out, validate, force=False, figures=False, extra=extra,
                                  memory=memory)  # briefly
            if code == 0 and not memory and is_course(path):  # found unchanged: its modules read now,
                # before it says it watches (from then on, a save reads only what was saved)
                builder.remember(Rebuild(Path(path), fmt, validate, Path(out), extra.get("lms"),
                                         extra.get("max_size_mb")), memory)
            _echo(t("modpack build: watching {folder}; Ctrl+C to stop", folder=folder), err=True)
            # a first build that found nothing changed made nothing: the save after it would pay
            # for the imports and validators (a third of a second) on top of its build. A Ctrl+C
            # meanwhile waits for them (not raised inside pydantic or an import; pressed twice, it
            # is one), then ends the watcher as it would have
            with signals.deferred():
                builder.make_ready()
            signals.check()
            looked = 0.0
            while True:
                # a fifth of a second between looks, or three times the last look's own time: a
                # course of 2,000 modules of 14 files takes 0.35 s to list, and is looked at a quarter of the time
                time.sleep(watch_wait(looked))
                signals.check()
                looking = time.thread_time()
                now = signature(Path(path), Path(out))
                looked = time.thread_time() - looking
                if now == last:
                    continue
                last = now
                started = time.monotonic()
                failed_before = code != 0
                code, built = _build_once(path, fmt, out, validate, force=False, quiet_unchanged=True,
                                          figures=False, extra=extra, memory=memory)
                if code == 0 and built:
                    _echo(t("modpack build: built in {seconds} s", seconds=f"{time.monotonic() - started:.2f}"),
                          err=True)
                elif code == 0 and failed_before:  # mended back to what was built: no zip changes, but say so
                    _echo(t("modpack build: valid again; the packages are as they were"), err=True)
    except (KeyboardInterrupt, signals.Signalled):
        signals.closing()  # a watcher's normal end: exit 0, whatever comes next
        signals.settle()


def _build_once(path: str, fmt: tuple[str, ...], out: str, validate: bool, force: bool,
                quiet_unchanged: bool = False, figures: bool = True,
                extra: dict[str, Any] | None = None, memory: dict[str, Any] | None = None) -> tuple[int, bool]:
    """One build as the command line reports it: the exit code it would end with, and whether
    any package was built (not when nothing had changed, nor when a course kept every zip). ``figures``: what learners download
    (of the packages built, not of a course's unchanged modules, kept). ``memory``: a watcher's
    (builder.build_recorded)."""
    from pathlib import Path

    from .definition.locate import course_modules, is_course
    from .package.cache import Rebuild

    unchanged: list[Any] = []
    written: list[Any] = []
    kept: list[Any] = []
    extra = extra or {}

    def on_warning(diagnostic: Diagnostic) -> None:
        _echo(str(diagnostic), err=True)

    try:
        # the record first: a build that finds nothing changed never imports the builder (nor pydantic)
        rebuild = None if force else Rebuild(Path(path), fmt, validate, Path(out), extra.get("lms"),
                                             extra.get("max_size_mb"))
        if rebuild is not None and rebuild.earlier() is not None:
            written = rebuild.earlier() or []
            unchanged.extend(written)
        else:
            count = (len(course_modules(path)[1]) if is_course(path) else 1) * len(fmt)
            bar = click.progressbar(length=count, label=t("Building"), file=sys.stderr) if count > 1 else None
            with bar if bar is not None else contextlib.nullcontext():
                tick = (lambda m, p: bar.update(1)) if bar is not None else None
                if rebuild is not None:
                    written = builder.build_recorded(rebuild, tick, on_warning, unchanged.extend, kept.extend, memory)
                else:
                    written = builder.build(path, fmt, out, validate, tick, on_warning, **extra)
    except InvalidDefinition as exc:
        _print_diagnostics(exc.diagnostics)
        _echo(t("{path}: not built: fix the {count} error(s) above", path=path, count=len(errors(exc.diagnostics))),
                   err=True)
        return EXIT_INVALID, False
    except builder.PackageInvalid as exc:
        _echo(f"modpack build: {exc}", err=True)
        return EXIT_PACKAGE_INVALID, False
    except BuildError as exc:
        _echo(f"modpack build: {exc}", err=True)
        return EXIT_INVALID, False
    if unchanged:
        if quiet_unchanged:
            return 0, False  # a save that changed nothing: the watcher says nothing
        _echo(t("modpack build: nothing changed since the last build; the packages are as they were "
                "(--force builds anyway)"), err=True)
    for item in written:
        _echo(str(item))
    if kept:
        _echo(t("modpack build: {count} of {total} packages kept as they were (their modules unchanged since the "
                "last build)", count=len(kept), total=len(written)), err=True)
    kept_here = set(kept)
    built = [item for item in written if item not in kept_here]
    if figures and not unchanged:
        _download_summary(built, fmt[0])
    return 0, bool(built) and not unchanged


def _download_summary(written: list[Any], first_format: str) -> None:
    """What learners download, once per module (its first format's zip), and what is over its budget."""
    from .model.budget import DEFAULT_PACKAGE_MB, DEFAULT_PAGE_KB
    from .weight import of_zip

    for path in written:
        if not str(path).endswith(f"-{first_format}.zip"):
            continue
        weights = of_zip(path)
        _echo(f"{path.name}: " + "\n".join(weights.lines(every_page=False)), err=True)
        for _, message in weights.over_own_budget(DEFAULT_PAGE_KB, DEFAULT_PACKAGE_MB):
            _echo(f"{path.name}: {t('warning')}: {message}", err=True)


_STANDARD_NAMES = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004", "cmi5": "cmi5", "tincan": "Tin Can (xAPI)"}


def _package_line(path: str, standard: str | None, edition: str | None, files: int, size: int) -> str:
    """The first line `check` and `info` print of a package: what it is, how many files, how large."""
    name = t("no known standard") if standard is None else \
        _STANDARD_NAMES[standard] + (f" {edition} Edition" if edition else "")
    return t("{path}: {standard}, {files} files, {size} KB", path=path, standard=name, files=files,
             size=f"{size / 1024:.0f}")


@main.command("check")
@click.argument("packages", nargs=-1, required=True, type=click.Path(path_type=str), metavar="PACKAGE...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: the report described in docs/check.md, for tools (several packages: a list of them).")
@_guard
def check_command(packages: tuple[str, ...], fmt: str) -> None:
    """Judge packages (zips or folders), including ones others made.

    Detects SCORM 1.2, SCORM 2004 (2nd, 3rd, 4th Edition), cmi5 or Tin Can, validates the
    descriptor against the official schemas and checks what schemas cannot. Reads only: it
    extracts nothing and fetches nothing. Exit 0 with no errors, 1 with errors, 2 when the
    package cannot be read, 3 when its descriptor fails its schema; of several packages, the
    highest of theirs (a whole folder of packages pays the start-up once).

    \b
    Examples:
      modpack check dist/rujukan-terpadu-1.2.0-scorm12.zip
      modpack check dist/*.zip
      modpack check paket-vendor.zip --format json
    """
    from . import checker  # only this command needs it: keeps start-up short for the others

    worst = 0
    if fmt == "json" and len(packages) > 1:
        _echo("[", json_text=True)
    for index, package in enumerate(packages):
        report = checker.check(package)
        worst = max(worst, report.exit_code)
        if fmt == "json":
            text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
            if len(packages) > 1:  # each report as it is made: a long list is never held whole
                text = "  " + text.replace("\n", "\n  ") + ("," if index < len(packages) - 1 else "")
            _echo(text, json_text=True)
            continue
        _echo(_package_line(package, report.standard, report.edition, report.files, report.size))
        for finding in report.findings:
            _echo(f"  {finding}")
        errors_, warnings_ = len(report.errors), len(report.warnings)
        verdict = t("cannot be read") if not report.readable else (t("has errors") if errors_ else t("ok"))
        _echo(t("{path}: {verdict} ({errors} error(s), {warnings} warning(s))", path=package, verdict=verdict,
                errors=errors_, warnings=warnings_))
    if fmt == "json" and len(packages) > 1:
        _echo("]", json_text=True)
    sys.exit(worst)


def _print_tree(nodes: list[dict[str, Any]], depth: int = 1) -> None:
    for node in nodes:
        label = node.get("title") or node.get("name") or ""
        kind = "AU" if "au" in node else ("block" if "block" in node else node.get("type") or "item")
        extra = "".join(f"  {key}={node[key]}" for key in ("launch", "url", "mastery_score", "masteryScore", "moveOn")
                        if node.get(key))
        _echo(f"{'  ' * depth}- [{kind}] {label}{extra}")
        _print_tree(node.get("items") or node.get("children") or [], depth + 1)


@main.command("info")
@click.argument("package", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guard
def info_command(package: str, fmt: str) -> None:
    """Show a package's structure: organizations and items (SCOs, assets), or blocks and AUs.

    \b
    Example:
      modpack info dist/rujukan-terpadu-1.2.0-scorm2004.zip
    """
    from . import checker

    data = checker.info(package)
    if fmt == "json":
        _echo(json.dumps(data, ensure_ascii=False, indent=2), json_text=True)
    else:
        _echo(_package_line(package, data["standard"], data["edition"], data["files"], data["size"]))
        labels = {"title": t("title: {value}"), "identifier": t("identifier: {value}"),
                  "version": t("version: {value}"), "course": t("course: {value}")}
        for key, label in labels.items():
            if data.get(key):
                _echo("  " + label.format(value=data[key]))
        if "scos" in data:
            _echo("  " + t("SCOs: {scos}, assets: {assets}", scos=data["scos"], assets=data["assets"]))
        for org in data.get("organizations", []):
            _echo("  " + t("organization {identifier}: {title}", identifier=org["identifier"], title=org["title"]))
            _print_tree(org["items"], 2)
        _print_tree(data.get("children", []))
        for activity in data.get("activities", []):
            _echo(f"  - [activity] {activity['name']}  id={activity['id']}  launch={activity['launch']}")
        if "download" in data:
            from .model.budget import DEFAULT_PACKAGE_MB, DEFAULT_PAGE_KB
            from .weight import Weights

            weights = Weights.from_dict(data["download"])
            _echo("  " + "\n  ".join(weights.lines()))
            for _, message in weights.over_own_budget(DEFAULT_PAGE_KB, DEFAULT_PACKAGE_MB):
                _echo(f"  {t('warning')}: {message}")
        severities = {"error": t("error"), "warning": t("warning"), "info": t("info")}
        for problem in data["problems"]:
            _echo(f"  {severities.get(problem['severity'], problem['severity'])}: {problem['message']}")
    sys.exit(EXIT_INVALID if data["standard"] is None else EXIT_OK)


def _load_module(path: str) -> Any:
    """The module or course at ``path``; on errors, print them all and exit 2."""
    try:
        return loader.load(path)
    except InvalidDefinition as exc:
        _print_diagnostics(exc.diagnostics)
        _echo(t("{path}: fix the {count} error(s) above", path=path, count=len(errors(exc.diagnostics))), err=True)
        sys.exit(EXIT_INVALID)


@main.command("statements")
@click.argument("records", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--module", "module_path", required=True, type=click.Path(path_type=str),
              help="The module the records are about (its folder or module.yaml).")
@click.option("--course", "course_path", type=click.Path(path_type=str), help="A course file: adds it as grouping.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=str), help="The JSON Lines file to write.")
@click.option("--xapi-version", type=click.Choice(["1.0.3", "2.0"]), default="1.0.3", show_default=True)
@click.option("--account-homepage", help="Home page of the system issuing learner accounts (e.g. an HR system).")
@_guard
def statements_command(records: str, module_path: str, course_path: str | None, out: str | None, xapi_version: str,
                       account_homepage: str | None) -> None:
    """Convert attendance, offline test and completion records (CSV or JSON Lines) into xAPI statements.

    Every statement is validated against the xAPI statement schema. Each bad row is reported with
    its row number, column and reason, and the good rows are written; exit 0 when every row
    converted, 1 when some were rejected. See docs/statements.md for the columns.

    \b
    Examples:
      modpack statements samples/records/rujukan-terpadu.csv --module samples/rujukan-terpadu -o out.jsonl
      modpack statements hadir.jsonl --module modul --account-homepage https://simpeg.example.go.id
    """
    from .xapi.convert import convert

    module = _load_module(module_path)
    course = _load_module(course_path) if course_path else None
    from .definition.files import RefusedFile

    try:
        summary = convert(records, module, out, course, xapi_version, account_homepage, keep_errors=False,
                          on_error=lambda e: _echo(f"{records}:{e}", err=True))
    except RefusedFile as exc:
        _echo(f"modpack statements: {exc.message}", err=True)
        sys.exit(EXIT_INVALID)
    except OSError as exc:  # the records unreadable, or the output unwritable
        _os_failure("statements", out, exc)
    counts = {"rows": summary.rows, "written": summary.written, "rejected": summary.rejected}
    _echo(t("{rows} row(s): {written} statement(s) to {out}, {rejected} row(s) rejected", out=out, **counts) if out
          else t("{rows} row(s): {written} statement(s) (validated; use -o to write them), {rejected} row(s) rejected",
                 **counts), err=bool(summary.rejected))
    sys.exit(EXIT_FINDINGS if summary.rejected else EXIT_OK)


@main.command("send")
@click.argument("statements_file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--lrs", "endpoint", required=True, help="The LRS's xAPI endpoint, e.g. https://lrs.example.go.id/xAPI/")
@click.option("--credentials", type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="A file with username:password (else MODPACK_LRS_USERNAME and MODPACK_LRS_PASSWORD, or MODPACK_LRS_AUTH).")
@click.option("--batch-size", default=100, show_default=True, type=click.IntRange(1, 1000))
@click.option("--checkpoint", type=click.Path(dir_okay=False, path_type=str),
              help="Where progress is kept (default: FILE.checkpoint).")
@click.option("--restart", is_flag=True, help="Ignore the checkpoint and send the whole file again.")
@click.option("--xapi-version", type=click.Choice(["1.0.3", "2.0"]), default="1.0.3", show_default=True)
@_guard
def send_command(statements_file: str, endpoint: str, credentials: str | None, batch_size: int,
                 checkpoint: str | None, restart: bool, xapi_version: str) -> None:
    """Send statements (JSON Lines) to an LRS, each exactly once.

    Credentials come from the environment or --credentials, never from the command line.
    Interrupted? Run the same command again: it resumes from the checkpoint. Exit 0 when every
    statement is stored, 1 when the LRS rejected some, 2 when the send could not go on.

    \b
    Examples:
      export MODPACK_LRS_USERNAME=... MODPACK_LRS_PASSWORD=...
      modpack send out.jsonl --lrs https://lrs.example.go.id/data/xAPI/
    """
    from .xapi.send import SendError, send_file

    auth = _credentials("send", credentials)
    if auth is None:
        _echo(t("modpack send: no credentials: set MODPACK_LRS_USERNAME and MODPACK_LRS_PASSWORD (or "
                "MODPACK_LRS_AUTH), or give --credentials FILE"), err=True)
        sys.exit(EXIT_INVALID)
    total = _line_count(statements_file, "send")
    try:
        with click.progressbar(length=total, label=t("Sending"), file=sys.stderr) as bar:
            summary = send_file(statements_file, endpoint, auth, batch_size, xapi_version, checkpoint,
                                resume=not restart, progress=bar.update)
    except SendError as exc:
        _echo(t("modpack send: {reason}. Progress is saved; run the same command again to resume.", reason=exc),
              err=True)
        sys.exit(EXIT_INVALID)
    for rejected in summary.rejected:
        _echo(f"{statements_file}:{rejected.line}: " + (t("rejected ({id}): {reason}", id=rejected.id, reason=rejected.reason)
                                                         if rejected.id else t("rejected: {reason}", reason=rejected.reason)),
              err=True)
    skipped = t(", {count} sent before (checkpoint)", count=summary.skipped) if summary.skipped else ""
    retries = t("1 retry") if summary.retries == 1 else t("{count} retries", count=summary.retries)
    _echo(t("sent {sent}, already stored {stored}, rejected {rejected}{skipped}; {batches} batch(es), {retries}",
            sent=summary.sent, stored=summary.already_stored, rejected=len(summary.rejected), skipped=skipped,
            batches=summary.batches, retries=retries))
    if summary.ids_given:
        _echo(t("{count} statement(s) had no id: each was given one from its line and text, so sending this file "
                "again stores nothing twice", count=summary.ids_given))
    sys.exit(EXIT_FINDINGS if summary.rejected else EXIT_OK)


def _os_failure(command: str, path: str | None, exc: OSError) -> NoReturn:
    """A file that cannot be read or written (a device, a full disk, no right to it): said with the
    file, in the user's language where the system's reason is a common one; exit 2."""
    _echo(f"modpack {command}: {exc.filename or path}: {os_reason(exc)}", err=True)
    sys.exit(EXIT_INVALID)


def _line_count(path: str, command: str) -> int:
    """The lines of a regular file, for a progress bar: counted a megabyte at a time (a line of a
    gigabyte is never held whole); a FIFO or device is refused (exit 2), never read."""
    from .definition.files import RefusedFile, open_regular

    try:
        handle = open_regular(path)
    except RefusedFile as exc:
        _echo(f"modpack {command}: {exc.message}", err=True)
        sys.exit(EXIT_INVALID)
    except OSError as exc:
        _os_failure(command, path, exc)
    with handle:
        count, last = 0, b"\n"
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
        return count + (last != b"\n")


@main.command("report")
@click.option("--records", type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="Attendance records (CSV or JSON Lines): facilitated JP.")
@click.option("--module", "module_paths", multiple=True, required=True, type=click.Path(path_type=str),
              help="A module (repeat for several), or a course file.")
@click.option("--lrs", "endpoint", help="Read self-paced JP back from this LRS (credentials as for send).")
@click.option("--credentials", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--year", type=click.IntRange(1970, 9998), help="Only this calendar year.")
@click.option("--target", type=_FiniteRange(min=0, max=10_000),
              help="JP each learner owes (default: the course's annual_target_jp, or 20).")
@click.option("--account-homepage")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=str), help="Write the CSV here (default: print).")
@_guard
def report_command(records: str | None, module_paths: tuple[str, ...], endpoint: str | None, credentials: str | None,
                   year: int | None, target: float | None, account_homepage: str | None, out: str | None) -> None:
    """JP per learner against the yearly target, as CSV.

    \b
    Example:
      modpack report --records hadir.csv --module samples/course.yaml --lrs https://lrs.example.go.id/xAPI/ --year 2026
    """
    from .model import Course
    from .xapi.report import facilitated_hours, report_csv, self_paced_hours
    from .xapi.send import SendError, Lrs

    modules, courses = [], []
    for path in module_paths:
        loaded = _load_module(path)
        if isinstance(loaded, Course):
            courses.append(loaded)
            modules += loaded.loaded_modules
        else:
            modules.append(loaded)
    goal = target if target is not None else (courses[0].annual_target_jp if courses else 20.0)
    hours: dict[str, Any] = {}
    if records:
        from .definition.files import RefusedFile

        try:
            for problem in facilitated_hours(records, modules, year, account_homepage, hours):
                _echo(f"{records}:{problem}", err=True)
        except RefusedFile as exc:
            _echo(f"modpack report: {exc.message}", err=True)
            sys.exit(EXIT_INVALID)
    if endpoint:
        problems: list[str] = []
        try:
            self_paced_hours(Lrs(endpoint, _credentials("report", credentials)), {m.effective_iri_base for m in modules},
                             year, hours, problems, activities={m.iri for m in modules})
        except (SendError, OSError) as exc:
            _echo(f"modpack report: {exc}", err=True)
            sys.exit(EXIT_INVALID)
        for problem in problems:
            _echo(t("modpack report: warning: {problem}", problem=problem), err=True)
    text = report_csv(hours, goal)
    if out:
        from .atomic import replaced

        try:
            with replaced(out, newline="") as handle:
                handle.write(text)
        except OSError as exc:
            _os_failure("report", out, exc)
    else:
        _echo(text, nl=False)


@main.command("progress")
@click.option("--course", "course_path", required=True, type=click.Path(exists=True, path_type=str),
              help="The course file (course.yaml): its modules, lessons and JP.")
@click.option("--cohort", required=True, type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="The cohort CSV: email or account, name, district, province, role, start_date.")
@click.option("--lrs", "endpoint", help="Read the statements from this LRS (credentials as for send).")
@click.option("--credentials", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--statements", "statement_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="Statements in a JSON Lines file (repeat for several).")
@click.option("--moodle-report", "moodle_reports", multiple=True, metavar="MODULE=FILE",
              help="A Moodle SCORM basic report (text or CSV download) for one module of the course (repeat).")
@click.option("--since", help="Only statements stored since this date (YYYY-MM-DD) or time.")
@click.option("--as-of", "as_of", help="Report as of this time (ISO 8601; default: now).")
@click.option("--start", help="The cohort's start date, for rows of the cohort file that give none.")
@click.option("--days", default=15, show_default=True, type=click.IntRange(1, 366), help="Days the diklat lasts.")
@click.option("--not-started-after", default=3, show_default=True, type=click.IntRange(0, 366),
              help="Follow up learners who have not started this many days after their cohort began.")
@click.option("--inactive-after", default=3, show_default=True, type=click.IntRange(1, 366),
              help="Follow up learners inactive for this many days.")
@click.option("--timezone", "zone", default="Asia/Jakarta", show_default=True,
              help="Where the days begin and end (Asia/Jakarta, Asia/Makassar, Asia/Jayapura).")
@click.option("--district", help="Only the learners of this district (a report for one Korkab).")
@click.option("--format", "fmt", type=click.Choice(["html", "csv", "json"]), default="html", show_default=True,
              help="html: one report file; csv: a folder of one file per table; json: one file of every table.")
@click.option("--pseudonymise", "--pseudonymize", "pseudonymise", is_flag=True,
              help="Replace names and ids with stable codes (key: MODPACK_PSEUDONYM_KEY or --pseudonym-key).")
@click.option("--pseudonym-key", type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="A file holding the secret key that makes the codes (keep it: the same key gives the same codes).")
@click.option("-o", "--out", required=True, type=click.Path(path_type=str), help="Where to write the report.")
@_guard
def progress_command(course_path: str, cohort: str, endpoint: str | None, credentials: str | None,
                     statement_files: tuple[str, ...], moodle_reports: tuple[str, ...], since: str | None,
                     as_of: str | None, start: str | None, days: int, not_started_after: int, inactive_after: int,
                     zone: str, district: str | None, fmt: str, pseudonymise: bool, pseudonym_key: str | None,
                     out: str) -> None:
    """A cohort's progress through a course, from the LRS: who has not started, who is stuck, who has
    finished, and each learner's JP, per district; as one HTML report (or CSV/JSON tables).

    \b
    Examples:
      modpack progress --lrs https://lrs.example.go.id/xAPI/ --course samples/course.yaml \\
          --cohort angkatan-3.csv --since 2026-03-01 --out laporan.html
      modpack progress --course samples/course.yaml --cohort angkatan-3.csv --statements pernyataan.jsonl \\
          --moodle-report rujukan-terpadu=laporan-moodle.txt --format csv --out tabel
    """
    from datetime import datetime

    from . import progress as progress_phase
    from .model import Course
    from .progress.cohort import CohortError, parse_date

    course = _load_module(course_path)
    if not isinstance(course, Course):
        _echo(t("modpack progress: {path} is a module; give the course file (course.yaml)", path=course_path),
                   err=True)
        sys.exit(EXIT_INVALID)
    moodle: dict[str, str] = {}
    for item in moodle_reports:
        module_id, equals, path = item.partition("=")
        if not equals or not module_id or not path:
            _echo(t("modpack progress: --moodle-report '{value}': write it as MODULE=FILE", value=item), err=True)
            sys.exit(EXIT_INVALID)
        moodle[module_id.strip()] = path
    key = None
    if pseudonymise:
        key = _pseudonym_key(pseudonym_key)
    auth = _credentials("progress", credentials, wanted=bool(endpoint))
    if endpoint and auth is None:
        _echo(t("modpack progress: no credentials: set MODPACK_LRS_USERNAME and MODPACK_LRS_PASSWORD (or "
                     "MODPACK_LRS_AUTH), or give --credentials FILE"), err=True)
        sys.exit(EXIT_INVALID)
    moment = None
    if as_of:
        try:
            moment = datetime.fromisoformat(as_of)
            if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", as_of):  # a day: as of its end, not its first second
                moment = moment.replace(hour=23, minute=59, second=59)
        except ValueError:
            _echo(t("modpack progress: --as-of: '{value}' is not a time (ISO 8601)", value=as_of), err=True)
            sys.exit(EXIT_INVALID)
    start_day = parse_date(start) if start else None
    if start and start_day is None:
        _echo(t("modpack progress: --start: '{value}' is not a date (YYYY-MM-DD or DD/MM/YYYY)", value=start),
                   err=True)
        sys.exit(EXIT_INVALID)
    try:
        report = progress_phase.progress(course, cohort, lrs=endpoint, lrs_auth=auth, statements=statement_files,
                                         moodle=moodle, since=since, as_of=moment, timezone_name=zone, days=days,
                                         not_started_after=not_started_after, inactive_after=inactive_after,
                                         start=start_day, district=district, pseudonymise_key=key)
        written = progress_phase.write(report, out, fmt)
    except CohortError as exc:
        for problem in exc.problems:
            _echo(f"{exc.path}:{problem}", err=True)
        _echo(t("{path}: fix the {count} problem(s) above", path=exc.path, count=len(exc.problems)), err=True)
        sys.exit(EXIT_INVALID)
    except progress_phase.ProgressError as exc:
        _echo(t("modpack progress: {reason}", reason=exc), err=True)
        sys.exit(EXIT_INVALID)
    except OSError as exc:  # the report cannot be written there
        _os_failure("progress", out, exc)
    s = report.summary
    for note in report.notes:
        _echo(note, err=True)
    _echo(t("{path}: {enrolled} enrolled, {not_started} not started, {in_progress} in progress, {completed} "
                 "completed ({passed} passed), {follow_up} to follow up; from {read} statements",
                 path=written, enrolled=s.enrolled, not_started=s.not_started, in_progress=s.in_progress,
                 completed=s.completed, passed=s.passed, follow_up=s.follow_up, read=report.tally.read))


def _pseudonym_key(path: str | None) -> bytes:
    """The secret behind pseudonyms: a plain hash of an email could be reversed by trying emails."""
    if path:
        with open(path, "rb") as handle:
            key = handle.read(4096).strip()
    else:
        key = os.environ.get("MODPACK_PSEUDONYM_KEY", "").encode()
    if len(key) < 16:
        _echo(t("modpack progress: --pseudonymise needs a secret key of at least 16 characters, in "
                     "MODPACK_PSEUDONYM_KEY or a file given with --pseudonym-key; keep it to get the same codes "
                     "next time"), err=True)
        sys.exit(EXIT_INVALID)
    return key


@main.command("preview")
@click.argument("path", type=click.Path(exists=True, path_type=str))
@click.option("--port", default=8765, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--lrs", "endpoint", help="Pass statements on to this LRS (credentials as for send); else keep them in a file.")
@click.option("--store", type=click.Path(file_okay=False, path_type=str), help="Where statements and builds are kept.")
@click.option("--format", "fmt", type=click.Choice(["cmi5", "scorm12", "scorm2004"]), default="cmi5", show_default=True,
              help="How a module is built for the preview (a zip is served as it is).")
@click.option("--watch", is_flag=True, help="Rebuild the module when one of its files is saved; open pages reload.")
@_guard
def preview_command(path: str, port: int, endpoint: str | None, store: str | None, fmt: str, watch: bool) -> None:
    """Try a module (built on the fly) or a cmi5 or SCORM package in a small local LMS.

    \b
    Examples:
      modpack preview samples/kewirausahaan-sosial
      modpack preview samples/rujukan-terpadu --format scorm12
      modpack preview dist/rujukan-terpadu-1.2.0-cmi5.zip --lrs http://127.0.0.1:8080/xAPI/
      modpack preview modul-baru --watch          # rebuild and reload on every save
    """
    import time

    from . import preview
    from .xapi.send import SendError

    def rebuilt(generation: int, error: Exception | None) -> None:
        if isinstance(error, InvalidDefinition):
            _print_diagnostics(error.diagnostics)
            _echo(t("modpack preview: not rebuilt; still serving the last good build"), err=True)
        elif error is not None:
            _echo(t("modpack preview: not rebuilt: {reason}", reason=error), err=True)
        else:
            _echo(t("modpack preview: rebuilt ({generation}); open pages reload", generation=generation), err=True)

    # A kill or a hang-up stops it as Ctrl+C does, its files removed (signals.on_signal, set by the
    # modpack command, raises each where Python is, and remembers it: a kill that came while
    # pydantic built its validators reaches here wrapped in a SchemaError of its own)
    server = None
    try:
        try:
            server, state = preview.start(path, port, endpoint, _credentials("preview", None, wanted=bool(endpoint)),
                                          store, fmt=fmt, watch=watch, on_rebuild=rebuilt)
        except InvalidDefinition as exc:
            _print_diagnostics(exc.diagnostics)
            sys.exit(EXIT_INVALID)
        except Exception as exc:
            if signals.came() is not None:
                raise KeyboardInterrupt from None  # the stop, whatever a library made of it
            if not isinstance(exc, (ValueError, OSError, BuildError, SendError)):
                raise
            _echo(f"modpack preview: {exc}", err=True)
            sys.exit(EXIT_INVALID)
        _echo(t("Preview on {url}  (tracked: /tracked; statements in {file}). Ctrl+C to stop.",
                url=f"http://127.0.0.1:{server.server_address[1]}/", file=state.statements_file))
        # a signal that a finaliser or an import's callback swallowed (Python ignores what a handler
        # raises there: CI once saw the preview serve on after a kill) is the stop all the same
        while signals.came() is None:
            time.sleep(0.25)
        raise KeyboardInterrupt
    except (KeyboardInterrupt, signals.Signalled):
        signals.closing()  # a preview's normal end: exit 0, whatever comes next
        signals.settle()
    finally:
        if server is not None:
            server.stop()


@main.command("import")
@click.argument("document", type=click.Path(dir_okay=False, path_type=str))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=str),
              help="The new module folder (must not exist, or be empty).")
@click.option("--id", "module_id", help="The module id (a slug); default: from the title.")
@click.option("--language", default="id-ID", show_default=True, help="The document's language (a BCP 47 tag).")
@click.option("--lessons-at", "lesson_level", type=click.IntRange(1, 3), default=1, show_default=True,
              help="The heading level of lessons: 1 (Heading 1 or 'BAB I'), 2 when Heading 1 only groups them, 3 "
                   "when Headings 1 and 2 do.")
@click.option("--split-at", "split_level", type=click.IntRange(2, 6),
              help="Split long pages at this heading level too (e.g. 3 for Heading 3).")
@click.option("--iri-base", help="The base of xAPI/cmi5 activity ids, e.g. https://pelatihan.example.go.id/xapi/")
@_guard
def import_command(document: str, out: str, module_id: str | None, language: str, lesson_level: int,
                   split_level: int | None, iri_base: str | None) -> None:
    """Turn a Word module (.docx) into a module folder that validates and builds as it is.

    Lessons from Heading 1 (or "BAB I" typed in bold), pages from Heading 2, objectives from
    "Tujuan Pembelajaran"/"Indikator", questions from "Latihan"/"Evaluasi" with their key
    ("Kunci Jawaban", or options marked in bold), JP from "Alokasi Waktu". What is not
    recognised stays as page text, with a note saying where. Exit 0 when imported, 2 when the
    file cannot be imported (nothing is written then). See docs/import.md.

    \b
    Examples:
      modpack import MODUL.docx --out modul-pkh
      modpack import MODUL.docx --out modul-pkh --id pendampingan-pkh --split-at 3
    """
    from .importer import ImportError_, import_docx

    try:
        result = import_docx(document, out, module_id=module_id, language=language, lesson_level=lesson_level,
                             split_level=split_level, iri_base=iri_base)
    except ImportError_ as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_INVALID)
    _print_diagnostics(result.diagnostics)
    _echo(t("Imported into {folder}: {questions} question(s), {warnings} warning(s) to look at. Next: modpack "
                 "validate {folder}", folder=result.folder, questions=result.questions,
                 warnings=len(warnings(result.diagnostics))))


@main.command()
@click.argument("directory", type=click.Path(path_type=str))
@click.option("--id", "module_id", help="The module id (a slug); default: from the folder name.")
@_guard
def init(directory: str, module_id: str | None) -> None:
    """Create a starter module in DIRECTORY, in Indonesian, valid as created.

    \b
    Example:
      modpack init modul-baru && modpack validate modul-baru
    """
    try:
        created = starter.init(directory, module_id=module_id)
    except starter.InitError as exc:
        _echo(f"modpack init: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    _echo(t("Created {created}. Next: modpack validate {directory}", created=created, directory=directory))


@main.group("server", cls=_Group)
def server_group() -> None:
    """A resident server that runs `build` and `check` without start-up time.

    While it runs, `modpack build` and `modpack check` are run by it: the same output, files and
    exit codes, a quarter of a second sooner each (Python, imports and validators are ready).
    Other commands, and every command when no server runs, run in their own process. It serves
    only you and only this version of modpack, and ends after --idle seconds without a command.
    MODPACK_SERVER=off makes a command run in its own process even when a server runs.

    \b
    Examples:
      modpack server start && modpack build modul-baru
      modpack server status
      modpack server stop
    """


def _resident_failed(command: str, exc: Exception) -> None:
    _echo(f"modpack server {command}: {exc}", err=True)
    sys.exit(EXIT_INVALID)


@server_group.command("start")
@click.option("--idle", type=click.FloatRange(min=1), default=1800, show_default=True,
              help="Seconds without a command before the server ends.")
@_guard
def server_start(idle: float) -> None:
    """Start the server (if none runs for this version) and wait until it answers."""
    from . import resident

    try:
        running = resident.start(idle=idle)
    except resident.ResidentError as exc:
        _resident_failed("start", exc)
    _echo(t("modpack server {pid} is running ({socket}); it ends after {idle} s without a command",
            pid=running.pid, socket=running.socket, idle=f"{running.idle_limit:g}"))


@server_group.command("stop")
@click.option("--all", "every", is_flag=True, help="Also servers of other versions of modpack.")
@_guard
def server_stop(every: bool) -> None:
    """Stop the server; commands it is running end first."""
    from . import resident

    try:
        stopped = resident.stop(every=every)
    except resident.ResidentError as exc:
        _resident_failed("stop", exc)
    _echo(t("stopped {count} server(s)", count=stopped) if stopped else t("no server was running"))


@server_group.command("status")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guard
def server_status(fmt: str) -> None:
    """Whether a server runs for this version: exit 0 if one does, 1 if none."""
    import dataclasses

    from . import resident

    running = resident.status()
    if fmt == "json":
        _echo(json.dumps(dataclasses.asdict(running) if running else None), json_text=True)
    elif running is None:
        _echo(t("no server is running"))
    else:
        _echo(t("modpack server {pid} ({socket}): {served} command(s) served, {running} running, idle {idle:.0f} s "
                "of {limit:.0f} s", pid=running.pid, socket=running.socket, served=running.served,
                running=running.running, idle=running.idle, limit=running.idle_limit))
    sys.exit(EXIT_OK if running else EXIT_FINDINGS)


@main.command("schema")
@click.option("--kind", type=click.Choice(["course", "module"]), default="module", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True,
              help="markdown: a field reference of both formats, for people.")
@_guard
def schema_command(kind: str, fmt: str) -> None:
    """Print the JSON Schema of module (or course) definition files.

    \b
    Examples:
      modpack schema > module.schema.json        # point your editor's YAML support at it
      modpack schema --kind course > course.schema.json
      modpack schema --format markdown > reference.md
    """
    _echo(schema.json_schema_text(kind) if fmt == "json" else schema.reference_markdown(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
