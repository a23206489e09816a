"""The file rule: no build packs a file from outside the module folder, by any field.

The fields are found by walking the model (modpack.model.fields.marked_fields), so a field
added to the model later is attacked here too: the template below must then cover it, or
test_the_template_covers_every_marked_field fails.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

import modpack
from modpack.definition import checks
from modpack.package.archive import stage_zip
from modpack.package.builder import BuildError, UnsafeFile
from modpack.definition.files import RefusedFile, approve, url_path
from modpack.model import Module
from modpack.model.fields import marked_fields, model_files

from .conftest import PLANTED, plant_canary, planted_files_in_zips

QUESTION_TYPES = ("single-choice", "multiple-response", "true-false", "fill-in", "matching", "categorize", "ordering",
                  "numeric")
SAFE = "Teks aman."


def _question(kind: str, ident: str) -> dict[str, Any]:
    base: dict[str, Any] = {"id": ident, "type": kind, "prompt": SAFE,
                            "feedback": {"correct": SAFE, "incorrect": SAFE}}
    if kind in ("single-choice", "multiple-response"):
        base["choices"] = [{"id": "a", "text": SAFE, "feedback": SAFE}, {"id": "b", "text": SAFE, "feedback": SAFE}]
        base["correct"] = "a" if kind == "single-choice" else ["a"]
    elif kind == "true-false":
        base["correct"] = True
    elif kind == "fill-in":
        base["accepted"] = ["pkh"]
    elif kind == "matching":
        base["sources"] = [{"id": "s1", "text": SAFE}, {"id": "s2", "text": SAFE}]
        base["targets"] = [{"id": "t1", "text": SAFE}, {"id": "t2", "text": SAFE}]
        base["correct"] = {"s1": "t1", "s2": "t2"}
    elif kind == "categorize":
        base["categories"] = [{"id": "k1", "text": SAFE}, {"id": "k2", "text": SAFE}]
        base["items"] = [{"id": "i1", "text": SAFE}, {"id": "i2", "text": SAFE}]
        base["correct"] = {"i1": "k1", "i2": "k2"}
    elif kind == "ordering":
        base["items"] = [{"id": "i1", "text": SAFE}, {"id": "i2", "text": SAFE}]
    elif kind == "numeric":
        base["correct"] = 5
    return base


def _assessment(ident: str) -> dict[str, Any]:
    return {
        "id": ident,
        "questions": [_question(kind, f"{ident}-{kind}") for kind in QUESTION_TYPES],
        "pools": [{"id": f"{ident}-bank", "draw": 1,
                   "questions": [_question(kind, f"{ident}-bank-{kind}") for kind in QUESTION_TYPES]}],
    }


def template() -> dict[str, Any]:
    """A module that fills every field that can name a file, each with something harmless."""
    return {
        "id": "modul-uji",
        "title": "Modul uji",
        "iri_base": "https://pelatihan.example.go.id/xapi/",
        "workload": {"self_paced_jp": 1},
        "pre_test": _assessment("pra-tes"),
        "lessons": [{
            "id": "pelajaran-satu",
            "title": "Pelajaran satu",
            "pages": [
                {"id": "halaman-teks", "title": "Teks", "text": SAFE},
                {"id": "halaman-berkas", "title": "Berkas", "file": "halaman/satu.md",
                 "audio": {"file": "media/suara.mp3"},
                 "video": {"file": "media/video.mp4", "poster": "gambar/poster.png", "captions": {"id-ID": "media/teks.vtt"}},
                 "attachments": [{"file": "unduhan/lembar.pdf", "title": "Lembar"}]},
            ],
            "quiz": _assessment("kuis"),
        }],
        "post_test": _assessment("pasca-tes"),
        "theme": {"logo": "gambar/logo.png"},
    }


HARMLESS_FILES = {
    "halaman/satu.md": "Halo.\n", "media/suara.mp3": "mp3", "media/video.mp4": "mp4", "gambar/poster.png": "png",
    "media/teks.vtt": "WEBVTT\n", "unduhan/lembar.pdf": "%PDF-1.4", "gambar/logo.png": "png",
}


def _matches(pattern: tuple[str, ...], data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Concrete paths in ``data`` for an abstract path of marked_fields ('[]', '{}', '<type>')."""
    if not pattern:
        return [path]
    head, rest = pattern[0], pattern[1:]
    if head == "[]":
        items = data if isinstance(data, list) else []
        return [m for i, item in enumerate(items) for m in _matches(rest, item, path + (i,))]
    if head == "{}":
        items = data.items() if isinstance(data, dict) else []
        return [m for key, item in items for m in _matches(rest, item, path + (key,))]
    if head.startswith("<"):
        return _matches(rest, data, path) if isinstance(data, dict) and data.get("type") == head[1:-1] else []
    return _matches(rest, data[head], path + (head,)) if isinstance(data, dict) and head in data else []


MARKED = sorted(set(marked_fields(Module)))
FIELDS = {".".join(p): (p, how) for p, how in MARKED}


def test_the_template_covers_every_marked_field():
    data = template()
    uncovered = [name for name, (pattern, _) in FIELDS.items() if not _matches(pattern, data)]
    assert not uncovered, f"extend template() so that it fills: {uncovered}"
    # the walk finds what the model says names files: prompts, choices, feedback, items, media
    kinds = {how for _, how in MARKED}
    assert kinds == {"markdown", "markdown-file", "file"}
    assert any(name.endswith("choices.[].feedback") for name in FIELDS)
    assert any(name.endswith("video.captions.{}") for name in FIELDS)


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _write(folder: Path, data: dict[str, Any], extra: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for rel, text in {**HARMLESS_FILES, **(extra or {})}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def _attacks(canary: Path, depth: int) -> dict[str, str]:
    """The ways a Markdown text can name ``canary`` from ``depth`` folders below its parent."""
    up = "../" * depth
    encoded = "%2e%2e/" * depth
    return {
        "dot-dot": f"![peta]({up}{canary.name})",
        "absolute": f"[unduh]({canary})",
        "url-encoded": f"![peta]({encoded}{canary.name})",
        "encoded-slash": f"[unduh]({up[:-1].replace('/', '%2F')}%2F{canary.name})",
        "raw-img": f'<img src="{up}{canary.name}" alt="peta">',
        "raw-a": f'<a href="{canary}">unduh</a>',
        "srcset": f'<img src="gambar/poster.png" srcset="{up}{canary.name} 2x" alt="peta">',
        "svg-href": f'<svg><image xlink:href="{up}{canary.name}"/></svg>',
        "source-track": f'<video><source src="{up}{canary.name}"><track src="{encoded}{canary.name}"></video>',
        "entity": f'<img src="&#46;&#46;/{up}{canary.name}" alt="peta">'.replace("&#46;&#46;/", "", 1)
                  .replace(up, "&#46;&#46;/" * depth, 1),
        "symlink": "![peta](gambar/tautan.png)",
    }


def _no_build(folder: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build refuses, through validation, and also when validation is skipped: the packer
    asks the same rule itself."""
    with pytest.raises(modpack.InvalidDefinition):
        modpack.build(folder, out=out)
    with monkeypatch.context() as patched:
        patched.setattr(checks, "files", lambda *args, **kwargs: iter(()))  # a validator that forgot
        try:
            module = modpack.load(folder)
        except modpack.InvalidDefinition:
            return  # the schema itself refuses the value ('..' or an absolute path in a path field)
        with pytest.raises(UnsafeFile):
            modpack.build_package(module, out=out)
    assert not out.exists() or not list(out.iterdir())


MARKDOWN_FIELDS = [name for name, (_, how) in FIELDS.items() if how == "markdown"]
PATH_FIELDS = [name for name, (_, how) in FIELDS.items() if how != "markdown"]


@pytest.mark.parametrize("field", MARKDOWN_FIELDS)
def test_markdown_in_every_field_cannot_name_a_file_outside(field, tmp_path, monkeypatch):
    canary = tmp_path / "rahasia.txt"
    plant_canary(canary)
    pattern, _ = FIELDS[field]
    data = template()
    where = _matches(pattern, data)[0]
    attacks = _attacks(canary, 1)
    _set(data, where, "\n\n".join(attacks.values()) + "\n")
    folder = _write(tmp_path / "modul", data)
    (folder / "gambar" / "tautan.png").symlink_to(canary)
    found = [d for d in modpack.validate(folder) if d.severity == "error"]
    at_field = [d for d in found if d.field.startswith(modpack.definition.diagnostics.format_field(where))]
    escapes = [d for d in at_field if d.code == "path-escape"]
    # every attack is reported, each on its own line of the text (one paragraph each)
    assert len({d.line for d in escapes if d.line}) == len(attacks), [str(d) for d in found]
    _no_build(folder, tmp_path / "dist", monkeypatch)


PATH_ATTACKS = ["dot-dot", "absolute", "url-encoded", "symlink"]


@pytest.mark.parametrize("attack", PATH_ATTACKS)
@pytest.mark.parametrize("field", PATH_FIELDS)
def test_every_path_field_cannot_name_a_file_outside(field, attack, tmp_path, monkeypatch):
    canary = tmp_path / "rahasia.txt"
    plant_canary(canary)
    pattern, how = FIELDS[field]
    data = template()
    where = _matches(pattern, data)[0]
    value = {"dot-dot": "../rahasia.txt", "absolute": str(canary), "url-encoded": "%2e%2e/rahasia.txt",
             "symlink": "media/tautan.mp3"}[attack]
    _set(data, where, value)
    folder = _write(tmp_path / "modul", data)
    (folder / "media" / "tautan.mp3").symlink_to(canary)
    found = [d for d in modpack.validate(folder) if d.severity == "error"]
    assert any(d.field.startswith(modpack.definition.diagnostics.format_field(where)) for d in found), [str(d) for d in found]
    _no_build(folder, tmp_path / "dist", monkeypatch)


@pytest.mark.parametrize("attack", list(_attacks(Path("/x/rahasia.txt"), 2)))
def test_a_markdown_file_cannot_name_a_file_outside(attack, tmp_path, monkeypatch):
    """Inside a page's Markdown file (halaman/satu.md, two folders below the canary)."""
    canary = tmp_path / "rahasia.txt"
    plant_canary(canary)
    text = _attacks(canary, 2)[attack]
    if attack == "symlink":
        text = "![peta](../gambar/tautan.png)"
    folder = _write(tmp_path / "modul", template(), {"halaman/satu.md": f"# Judul\n\n{text}\n"})
    (folder / "gambar" / "tautan.png").symlink_to(canary)
    found = [d for d in modpack.validate(folder) if d.severity == "error"]
    assert {(d.file.endswith("satu.md"), d.line) for d in found} == {(True, 3)}
    assert "path-escape" in {d.code for d in found}
    _no_build(folder, tmp_path / "dist", monkeypatch)


def test_a_good_module_with_every_field_builds_and_packs_what_it_names(tmp_path):
    data = template()
    data["lessons"][0]["pages"][0]["text"] = '![Peta](gambar/poster.png) <img src="gambar/peta%20desa.png" alt="Peta desa">'
    folder = _write(tmp_path / "modul", data, {"gambar/peta desa.png": "png2"})
    assert [d for d in modpack.validate(folder) if d.severity == "error"] == []
    for fmt in modpack.package.builder.FORMATS:
        zip_path = modpack.build(folder, format=fmt, out=tmp_path / "dist")[0]
        with zipfile.ZipFile(zip_path) as archive:
            names = set(archive.namelist())
        assert {"assets/gambar/poster.png", "assets/gambar/peta-desa.png", "assets/media/teks.vtt",
                "assets/unduhan/lembar.pdf"} <= names


# -- the rule itself and the packer's own refusal -----------------------------------------------


@pytest.mark.parametrize("reference", [
    "../x", "/etc/passwd", "a/../../x", "%2e%2e/x", "..%2Fx", "..%5cx", "C:/x", "file:///etc/passwd", "a%00b",
])
def test_the_rule_refuses_what_cannot_be_inside(reference):
    with pytest.raises(RefusedFile):
        url_path("", reference)


def test_the_rule_keeps_what_is_inside(tmp_path):
    (tmp_path / "gambar").mkdir()
    (tmp_path / "gambar" / "a b.png").write_bytes(b"x")
    assert url_path("halaman", "../gambar/a%20b.png") == "gambar/a b.png"
    assert approve(tmp_path, "gambar/./a b.png").rel == "gambar/a b.png"


def test_the_zip_writer_reads_only_approved_files(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"a")
    with pytest.raises(TypeError):
        stage_zip(tmp_path / "out" / "p.zip", {"a.txt": tmp_path / "a.txt"})  # type: ignore[dict-item]
    assert not any((tmp_path / "out").iterdir())


def test_a_file_swapped_after_its_check_is_not_packed(tmp_path):
    canary = tmp_path / "rahasia.txt"
    plant_canary(canary)
    module = tmp_path / "modul"
    module.mkdir()
    (module / "a.png").write_bytes(b"png")
    approved = approve(module, "a.png")
    (module / "a.png").unlink()
    (module / "a.png").symlink_to(canary)  # swapped for a link between the check and the packing
    with pytest.raises(RefusedFile):
        stage_zip(tmp_path / "out" / "p.zip", {"assets/a.png": approved})
    (module / "a.png").unlink()
    os.link(canary, module / "a.png")  # or for another file under the same name
    with pytest.raises(RefusedFile):
        stage_zip(tmp_path / "out" / "p.zip", {"assets/a.png": approved})
    assert not any((tmp_path / "out").iterdir())


def test_a_page_read_once_is_read_again_once_it_changes(tmp_path):
    """PageTexts spares the packer a second read of each page validation read, but answers only
    for the file as it was read: edited, or replaced by another file, it is read afresh."""
    from modpack.definition.files import PageTexts, approve

    page = tmp_path / "halaman.md"
    page.write_text("Isi pertama.", encoding="utf-8")
    texts = PageTexts()
    first = texts.read(approve(tmp_path, "halaman.md"))
    assert first == "Isi pertama."
    assert texts.read(approve(tmp_path, "halaman.md")) is first  # unchanged: not read again
    page.write_text("Isi kedua, lebih panjang.", encoding="utf-8")
    assert texts.read(approve(tmp_path, "halaman.md")) == "Isi kedua, lebih panjang."
    replacement = tmp_path / "baru.md"
    replacement.write_text("Isi ketiga: panjang sama.", encoding="utf-8")  # same size as the one before
    os.replace(replacement, page)  # another inode under the same name
    assert texts.read(approve(tmp_path, "halaman.md")) == "Isi ketiga: panjang sama."


def test_one_module_is_approved_once_and_packed_as_validated(tmp_path):
    """Validation and the packer share what validation saw (Module._page_texts): a file is approved
    once, a page read once; a page edited in between is packed as validated (the zip is what was
    checked), and a file replaced in between is refused when it is opened, never packed unchecked."""
    from modpack.definition.files import Folder, PageTexts

    page = tmp_path / "halaman.md"
    page.write_text("Isi pertama.", encoding="utf-8")
    picture = tmp_path / "peta.png"
    picture.write_bytes(b"gambar")
    texts = PageTexts()
    validation = Folder(tmp_path, texts=texts)
    seen = validation.approve("halaman.md")
    first = texts.read(seen)
    shown = validation.approve("peta.png")
    page.write_text("Isi kedua, lebih panjang.", encoding="utf-8")
    replacement = tmp_path / "baru.png"
    replacement.write_bytes(b"lain!!")
    os.replace(replacement, picture)  # another inode under the same name
    packer = Folder(tmp_path, texts=texts)
    assert packer.approve("halaman.md") is seen and texts.read(packer.approve("halaman.md")) is first
    assert packer.approve("peta.png") is shown
    with pytest.raises(RefusedFile) as refused:
        packer.approve("peta.png").read_bytes()
    assert refused.value.code == "file-changed"
    fresh = PageTexts()  # the next build's: it sees the files as they are now
    assert fresh.read(Folder(tmp_path, texts=fresh).approve("halaman.md")) == "Isi kedua, lebih panjang."


# -- hard links and special files ---------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 4096, 1024 * 1024 + 3])
def test_a_file_is_read_whole_and_its_hash_kept(tmp_path, size, monkeypatch):
    from modpack import filehash

    monkeypatch.setattr(filehash, "RACY_NS", -1)  # a file just written is remembered too, here
    data = os.urandom(size)
    (tmp_path / "berkas.bin").write_bytes(data)
    file = approve(tmp_path, "berkas.bin")
    assert file.read_bytes() == data
    assert file.read_bytes(limit=size) == data
    import hashlib

    assert filehash.known[filehash.state(os.stat(tmp_path / "berkas.bin"))] == hashlib.sha256(data).hexdigest()
    if size:
        with pytest.raises(RefusedFile) as refused:
            file.read_bytes(limit=size - 1)
        assert refused.value.code == "too-large"


_real_fstat = os.fstat


def _growing_after_fstat(monkeypatch, path: Path, extra: bytes) -> None:
    """A writer appends ``extra`` just after the reader's first fstat: the race, made certain."""
    grown = []

    def fstat(fd: int) -> os.stat_result:
        info = _real_fstat(fd)
        if not grown:
            grown.append(True)
            with open(path, "ab") as handle:
                handle.write(extra)
        return info

    monkeypatch.setattr(os, "fstat", fstat)


def test_a_file_that_grows_as_it_is_read_is_read_to_its_end_or_refused_past_its_limit(tmp_path, monkeypatch):
    from modpack import filehash

    monkeypatch.setattr(filehash, "RACY_NS", -1)  # a file just written is remembered too, here
    path = tmp_path / "halaman.md"
    path.write_bytes(b"a" * 100)
    file = approve(tmp_path, "halaman.md")
    _growing_after_fstat(monkeypatch, path, b"b" * 50)
    known = dict(filehash.known)
    assert file.read_bytes() == b"a" * 100 + b"b" * 50  # without a limit: all of it
    assert filehash.known == known  # read while it changed: no hash is kept for it
    monkeypatch.setattr(os, "fstat", _real_fstat)
    path.write_bytes(b"a" * 100)
    file = approve(tmp_path, "halaman.md")
    _growing_after_fstat(monkeypatch, path, b"b" * 50)
    with pytest.raises(RefusedFile) as refused:
        file.read_bytes(limit=120)  # 100 when it was looked at, 150 as it is read
    assert refused.value.code == "too-large"


def test_short_reads_of_a_growing_file_are_read_on_to_its_end(tmp_path, monkeypatch):
    """A read may return less than asked without being at the end (Linux caps one read at about
    2 GiB; FUSE and NFS may return less): a file that grew is read on until a read returns
    nothing, never cut at the size fstat gave."""
    path = tmp_path / "halaman.md"
    path.write_bytes(b"a" * 100)
    file = approve(tmp_path, "halaman.md")
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, 50)))
    _growing_after_fstat(monkeypatch, path, b"b" * 50)
    assert file.read_bytes() == b"a" * 100 + b"b" * 50
    monkeypatch.setattr(os, "fstat", _real_fstat)
    path.write_bytes(b"a" * 100)
    file = approve(tmp_path, "halaman.md")
    _growing_after_fstat(monkeypatch, path, b"b" * 50)
    with pytest.raises(RefusedFile):
        file.read_bytes(limit=120)


def test_a_hard_link_is_a_warning_naming_it(tmp_path, write_module):
    outside = tmp_path / "di-luar.png"
    plant_canary(outside)
    folder = write_module(files={"halaman/satu.md": "![Peta](../gambar/peta.png)\n"})
    (folder / "gambar").mkdir()
    os.link(outside, folder / "gambar" / "peta.png")
    found = modpack.validate(folder)
    assert [(d.severity, d.code) for d in found] == [("warning", "hard-link")]
    assert "gambar/peta.png" in found[0].message and "hard link" in found[0].message
    assert found[0].file.endswith("satu.md") and found[0].line == 1


def _validate_within(folder: Path, seconds: float = 10) -> list[Any]:
    """validate(folder), failing the test if it does not answer in time (it blocked)."""
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(modpack.validate(folder)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"validate blocked on {folder}"
    return result[0]


def _special(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    elif kind == "device":
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # like /dev/zero: endless if read
    else:
        path.symlink_to("/dev/zero")


@pytest.mark.parametrize("kind", ["fifo", "socket", "device", "link-to-device"])
def test_special_files_are_refused_without_blocking(kind, tmp_path, write_module, monkeypatch):
    folder = write_module(files={"halaman/satu.md": "[Unduh](../unduhan/berkas.pdf)\n"})
    (folder / "unduhan").mkdir()
    target = folder / "unduhan" / "berkas.pdf"
    _special(kind, target)
    found = _validate_within(folder)
    assert [d.code for d in found] == ["path-escape" if kind == "link-to-device" else "special-file"]
    _no_build(folder, tmp_path / "dist", monkeypatch)


def test_a_fifo_as_a_page_file_does_not_block(tmp_path, write_module):
    folder = write_module()
    (folder / "halaman" / "satu.md").unlink()
    os.mkfifo(folder / "halaman" / "satu.md")
    assert [d.code for d in _validate_within(folder)] == ["special-file"]
    assert stat.S_ISFIFO(os.lstat(folder / "halaman" / "satu.md").st_mode)


# -- the session-wide scan ----------------------------------------------------------------------


def test_the_zip_scan_finds_a_planted_file(tmp_path):
    """The scan every session ends with does find a leak: it is not a check that cannot fail."""
    token = plant_canary(tmp_path / "rahasia.txt")
    leaky = tmp_path / "scan" / "bocor.zip"
    leaky.parent.mkdir()
    with zipfile.ZipFile(leaky, "w") as archive:
        archive.writestr("assets/x.bin", b"prefix" + token)
    scanned, leaks = planted_files_in_zips(tmp_path / "scan")
    assert scanned == 1 and leaks == [f"{leaky}!assets/x.bin"]
    leaky.unlink()  # the session's own scan must not count this deliberate leak
    assert token in PLANTED


def test_a_fifo_as_the_definition_does_not_block(tmp_path):
    folder = tmp_path / "modul"
    folder.mkdir()
    os.mkfifo(folder / "module.yaml")
    assert [d.code for d in _validate_within(folder)] == ["special-file"]


def test_a_build_reports_the_hard_link_warning(tmp_path, write_module):
    outside = tmp_path / "di-luar.png"
    plant_canary(outside)
    folder = write_module(files={"halaman/satu.md": "![Peta](../gambar/peta.png)\n"})
    (folder / "gambar").mkdir()
    os.link(outside, folder / "gambar" / "peta.png")
    seen: list[modpack.Diagnostic] = []
    # the content is the author's to judge: warned, then built (inside the folder, a hard link is legitimate)
    modpack.build(folder, out=tmp_path / "dist", on_warning=seen.append)
    assert [d.code for d in seen] == ["hard-link"]
    PLANTED.remove(outside.read_bytes())  # this one was packed on purpose, after the warning
