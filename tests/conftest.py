from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

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
        yield chromium
        chromium.close()
