"""Pictures made light for slow links, at build time, with Pillow: the module's files stay as they are.

A raster picture (JPEG, PNG, WebP) is decoded once, turned as its EXIF says, stripped of its
metadata (EXIF, XMP, comments: where and when a photo was taken stays out), scaled down to the
width the player shows it at (its content column, 768 CSS px) and encoded again; a second copy at
twice that width is made only when the original has the pixels for it (phones with dense screens
pick it through srcset). A PNG slide or diagram (fewer than 32,768 colours) is reduced to 256
colours, as pngquant does; a PNG photo keeps its colours. Each copy is used only when it is smaller
than the original file. The copies keep the author's format (JPEG stays JPEG, PNG stays PNG), which
every browser shows; beside each, a WebP copy (lossy for photos, lossless for slides) when it is at
least a tenth lighter: the page offers it first (<picture>), and a browser without WebP takes the
JPEG or PNG. Learners download one of them; the package carries both (docs/packages.md).

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
MAX_PIXELS = 50_000_000  # a 50 MP JPEG, decoded at a smaller scale: more than that is packed as it is
# other formats decode whole, and Pillow reduces RGBA through a premultiplied copy: 16 MP of RGBA
# is 64 MB, twice that at the peak
MAX_DECODED_PIXELS = 16_000_000
_REDUCIBLE = frozenset({"L", "LA", "RGB", "RGBA", "RGBa", "La", "CMYK", "I", "F"})  # the modes Image.reduce takes
MAX_BYTES = 40 * 1024 * 1024
JPEG_QUALITY = 80
WEBP_QUALITY = 80
WEBP_METHOD = 2  # libwebp's effort, 0-6: 3 and up take three times as long to save 2% more
WEBP_LOSSLESS_METHOD = 4  # for slides (few per module): 15-20% under their PNG, where 2 gives 10%; 6 takes 10x as long
WEBP_WORTH = 0.85  # a WebP copy only when it saves 15%: less, and the copy the package adds costs more than it saves
GRAPHIC_COLOURS = 32768  # a PNG with fewer colours than this is a slide or diagram, not a photo
RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
SETTINGS = (f"v4|{SHOWN_WIDTH}|{DOUBLE_WORTH}|{JPEG_QUALITY}|{GRAPHIC_COLOURS}|{WEBP_QUALITY}|{WEBP_METHOD}|"
            f"{WEBP_LOSSLESS_METHOD}|{WEBP_WORTH}")


@dataclass(frozen=True)
class Picture:
    """A picture as packed: its bytes at the shown width, and at twice that when worth it; each
    with a lighter WebP copy when there is one."""

    data: bytes
    width: int
    height: int
    double: bytes | None = None
    double_width: int = 0
    webp: bytes | None = None
    double_webp: bytes | None = None


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
            # decoded whole (all but JPEG, which decodes at a smaller scale): fewer pixels
            most = MAX_PIXELS if fmt == "JPEG" else MAX_DECODED_PIXELS
            if opened.format != fmt or opened.width * opened.height > most or getattr(opened, "n_frames", 1) > 1:
                return None  # named .png but a JPEG inside, too big, or animated: as it is
            turned = opened.getexif().get(0x0112) in (5, 6, 7, 8)  # shown on its side: its height is the width
            if fmt == "JPEG":  # decoded at the smallest DCT scale that still gives the pixels wanted: fast
                across, down = (opened.height, opened.width) if turned else (opened.width, opened.height)
                wanted = min(across, SHOWN_WIDTH * 2)
                size = (wanted, max(1, down * wanted // across))
                opened.draft("RGB", size[::-1] if turned else size)
            opened.load()
            # far wider than it is ever shown: reduced by whole steps before anything copies it (a
            # 7000-pixel PNG was turned, converted and resized at full size: 680 MB for 208 KB)
            factor = (opened.height if turned else opened.width) // (SHOWN_WIDTH * 2)
            decoded: Image.Image = opened
            if factor >= 2 and decoded.mode in ("P", "1"):  # reduce() takes neither: RGBA or L first (a
                decoded = decoded.convert("RGBA" if decoded.mode == "P" else "L")  # palette is made RGBA below too)
            reduced = decoded.reduce(factor) if factor >= 2 and decoded.mode in _REDUCIBLE else decoded
            image: Image.Image = ImageOps.exif_transpose(reduced)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError, SyntaxError):
        return None
    icc = image.info.get("icc_profile")
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if fmt != "JPEG" and image.mode == "P":
        image = image.convert("RGBA")

    def encode(width: int) -> tuple[bytes, int, int, bytes | None]:
        scaled: Image.Image = image
        if width < image.width:
            scaled = image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        options: dict[str, object] = {"icc_profile": icc} if icc else {}
        graphic = False
        if fmt == "JPEG":
            scaled.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, subsampling="4:2:0", **options)
        elif fmt == "PNG":
            if scaled.mode in ("RGB", "RGBA") and scaled.getcolors(GRAPHIC_COLOURS) is not None:
                # a slide or diagram (few colours, unlike a photo): 256 colours look the same and weigh a third
                graphic = True
                method = Image.Quantize.MEDIANCUT if scaled.mode == "RGB" else Image.Quantize.FASTOCTREE
                scaled = scaled.quantize(256, method=method, dither=Image.Dither.NONE)
            scaled.save(out, "PNG", optimize=True, **options)
        else:
            scaled.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD, **options)
            return out.getvalue(), scaled.width, scaled.height, None  # already WebP
        data = out.getvalue()
        light = io.BytesIO()
        if graphic:  # sharp text and lines: lossless, from the same 256 colours as the PNG
            scaled.convert("RGBA" if "transparency" in scaled.info else "RGB").save(
                light, "WEBP", lossless=True, quality=100, method=WEBP_LOSSLESS_METHOD, **options)
        else:
            scaled.save(light, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD, **options)
        webp = light.getvalue() if len(light.getvalue()) <= len(data) * WEBP_WORTH else None
        return data, scaled.width, scaled.height, webp

    data, width, height, webp = encode(min(image.width, SHOWN_WIDTH))
    if len(data) >= len(original):
        return None
    double, double_width, double_webp = None, 0, None
    if image.width >= SHOWN_WIDTH * DOUBLE_WORTH:
        double, double_width, _, double_webp = encode(min(image.width, SHOWN_WIDTH * 2))
        if len(double) >= len(original):
            double, double_width, double_webp = None, 0, None
    return Picture(data, width, height, double, double_width, webp, double_webp)


_PARTS = ("data", "double", "webp", "double_webp")  # a Picture's copies, each a file of the cache entry


def _cached(cache: Path, key: str) -> Picture | None:
    """What an earlier build made of the same bytes; a Picture with no data: 'pack it as it is'."""
    try:
        facts = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
        if not facts.get("made"):
            return Picture(b"", 0, 0)
        digests = facts["sha256"]
        copies: dict[str, bytes | None] = {}
        for part in _PARTS:
            if part not in digests:
                copies[part] = None
                continue
            data = (cache / f"{key}.{part}").read_bytes()
            if hashlib.sha256(data).hexdigest() != digests[part]:
                return None  # a damaged cache entry is made again, never packed
            copies[part] = data
        if copies["data"] is None:
            return None
        return Picture(copies["data"], int(facts["width"]), int(facts["height"]), copies["double"],
                       int(facts.get("double_width", 0)), copies["webp"], copies["double_webp"])
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None


def _keep(cache: Path, key: str, made: Picture | None) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        facts: dict[str, object] = {"made": made is not None}
        if made is not None:
            digests = {}
            for part in _PARTS:
                data = getattr(made, part)
                if data is not None:
                    write_bytes(cache / f"{key}.{part}", data)
                    digests[part] = hashlib.sha256(data).hexdigest()
            facts.update(width=made.width, height=made.height, double_width=made.double_width, sha256=digests)
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
                if offset >= file.size:  # past the file's end (a 64-bit size of 2**64 - 1 cannot be sought)
                    return False
    except OSError:
        return False
    return False
