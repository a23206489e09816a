"""The learner's player: the JavaScript and CSS every package carries, and its interface strings.

``player.js`` is the core, ``scorm.js`` and ``xapi.js`` the trackers (a package ships only
its own), ``strings.json`` the interface text, Indonesian first, which this module also
serves to Python (e.g. the titles of tests in manifests). May import: nothing of modpack.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DEFAULT = "id-ID"
# Strings only the build writes (a manifest's title, the page shown without JavaScript): packages
# do not ship them to the player, whose files are kept under 60 KB
BUILD_ONLY = frozenset({"lessons", "needsScript"})


@lru_cache(maxsize=None)
def table() -> dict[str, dict[str, str]]:
    """{language: {key: text}}, from the player's strings file."""
    text = (Path(__file__).parent / "strings.json").read_text(encoding="utf-8")
    strings: dict[str, dict[str, str]] = json.loads(text)
    return strings


def label(key: str, language: str) -> str:
    """The interface text ``key`` in ``language`` (by primary subtag), else in Indonesian."""
    strings = table()
    primary = language.split("-")[0]
    for candidate in (language, *[lang for lang in strings if lang.split("-")[0] == primary], DEFAULT):
        if candidate in strings and key in strings[candidate]:
            return strings[candidate][key]
    raise KeyError(key)


def shipped_table() -> dict[str, dict[str, str]]:
    """The strings the player itself shows: :func:`table` without :data:`BUILD_ONLY`."""
    return {lang: {k: v for k, v in strings.items() if k not in BUILD_ONLY} for lang, strings in table().items()}
