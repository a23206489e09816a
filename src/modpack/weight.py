"""What a learner downloads to see each page of a package, and how long that takes on a slow link.

One engine for every caller: `validate` and `build` weigh the files a build plans or wrote, `info`
weighs any package through the checker's bounded reader. It reads names, sizes and the few small
files that say what a page loads; never a media file. Times are transfer time alone (bytes x 8 /
bit rate), without latency or what a server's compression saves: a floor, said as such.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from .messages import t

# bit/s: 3G as the issue and Chrome's "Fast 3G" preset take it, and a 2G-like rural link
LINKS: dict[str, int] = {"3G": 1_600_000, "2G": 250_000}
MAX_READ = 4 * 1024 * 1024  # a page script or launch page larger than this is weighed, not read

# what a page makes the browser fetch: src= and poster= of its HTML (a link's href is fetched only when tapped)
_FETCHED = re.compile(r'''(?:src|poster)=\\?["']([^"'\\]+)''')
# a <picture>'s WebP offered first: what a browser fetches instead of its <img>'s src
_OFFERED_FIRST = re.compile(r'''<source type=\\?["']image/webp\\?["'] srcset=\\?["']([^"'\\ ,]+)[^>]*><img [^>]*?src=\\?["']([^"'\\]+)''')
_LINKED = re.compile(r'''<link[^>]+href=["']([^"']+)''', re.IGNORECASE)


def seconds(size: int, link: str) -> float:
    return size * 8 / LINKS[link]


@dataclass
class PageWeight:
    """One page (or, in a package modpack did not make, one launch page) and the files it loads."""

    id: str
    title: str
    files: dict[str, int]  # archive name -> bytes, what this page loads first

    @property
    def size(self) -> int:
        return sum(self.files.values())

    def heaviest(self) -> tuple[str, int]:
        return max(self.files.items(), key=lambda item: item[1])

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "bytes": self.size,
                "seconds": {link: round(seconds(self.size, link), 1) for link in LINKS}, "files": self.files}


@dataclass
class Weights:
    """The package's download figures: what the first launch loads before any page, each page, the whole."""

    total: int
    start: dict[str, int] = field(default_factory=dict)
    pages: list[PageWeight] = field(default_factory=list)
    budget: dict[str, float] | None = None  # the author's, when the package carries it (modpack's own)

    @property
    def start_size(self) -> int:
        return sum(self.start.values())

    def over_budget(self, page_kb: float, package_mb: float) -> list[tuple[PageWeight | None, str]]:
        """(page or None for the package, message) for every figure over the budget."""
        found: list[tuple[PageWeight | None, str]] = []
        for page in self.pages:
            if page.size > page_kb * 1000:
                name, size = page.heaviest()
                found.append((page, t("page '{page}' downloads {size} ({times}), over the budget of {budget} KB a "
                                      "page; heaviest: {file} ({file_size})", page=page.id, size=kb(page.size),
                                      times=times(page.size), budget=f"{page_kb:,.0f}", file=name, file_size=kb(size))))
        if self.total > package_mb * 1_000_000:
            found.append((None, t("the package weighs {size}, over the budget of {budget} MB", size=mb(self.total),
                                  budget=f"{package_mb:g}")))
        return found

    def over_own_budget(self, page_kb: float, package_mb: float) -> list[tuple[PageWeight | None, str]]:
        """Over the budget the package carries (its author's), else over the one given."""
        budget = self.budget or {}
        return self.over_budget(float(budget.get("page_kb", page_kb)), float(budget.get("package_mb", package_mb)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Weights":
        """Back from :meth:`to_dict` (what ``info`` returns as "download")."""
        return cls(total=data["bytes"], start=data["start"]["files"], budget=data.get("budget"),
                   pages=[PageWeight(p["id"], p["title"], p["files"]) for p in data["pages"]])

    def lines(self, every_page: bool = True) -> list[str]:
        """The figures as a table for people: what loads first, each page (or the heaviest), the whole."""
        rows = [(t("start (player and module data)"), self.start_size)] if self.start else []
        pages = self.pages if every_page else sorted(self.pages, key=lambda p: -p.size)[:3]
        if not every_page and len(self.pages) > len(pages):
            rows.append((t("the {count} heaviest of {total} pages:", count=len(pages), total=len(self.pages)), -1))
        rows += [(page.id, page.size) for page in pages]
        rows.append((t("whole package"), self.total))
        width = max(len(label) for label, size in rows if size >= 0)
        head = t("download (transfer time alone, 3G {fast} Mbit/s, 2G {slow} kbit/s):",
                 fast=LINKS["3G"] / 1e6, slow=LINKS["2G"] // 1000)
        return [head] + [f"  {label}" if size < 0 else f"  {label:<{width}}  {kb(size):>9}  " + "  ".join(
            f"{link} {_clock(seconds(size, link)):>11}" for link in LINKS) for label, size in rows]

    def to_dict(self) -> dict[str, Any]:
        return {"bytes": self.total, "links_bit_per_s": LINKS, "budget": self.budget,
                "start": {"bytes": self.start_size, "files": self.start,
                          "seconds": {link: round(seconds(self.start_size, link), 1) for link in LINKS}},
                "pages": [page.to_dict() for page in self.pages]}


def kb(size: int) -> str:
    return f"{size / 1000:,.0f} KB" if size < 1_000_000 else mb(size)


def mb(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def times(size: int) -> str:
    return ", ".join(t("{time} on {link}", time=_clock(seconds(size, link)), link=link) for link in LINKS)


def _clock(value: float) -> str:
    return t("{n} s", n=f"{value:.1f}") if value < 60 else t("{m} min {n} s", m=int(value // 60), n=f"{int(value % 60):02d}")


def weigh(sizes: Mapping[str, int], read: Callable[[str, int], bytes | None],
          launches: Iterable[str] = ()) -> Weights:
    """The weights of a package: ``sizes`` maps its file names to bytes, ``read(name, limit)`` gives a
    file's bytes (or None when it cannot), ``launches`` are its launch pages (for packages modpack did
    not make: each is weighed as one page with what it loads)."""
    data = _module_data(read) if "content/module.js" in sizes else None
    if data is None:
        return _by_launch(sizes, read, launches)
    weights = Weights(total=sum(sizes.values()), budget=data.get("budget"))
    launch_pages = [name for name in sizes if "/" not in name and name.endswith(".html")]
    if launch_pages:
        largest = max(launch_pages, key=lambda name: sizes[name])
        weights.start[largest] = sizes[largest]
    for name in sorted(sizes):
        if name.startswith("player/") or name == "content/module.js":
            weights.start[name] = sizes[name]
    has_assets = any(name.startswith("assets/") for name in sizes)
    for lesson in data.get("lessons") or []:
        for page in lesson.get("pages") or []:
            files: dict[str, int] = {}
            script = page.get("src")
            if isinstance(script, str) and script in sizes:
                files[script] = sizes[script]
                # what a page loads lives under assets/: a package without any needs no page read
                payload = read(script, MAX_READ) if has_assets else None
                if payload and (b"src=" in payload or b"poster=" in payload):
                    text = payload.decode("utf-8", "replace")
                    instead = {img: webp for webp, img in _OFFERED_FIRST.findall(text)} if b"<picture>" in payload else {}
                    for ref in _FETCHED.findall(text):
                        _add(files, sizes, posixpath.normpath(instead.get(ref, ref)))
            for media in (page.get("video"), page.get("audio")):
                if isinstance(media, dict):
                    for key in ("file", "poster"):
                        _add(files, sizes, media.get(key))
            title = page.get("title")
            text = next(iter(title.values()), "") if isinstance(title, dict) and title else str(page.get("id"))
            weights.pages.append(PageWeight(str(page.get("id")), text, files))
    return weights


def _add(files: dict[str, int], sizes: Mapping[str, int], name: Any) -> None:
    if isinstance(name, str) and name in sizes:
        files[name] = sizes[name]


def _module_data(read: Callable[[str, int], bytes | None]) -> dict[str, Any] | None:
    """content/module.js of a modpack package: `modpack.module({...});`."""
    raw = read("content/module.js", MAX_READ)
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    start, end = text.find("("), text.rfind(")")
    try:
        data = json.loads(text[start + 1:end])
    except (ValueError, RecursionError):  # another's package: nested thousands deep is not modpack's data
        return None
    return data if isinstance(data, dict) else None


def _by_launch(sizes: Mapping[str, int], read: Callable[[str, int], bytes | None], launches: Iterable[str]) -> Weights:
    """Another tool's package: each launch page with the scripts, styles and pictures it loads."""
    weights = Weights(total=sum(sizes.values()))
    for launch in dict.fromkeys(launches):
        if launch not in sizes:
            continue
        files = {launch: sizes[launch]}
        raw = read(launch, MAX_READ)
        html = raw.decode("utf-8", "replace") if raw else ""
        base = posixpath.dirname(launch)
        for ref in _FETCHED.findall(html) + _LINKED.findall(html):
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", ref):
                continue  # fetched from elsewhere, not from the package
            _add(files, sizes, posixpath.normpath(posixpath.join(base, ref.split("?")[0].split("#")[0])))
        weights.pages.append(PageWeight(launch, launch, files))
    return weights


def of_files(files: Mapping[str, Any]) -> Weights:
    """Weights of a package before it is written: archive name -> bytes, or a module file (its size;
    a file copied from the module is media or a download, never read here)."""
    sizes = {name: len(value) if isinstance(value, bytes) else int(value.size) for name, value in files.items()}

    def read(name: str, limit: int) -> bytes | None:
        value = files.get(name)
        return value if isinstance(value, bytes) and len(value) <= limit else None

    return weigh(sizes, read)


def of_zip(path: str | os.PathLike[str]) -> Weights:
    """Weights of a zip modpack has just written (a package from elsewhere: checker.weights, which
    reads within the checker's limits)."""
    with zipfile.ZipFile(path) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist() if not info.is_dir()}

        def read(name: str, limit: int) -> bytes | None:
            return archive.read(name) if sizes.get(name, limit + 1) <= limit else None

        return weigh(sizes, read)
