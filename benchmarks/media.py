"""Pictures made light at build time (issue 19): time and bytes saved on the 76 MB media course.

Usage: python benchmarks/media.py [--keep DIR]

The course of benchmarks/build.py (11 modules, each 20 pages, ten photos, one 5 MB video), with
real photos this time: 1600 x 1200 JPEGs of about 150 KB, as a photo forwarded through a chat
app reaches a training team, with the EXIF a phone writes. Prints, for the course built with
`delivery.optimise_images` off and on: the build time (on: with an empty cache, then again with
the cache an earlier build left), the bytes of the packages and of their pictures, what a learner
downloads for a page with a photo and its time on 3G and 2G, and whether two builds from an
empty cache give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

MODULES = 11
PAGES = 20
PHOTOS = 10
VIDEO_SIZE = 5 * 1024 * 1024


def photo(seed: int, width: int = 1600, height: int = 1200) -> bytes:
    """Texture at every scale (noise at four scales, blended), a gradient, a phone's EXIF."""
    from PIL import Image

    layers = []
    for k, scale in enumerate((1, 4, 16, 64)):
        small = Image.effect_noise((max(1, width // scale), max(1, height // scale)), 12)
        layers.append(small.rotate(90 * ((seed + k) % 4), expand=True).resize((width, height), Image.Resampling.BICUBIC))
    grey = Image.blend(Image.blend(layers[0], layers[1], 0.5), Image.blend(layers[2], layers[3], 0.5), 0.5)
    image = Image.merge("RGB", (grey, grey.rotate(180), Image.linear_gradient("L").resize((width, height))))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Ponsel"
    exif[0x0132] = f"2026:03:{1 + seed % 28:02d} 09:30:00"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def make_course(root: Path, optimise: bool, photos: list[bytes], video: bytes) -> None:
    for i in range(MODULES):
        folder = root / f"modul-{i}"
        (folder / "halaman").mkdir(parents=True)
        (folder / "gambar").mkdir()
        (folder / "video").mkdir()
        for j in range(PHOTOS):
            (folder / "gambar" / f"foto-{j}.jpg").write_bytes(photos[(i * PHOTOS + j) % len(photos)])
        (folder / "video" / "materi.mp4").write_bytes(video)
        pages = []
        for p in range(PAGES):
            image = f"\n\n![Foto kegiatan {p}](../gambar/foto-{p % PHOTOS}.jpg)\n" if p < PHOTOS else ""
            (folder / "halaman" / f"{p:02d}.md").write_text(f"## Bagian {p}\n\nPendampingan keluarga.{image}\n",
                                                           encoding="utf-8")
            pages.append(f"      - {{id: halaman-{p}, title: Halaman {p}, file: halaman/{p:02d}.md}}")
        pages[0] = ("      - id: halaman-0\n        title: Halaman 0\n        file: halaman/00.md\n"
                    "        video: {file: video/materi.mp4, title: Video materi}")
        (folder / "module.yaml").write_text(
            f"id: modul-{i}\ntitle: Modul {i}\niri_base: https://pelatihan.example.go.id/xapi/\n"
            f"workload: {{self_paced_jp: 5}}\ndelivery: {{optimise_images: {'true' if optimise else 'false'}}}\n"
            "lessons:\n  - id: pelajaran\n    title: Pelajaran\n    pages:\n" + "\n".join(pages) + "\n", encoding="utf-8")
    (root / "course.yaml").write_text("id: kursus-media\ntitle: Kursus media\nmodules:\n"
                                      + "".join(f"  - modul-{i}\n" for i in range(MODULES)), encoding="utf-8")


def build(course: Path, out: Path, cache: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "MODPACK_CACHE": str(cache)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "modpack", "build", str(course / "course.yaml"), "--out", str(out), "--force"],
                   check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def pictures_bytes(out: Path) -> tuple[int, int, int]:
    """(bytes of every package, of the JPEG pictures in them, of their WebP copies)."""
    total = jpeg = webp = 0
    for package in out.glob("*.zip"):
        total += package.stat().st_size
        with zipfile.ZipFile(package) as z:
            jpeg += sum(i.file_size for i in z.infolist() if i.filename.endswith(".jpg"))
            webp += sum(i.file_size for i in z.infolist() if i.filename.endswith(".webp"))
    return total, jpeg, webp


def digest(out: Path) -> str:
    h = hashlib.sha256()
    for package in sorted(out.glob("*.zip")):
        h.update(package.read_bytes())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="make the data here and keep it")
    args = parser.parse_args()
    from modpack import checker
    from modpack.weight import LINKS, kb, times

    work = args.keep or Path(tempfile.mkdtemp(prefix="modpack-media-"))
    work.mkdir(parents=True, exist_ok=True)
    photos = [photo(seed) for seed in range(40)]
    video = os.urandom(VIDEO_SIZE)
    make_course(work / "as-they-are", False, photos, video)
    make_course(work / "made-light", True, photos, video)
    sources = sum(f.stat().st_size for f in (work / "made-light").rglob("*") if f.is_file())
    off = build(work / "as-they-are", work / "out-off", work / "cache-unused")
    cold = build(work / "made-light", work / "out-on", work / "cache-1")
    warm = build(work / "made-light", work / "out-on", work / "cache-1")
    first = digest(work / "out-on")
    build(work / "made-light", work / "out-again", work / "cache-2")
    same = digest(work / "out-again") == first
    total_off, pictures_off, _ = pictures_bytes(work / "out-off")
    total_on, pictures_on, webp_on = pictures_bytes(work / "out-on")

    def picture_page(out: Path) -> int:
        weights = checker.weights(next(out.glob("modul-0-*.zip")))
        assert weights is not None
        return next(p for p in weights.pages if p.id == "halaman-1").size

    page_off, page_on = picture_page(work / "out-off"), picture_page(work / "out-on")
    print(f"media course: {MODULES} modules, {sources / 1e6:.1f} MB of sources, {MODULES * PHOTOS} photos "
          f"({sum(len(p) for p in photos) / len(photos) / 1000:.0f} KB each on average, 1600 x 1200)")
    print(f"  build, pictures as they are        {off:6.2f} s")
    print(f"  build, made light, empty cache     {cold:6.2f} s  (+{cold - off:.2f} s for {MODULES * PHOTOS} photos)")
    print(f"  build, made light, cache of before {warm:6.2f} s")
    print(f"  packages      {total_off / 1e6:7.1f} MB -> {total_on / 1e6:7.1f} MB")
    print(f"  their photos  {pictures_off / 1e6:7.1f} MB -> {pictures_on / 1e6:7.1f} MB JPEG "
          f"(the 1x copies and the 2x copies for dense screens) + {webp_on / 1e6:.1f} MB WebP copies")
    print(f"  a page with one photo, as a phone at 360 px loads it ({', '.join(f'{k} {v / 1e6:g} Mbit/s' for k, v in LINKS.items())}):")
    print(f"    before {kb(page_off):>8}  {times(page_off)}")
    print(f"    after  {kb(page_on):>8}  {times(page_on)}   ({100 * (1 - page_on / page_off):.0f}% less)")
    print(f"  same bytes from two empty caches: {'yes' if same else 'NO'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
