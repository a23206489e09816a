"""Names LMSs accept: ASCII file names without spaces, identifiers that are XML NCNames."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_segment(name: str) -> str:
    """'Peta Desa (baru).svg' -> 'peta-desa-baru.svg'; 'Ñusa é.png' -> 'nusa-e.png'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = ascii_name.rpartition(".") if "." in ascii_name.strip(".") else (ascii_name, "", "")
    stem = _UNSAFE.sub("-", stem).strip("-.").lower() or "file"
    suffix = _UNSAFE.sub("", suffix).lower()
    return f"{stem}.{suffix}" if dot and suffix else stem


class NameMap:
    """Maps module-relative paths to unique, safe archive paths under a prefix."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._by_source: dict[str, str] = {}
        self._taken: set[str] = set()

    def add(self, source: str) -> str:
        if source in self._by_source:
            return self._by_source[source]
        parts = [safe_segment(part) for part in PurePosixPath(source).parts]
        candidate = "/".join([self.prefix, *parts])
        stem, dot, suffix = candidate.rpartition(".") if "." in parts[-1] else (candidate, "", "")
        n = 2
        while candidate.lower() in self._taken:  # also unique on case-insensitive file systems
            candidate = f"{stem}-{n}{dot}{suffix}"
            n += 1
        self._taken.add(candidate.lower())
        self._by_source[source] = candidate
        return candidate

    def get(self, source: str) -> str | None:
        return self._by_source.get(source)

    def items(self) -> list[tuple[str, str]]:
        return sorted(self._by_source.items(), key=lambda item: item[1])


def ncname(*parts: str) -> str:
    """An XML NCName with no periods or spaces, e.g. ncname('ITEM', 'pra-tes') -> 'ITEM-pra-tes'."""
    name = "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", p) for p in parts if p)
    return name if re.match(r"^[A-Za-z_]", name) else f"_{name}"
