"""Pictures made light for slow links, at build time, with Pillow: the module's files stay as they are.

A raster picture (JPEG, PNG, WebP) is decoded once, turned as its EXIF says, stripped of its
metadata (EXIF, XMP, comments: where and when a photo was taken stays out), scaled down to the
width the player shows it at (its content column, 768 CSS px) and encoded again; a second copy at
twice that width is made only when the original has the pixels for it (phones with dense screens
pick it through srcset). A PNG slide or diagram (fewer than 32,768 colours) is reduced to 256
colours, as pngquant does; a PNG photo keeps its colours. Each copy is used only when it is smaller
than the original file. The
format stays the author's (JPEG stays JPEG, PNG stays PNG): every browser the learners have shows
it, and a WebP copy beside each would make packages bigger for LMS upload limits (docs/packages.md).

Same input, same bytes: fixed settings, no timestamps, Pillow's version pinned (.ci/constraints.txt)
and part of the cache key. Bounded: a picture over MAX_PIXELS or MAX_BYTES is packed as it is,
never decoded; a file Pillow cannot read is packed as it is.

The results are kept in a cache (MODPACK_CACHE, else $XDG_CACHE_HOME/modpack or ~/.cache/modpack),
keyed by the picture's bytes and the settings, so a rebuild after an edit redoes only new pictures.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_bytes
from ..definition.files import ModuleFile

SHOWN_WIDTH = 768  # px: player.css's content column (#modpack max-width: 48rem)
DOUBLE_WORTH = 1.5  # a 2x copy only from an original at least this many times the shown width
MAX_PIXELS = 50_000_000  # a 50 MP photo decodes to 150 MB: more than that is packed as it is
MAX_BYTES = 40 * 1024 * 1024
JPEG_QUALITY = 80
GRAPHIC_COLOURS = 32768  # a PNG with fewer colours than this is a slide or diagram, not a photo
RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
SETTINGS = f"v2|{SHOWN_WIDTH}|{DOUBLE_WORTH}|{JPEG_QUALITY}|{GRAPHIC_COLOURS}"


@dataclass(frozen=True)
class Picture:
    """A picture as packed: its bytes at the shown width, and at twice that when worth it."""

    data: bytes
    width: int
    height: int
    double: bytes | None = None
    double_width: int = 0


def is_raster(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in RASTER


def cache_folder() -> Path:
    given = os.environ.get("MODPACK_CACHE")
    if given:
        return Path(given) / "media"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "modpack" / "media"


def optimise(file: ModuleFile, cache: Path | None = None) -> Picture | None:
    """``file`` made light, or None when it is to be packed as it is (not smaller, not readable,
    too large to decode safely)."""
    if file.size > MAX_BYTES:
        return None
    with file.open() as handle:
        original = handle.read(MAX_BYTES + 1)
    if len(original) > MAX_BYTES:
        return None
    key = _key(original, file.rel)
    if cache is not None:
        kept = _cached(cache, key)
        if kept is not None:
            return kept if kept.data else None
    made = _made(original, RASTER[os.path.splitext(file.rel)[1].lower()])
    if cache is not None:
        _keep(cache, key, made)
    return made


def _key(data: bytes, name: str) -> str:
    from PIL import __version__ as pillow

    digest = hashlib.sha256(data)
    digest.update(f"|{os.path.splitext(name)[1].lower()}|{SETTINGS}|{pillow}".encode())
    return digest.hexdigest()


def _made(original: bytes, fmt: str) -> Picture | None:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(original))
            if opened.format != fmt or opened.width * opened.height > MAX_PIXELS or getattr(opened, "n_frames", 1) > 1:
                return None  # named .png but a JPEG inside, too big, or animated: as it is
            if fmt == "JPEG":  # decoded at the smallest DCT scale that still gives the pixels wanted: fast
                turned = opened.getexif().get(0x0112) in (5, 6, 7, 8)  # shown on its side: its height is the width
                across, down = (opened.height, opened.width) if turned else (opened.width, opened.height)
                wanted = min(across, SHOWN_WIDTH * 2)
                size = (wanted, max(1, down * wanted // across))
                opened.draft("RGB", size[::-1] if turned else size)
            image: Image.Image = ImageOps.exif_transpose(opened)
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError, SyntaxError):
        return None
    icc = image.info.get("icc_profile")
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if fmt != "JPEG" and image.mode == "P":
        image = image.convert("RGBA")

    def encode(width: int) -> tuple[bytes, int, int]:
        scaled: Image.Image = image
        if width < image.width:
            scaled = image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        options: dict[str, object] = {"icc_profile": icc} if icc else {}
        if fmt == "JPEG":
            scaled.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, subsampling="4:2:0", **options)
        elif fmt == "PNG":
            if scaled.mode in ("RGB", "RGBA") and scaled.getcolors(GRAPHIC_COLOURS) is not None:
                # a slide or diagram (few colours, unlike a photo): 256 colours look the same and weigh a third
                method = Image.Quantize.MEDIANCUT if scaled.mode == "RGB" else Image.Quantize.FASTOCTREE
                scaled = scaled.quantize(256, method=method, dither=Image.Dither.NONE)
            scaled.save(out, "PNG", optimize=True, **options)
        else:
            scaled.save(out, "WEBP", quality=JPEG_QUALITY, method=6, **options)
        return out.getvalue(), scaled.width, scaled.height

    data, width, height = encode(min(image.width, SHOWN_WIDTH))
    if len(data) >= len(original):
        return None
    double, double_width = None, 0
    if image.width >= SHOWN_WIDTH * DOUBLE_WORTH:
        double, double_width, _ = encode(min(image.width, SHOWN_WIDTH * 2))
        if len(double) >= len(original):
            double, double_width = None, 0
    return Picture(data, width, height, double, double_width)


def _cached(cache: Path, key: str) -> Picture | None:
    """What an earlier build made of the same bytes; a Picture with no data: 'pack it as it is'."""
    try:
        facts = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
        if not facts.get("made"):
            return Picture(b"", 0, 0)
        data = (cache / f"{key}.1x").read_bytes()
        double = (cache / f"{key}.2x").read_bytes() if facts.get("double_width") else None
    except (OSError, ValueError, AttributeError):
        return None
    if hashlib.sha256(data).hexdigest() != facts.get("sha256"):
        return None  # a damaged cache entry is made again, never packed
    return Picture(data, int(facts["width"]), int(facts["height"]), double, int(facts.get("double_width", 0)))


def _keep(cache: Path, key: str, made: Picture | None) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        facts: dict[str, object] = {"made": made is not None}
        if made is not None:
            write_bytes(cache / f"{key}.1x", made.data)
            if made.double is not None:
                write_bytes(cache / f"{key}.2x", made.double)
            facts.update(width=made.width, height=made.height, double_width=made.double_width,
                         sha256=hashlib.sha256(made.data).hexdigest())
        write_bytes(cache / f"{key}.json", json.dumps(facts).encode())  # last: it vouches for the others
    except OSError:
        pass  # a cache that cannot be written only costs time


@dataclass(frozen=True)
class Stream:
    """What an audio or video file asks of the link it plays over."""

    seconds: float
    bit_rate: int  # bit/s, the file's average


def stream_of(file: ModuleFile) -> Stream | None:
    """Duration and average bit rate of an audio or video file (mutagen reads only its headers), or
    None when it is not a format mutagen knows."""
    import mutagen

    try:
        with file.open() as handle:
            found = mutagen.File(handle)
    except (mutagen.MutagenError, OSError, ValueError, EOFError):
        return None
    info = getattr(found, "info", None)
    seconds = float(getattr(info, "length", 0) or 0)
    if seconds <= 0:
        return None
    bit_rate = int(getattr(info, "bitrate", 0) or 0) or int(file.size * 8 / seconds)
    return Stream(seconds, max(bit_rate, int(file.size * 8 / seconds)))  # the container's weight counts too


# MP4 family: ISO base media files (ISO/IEC 14496-12), whose top-level boxes are size + type.
_ISO_MEDIA = (".mp4", ".m4v", ".m4a", ".mov")
_MOST_BOXES = 64  # a real file has a handful at the top; a hostile one is not walked further


def index_after_data(file: ModuleFile) -> bool:
    """Whether an MP4's index (its ``moov`` box) comes after its data (``mdat``): a player then
    needs the whole file before it can start, unless the server answers Range requests.

    Reads box headers only (8 or 16 bytes each, at most 64 of them); False for any other file
    or one whose boxes do not read as MP4."""
    if not file.rel.lower().endswith(_ISO_MEDIA):
        return False
    try:
        with file.open() as handle:
            offset, seen_data = 0, False
            for _ in range(_MOST_BOXES):
                handle.seek(offset)
                header = handle.read(8)
                if len(header) < 8:
                    return False
                size, kind = int.from_bytes(header[:4], "big"), header[4:]
                if size == 1:  # a 64-bit size follows the type
                    large = handle.read(8)
                    if len(large) < 8:
                        return False
                    size = int.from_bytes(large, "big")
                if kind == b"moov":
                    return seen_data
                if kind == b"mdat":
                    seen_data = True
                if size == 0:  # the last box runs to the end of the file
                    return False
                if size < 8:
                    return False  # not a box: not MP4 as it claims
                offset += size
    except OSError:
        return False
    return False
