"""A folder's tree, walked as ``os.walk`` walks it (top-down, links never entered), without
recursion: Python 3.11's ``os.walk`` calls itself once per level, so a folder nested a thousand
deep (a package or a module folder made to hurt) ended the command as a RecursionError. Here the
folders still to visit are a list, and depth costs nothing but the names it holds.
May import nothing of modpack.
"""

from __future__ import annotations

import os
from typing import Callable, Iterator


def walk(top: str | os.PathLike[str],
         onerror: Callable[[OSError], object] | None = None) -> Iterator[tuple[str, list[str], list[str]]]:
    """(folder, its folder names, its other names) for ``top`` and every folder below it, as
    ``os.walk(top, followlinks=False)`` gives them: a link to a folder is among the folder names
    but never entered; the caller may prune the folder names it is given. A folder that cannot be
    listed goes to ``onerror`` and is passed over."""
    pending = [os.fspath(top)]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError as error:
            if onerror is not None:
                onerror(error)
            continue
        dirs: list[str] = []
        files: list[str] = []
        links: set[str] = set()
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # follows a link, as os.walk does to list it among the folders
            except OSError:
                is_dir = False
            if is_dir:
                dirs.append(entry.name)
                try:
                    if entry.is_symlink():
                        links.add(entry.name)
                except OSError:
                    links.add(entry.name)  # not known not to be a link: not entered
            else:
                files.append(entry.name)
        yield here, dirs, files
        # depth first, in the order of the names the caller kept
        pending.extend(os.path.join(here, name) for name in reversed(dirs) if name not in links)
