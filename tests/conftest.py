from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest

# The suite reads messages in English, whatever the machine's locale (subprocesses inherit it);
# test_messages.py checks the Indonesian default and every translation.
os.environ["MODPACK_LANG"] = "en"
# Pictures made light are cached (package/media.py): in a folder of this run, not the user's cache.
os.environ["MODPACK_CACHE"] = tempfile.mkdtemp(prefix="modpack-cache-")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_MODULES = sorted(p.parent for p in SAMPLES.glob("*/module.yaml"))

# The smallest valid module; tests write variants of it with one mistake each.
MINIMAL = """\
id: modul-uji
title: Modul uji
iri_base: https://pelatihan.example.go.id/xapi/
workload:
  self_paced_jp: 1
lessons:
  - id: pelajaran-satu
    title: Pelajaran satu
    pages:
      - id: halaman-satu
        title: Halaman satu
        file: halaman/satu.md
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark by what a test needs, so no test can forget its mark: the browser fixture means
    Chromium; the lrs fixture (or an explicit lrs mark) means the LRS server."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "lrs" in names or item.get_closest_marker("lrs"):
            item.add_marker(pytest.mark.lrs)
            item.add_marker(pytest.mark.browser)
        if "browser" in names:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The test LMS (tests/browser/lms.py) serving packages unzipped under a fresh folder: its base
    URL, its recorded state, that folder, and a folder for the zips."""
    from .browser import lms

    packages = tmp_path_factory.mktemp("served")
    httpd, state = lms.start(packages)
    yield f"http://127.0.0.1:{httpd.server_address[1]}", state, packages, tmp_path_factory.mktemp("zips")
    httpd.shutdown()


@pytest.fixture(autouse=True)
def _language_as_the_environment_says():
    """A command run with --lang sets the language for the process; each test starts afresh."""
    from modpack import messages

    yield
    messages.use(None)


@pytest.fixture
def write_module(tmp_path: Path):
    """Write module.yaml (dedented) and extra files into a fresh folder; return the folder."""

    def write(text: str = MINIMAL, files: dict[str, str | bytes] | None = None, name: str = "module.yaml") -> Path:
        folder = tmp_path / "modul"
        folder.mkdir(exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
        for rel, content in {"halaman/satu.md": "Halo.\n", **(files or {})}.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def sample_copy(tmp_path: Path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SAMPLES / name, target)
        return target

    return copy


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (which never downloads a browser of its own)."""
    from playwright.sync_api import sync_playwright

    from .player_support import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run .ci/run, which installs it")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield IndonesianBrowser(chromium)
        chromium.close()


class IndonesianBrowser:
    """The browser of this suite's learners: a phone set to Indonesian (navigator.language id-ID,
    which the player reads when the LMS says nothing of the learner), unless a test asks otherwise."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("locale", "id-ID")
        return self._browser.new_context(**options)

    def new_page(self, **options):
        options.setdefault("locale", "id-ID")
        return self._browser.new_page(**options)

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


# Files planted outside module folders by the tests that try to leak them into a package. At
# the end of the session every zip the suite built is opened and no entry may hold one.
PLANTED: list[bytes] = []


def plant_canary(path: Path) -> bytes:
    """Write a file of random bytes at ``path`` (outside any module) and remember its content."""
    token = b"MODPACK-CANARY-" + secrets.token_hex(16).encode() + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(token)
    PLANTED.append(token)
    return token


def planted_files_in_zips(base: Path) -> tuple[int, list[str]]:
    """(zips scanned, 'zip!entry' of each entry holding a planted file) for every zip under ``base``."""
    scanned, leaks = 0, []
    for path in base.rglob("*.zip"):
        if not path.is_file() or path.is_symlink():
            continue  # a FIFO named .zip (test_hostile) would wait for a writer
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    data = archive.read(info)
                    leaks += [f"{path}!{info.filename}" for token in PLANTED if token in data]
            scanned += 1
        except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, ValueError, EOFError, RuntimeError):
            continue  # the fuzzed and hostile zips the checker tests write, not packages modpack built
    return scanned, leaks


@pytest.fixture(scope="session", autouse=True)
def no_zip_holds_a_planted_file(tmp_path_factory):
    """After every test: no zip the suite built, anywhere under its temporary folders, holds a
    file planted outside a module (tests plant them with plant_canary)."""
    base = tmp_path_factory.getbasetemp()
    plant_canary(base / "outside-every-module.txt")
    yield
    scanned, leaks = planted_files_in_zips(base)
    assert not leaks, f"{len(leaks)} planted file(s) found in {scanned} built zips: {leaks[:20]}"
