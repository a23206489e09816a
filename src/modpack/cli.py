"""The command line: parses arguments, calls the library, prints. No work happens here.

Exit codes (docs/cli.md): 0 success; 2 invalid input (a definition with errors, or with
warnings under --strict) or a usage mistake; 1 an unexpected internal error.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Callable

import click

from . import __version__, builder, checker, loader, schema, starter
from .diagnostics import InvalidDefinition, Severity, errors, warnings

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INVALID = 2
EXIT_PACKAGE_INVALID = 3


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
            click.echo(f"modpack: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("Please report this with the command you ran.", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="modpack")
def main() -> None:
    """Turn training-module definitions into e-learning packages any LMS can host.

    \b
    Examples:
      modpack init modul-baru                 # start a module (in Indonesian)
      modpack validate modul-baru             # check it; every problem at once
      modpack validate samples/course.yaml    # a whole course
      modpack schema > module.schema.json     # for your editor
    """


@main.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option("--strict", is_flag=True, help="Fail (exit 2) on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object with every diagnostic, for tools.")
@_guard
def validate(path: str, strict: bool, fmt: str) -> None:
    """Check a module folder, a module.yaml, or a course file.

    Prints every problem as file:line:column: field: message. Exit 0 when valid,
    2 when there are errors (or warnings, with --strict).

    \b
    Examples:
      modpack validate samples/rujukan-terpadu
      modpack validate samples/course.yaml --strict
      modpack validate modul-baru --format json
    """
    found = loader.validate(path)
    failed = bool(errors(found)) or (strict and bool(warnings(found)))
    if fmt == "json":
        click.echo(json.dumps({
            "path": path,
            "valid": not failed,
            "errors": len(errors(found)),
            "warnings": len(warnings(found)),
            "diagnostics": [d.to_dict() for d in found],
        }, ensure_ascii=False, indent=2))
    else:
        _print_diagnostics(found)
        summary = f"{len(errors(found))} error(s), {len(warnings(found))} warning(s)"
        click.echo(f"{path}: {'invalid' if failed else 'valid'} ({summary})", err=failed)
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


def _print_diagnostics(found: list) -> None:
    for d in found:
        click.echo(str(d), err=d.severity is Severity.ERROR)


@main.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(builder.FORMATS), default=builder.DEFAULT_FORMAT,
              show_default=True, help="scorm12 plays in every LMS; scorm2004 is SCORM 2004 4th Edition.")
@click.option("--out", "out", type=click.Path(path_type=str), default="dist", show_default=True,
              help="Folder for the zips (never inside a module folder).")
@click.option("--validate", is_flag=True, help="Check each manifest against the official schemas before writing.")
@_guard
def build(path: str, fmt: str, out: str, validate: bool) -> None:
    """Build a module, or every module of a course, into LMS packages.

    Each package is a zip named MODULE-VERSION-FORMAT.zip, written whole or not at all.
    Exit 0 when built, 2 when the definition is invalid, 3 when --validate finds a
    manifest that fails the official schemas.

    \b
    Examples:
      modpack build samples/rujukan-terpadu                     # SCORM 1.2 into dist/
      modpack build samples/course.yaml --format scorm2004 --out paket
      modpack build modul-baru --validate
    """
    try:
        loaded = loader.load(path)
    except InvalidDefinition as exc:
        _print_diagnostics(exc.diagnostics)
        click.echo(f"{path}: not built: fix the {len(errors(exc.diagnostics))} error(s) above", err=True)
        sys.exit(EXIT_INVALID)
    modules = loaded.loaded_modules if hasattr(loaded, "loaded_modules") else [loaded]
    written: list = []
    try:
        if len(modules) > 1:
            with click.progressbar(length=len(modules), label="Building", file=sys.stderr) as bar:
                written = builder.build(loaded, fmt, out, validate, progress=lambda m, p: bar.update(1))
        else:
            written = builder.build(loaded, fmt, out, validate)
    except builder.PackageInvalid as exc:
        click.echo(f"modpack build: {exc}", err=True)
        sys.exit(EXIT_PACKAGE_INVALID)
    except builder.BuildError as exc:
        click.echo(f"modpack build: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    for item in written:
        click.echo(str(item))


_STANDARD_NAMES = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004", "cmi5": "cmi5", "tincan": "Tin Can (xAPI)"}


def _standard_name(standard: str | None, edition: str | None) -> str:
    if standard is None:
        return "no known standard"
    return _STANDARD_NAMES[standard] + (f" {edition} Edition" if edition else "")


@main.command("check")
@click.argument("package", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: the report described in docs/check.md, for tools.")
@_guard
def check_command(package: str, fmt: str) -> None:
    """Judge a package (zip or folder), including ones others made.

    Detects SCORM 1.2, SCORM 2004 (2nd, 3rd, 4th Edition), cmi5 or Tin Can, validates the
    descriptor against the official schemas and checks what schemas cannot. Reads only: it
    extracts nothing and fetches nothing. Exit 0 with no errors, 1 with errors, 2 when the
    package cannot be read.

    \b
    Examples:
      modpack check dist/rujukan-terpadu-1.2.0-scorm12.zip
      modpack check paket-vendor.zip --format json
    """
    report = checker.check(package)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"{package}: {_standard_name(report.standard, report.edition)}, {report.files} files, "
                   f"{report.size / 1024:.0f} KB")
        for finding in report.findings:
            click.echo(f"  {finding}")
        errors_, warnings_ = len(report.errors), len(report.warnings)
        verdict = "cannot be read" if not report.readable else ("has errors" if errors_ else "ok")
        click.echo(f"{package}: {verdict} ({errors_} error(s), {warnings_} warning(s))")
    sys.exit(report.exit_code)


def _print_tree(nodes: list, depth: int = 1) -> None:
    for node in nodes:
        label = node.get("title") or node.get("name") or ""
        kind = "AU" if "au" in node else ("block" if "block" in node else node.get("type") or "item")
        extra = "".join(f"  {key}={node[key]}" for key in ("launch", "url", "mastery_score", "masteryScore", "moveOn")
                        if node.get(key))
        click.echo(f"{'  ' * depth}- [{kind}] {label}{extra}")
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
    data = checker.info(package)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{package}: {_standard_name(data['standard'], data['edition'])}, {data['files']} files, "
                   f"{data['size'] / 1024:.0f} KB")
        for key in ("title", "identifier", "version", "course"):
            if data.get(key):
                click.echo(f"  {key}: {data[key]}")
        if "scos" in data:
            click.echo(f"  SCOs: {data['scos']}, assets: {data['assets']}")
        for org in data.get("organizations", []):
            click.echo(f"  organization {org['identifier']}: {org['title']}")
            _print_tree(org["items"], 2)
        _print_tree(data.get("children", []))
        for activity in data.get("activities", []):
            click.echo(f"  - [activity] {activity['name']}  id={activity['id']}  launch={activity['launch']}")
        for problem in data["problems"]:
            click.echo(f"  {problem['severity']}: {problem['message']}")
    sys.exit(2 if data["standard"] is None else 0)


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
        click.echo(f"modpack init: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"Created {created}. Next: modpack validate {directory}")


@main.command("schema")
@click.option("--kind", type=click.Choice(sorted(schema.SCHEMAS)), default="module", show_default=True)
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
    click.echo(schema.json_schema_text(kind) if fmt == "json" else schema.reference_markdown(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
