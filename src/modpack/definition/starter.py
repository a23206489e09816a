"""``modpack init``: a starter module in Indonesian, valid as created."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from ..messages import t, os_reason
from ..model.common import _check_slug


class InitError(Exception):
    """The starter cannot be written where it was asked for."""


def _slug_from(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"modul-{slug}".strip("-")
    return slug[:64].rstrip("-")


def _copy_tree(source: Path, target: Path) -> None:
    for entry in source.iterdir():
        if entry.name.startswith(("_", ".")):
            continue
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def init(directory: str | os.PathLike[str], *, module_id: str | None = None) -> Path:
    """Write a starter module into ``directory`` (new or empty) and return its module.yaml.

    The files are written to a temporary folder beside it and moved into place at the end,
    so a failure never leaves half a module behind.
    """
    target = Path(directory)
    try:
        taken = target.exists() and (not target.is_dir() or any(target.iterdir()))
    except OSError as exc:  # a name too long for the disk, a folder one may not list
        raise InitError(t("cannot make the folder '{folder}': {reason}", folder=target, reason=os_reason(exc))) from None
    if taken:
        raise InitError(t("'{target}' already exists and is not an empty folder; choose a new folder", target=target))
    module_id = module_id or _slug_from(target.resolve().name)
    try:
        _check_slug(module_id)
    except ValueError as exc:
        raise InitError(str(exc)) from None
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InitError(t("cannot make the folder '{folder}': {reason}", folder=parent, reason=os_reason(exc))) from None
    staging = Path(tempfile.mkdtemp(prefix=".modpack-init-", dir=parent))
    try:
        _copy_tree(Path(__file__).parent / "template", staging)
        definition = staging / "module.yaml"
        text = definition.read_text(encoding="utf-8")
        definition.write_text(text.replace("id: modul-baru", f"id: {module_id}", 1), encoding="utf-8")
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InitError(t("cannot write '{target}': {reason}", target=target, reason=os_reason(exc))) from None
    return target / "module.yaml"
