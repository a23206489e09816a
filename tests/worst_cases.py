"""Generated worst cases, one per class of hostile or unlucky input (issue 12): made on demand
into a folder, for the tests (small sizes) and for benchmarks/hostile.py (full sizes).

Each maker takes the folder and a scale (1.0: the benchmark's size, up to a 100 MB zip) and
returns the path it wrote. Nothing here is committed as a file: the cases are big and cheap to make.
"""

from __future__ import annotations

import io
import os
import random
import socket
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from .fixtures.hostile.make import INDEX, MANIFEST, entry

STAMP = (1980, 1, 1, 0, 0, 0)


def _local_header(name: bytes, crc: int, compressed: int, size: int, method: int = 8) -> bytes:
    return struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, compressed, size, len(name), 0) + name


def _central(name: bytes, crc: int, compressed: int, size: int, offset: int, method: int = 8) -> bytes:
    return struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 0x031E, 20, 0, method, 0, 0x21, crc, compressed, size,
                       len(name), 0, 0, 0, 0, 0o100644 << 16, offset) + name


def _end(count: int, size: int, offset: int) -> bytes:
    return struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, size, offset, 0)


def _kernel(size: int, ratio: int) -> bytes:
    """Raw DEFLATE of ``size`` bytes compressing about ``ratio`` to 1 (just under the checker's cap)."""
    rng = random.Random(12)
    block = bytearray(65536)
    for _ in range(max(65536 // (ratio * 2), 1)):
        block[rng.randrange(65536)] = rng.randrange(256)
    data = bytes(block) * (size // 65536)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def overlapping_bomb(folder: Path, scale: float = 1.0, suffix: str = ".txt", kernel_blocks: int = 62) -> Path:
    """David Fifield's overlapping zip bomb, made to pass every per-entry check: each entry's DEFLATE
    stream quotes the local headers after it and ends in one shared kernel, so N entries of a small
    zip each declare (truthfully) several MB. Names end in ``suffix`` (text: the credential scan
    reads them too). The entries' sizes add up to just under the checker's total budget."""
    kernel_size = kernel_blocks * 65536  # 62: each entry just under the 4 MB the credential scan reads
    kernel = _kernel(kernel_size, 150)
    kernel_data = zlib.decompress(kernel, -15)
    count = max(int(2 * 1024**3 // (kernel_size + 20_000) * scale), 2)  # their sizes add up to just under 2 GB
    names = [f"f{n:04d}{suffix}".encode() for n in range(count)]
    # from the last entry back: each entry's data quotes the next local header, then continues as its data
    headers: list[bytes] = [b""] * count
    crcs, sizes, lengths = [0] * count, [0] * count, [0] * count
    tail_crc, tail_size, tail_compressed = zlib.crc32(kernel_data), len(kernel_data), len(kernel)
    for n in range(count - 1, -1, -1):
        header = _local_header(names[n], tail_crc, tail_compressed, tail_size)
        headers[n], crcs[n], sizes[n], lengths[n] = header, tail_crc, tail_size, tail_compressed
        # what entry n-1 inflates to: this header (quoted in a stored block), then all entry n inflates to
        tail_size = len(header) + tail_size
        tail_compressed = 5 + len(header) + tail_compressed
        tail_crc = _crc_concat(zlib.crc32(header), crcs[n], sizes[n])
    out = bytearray()
    offsets = []
    for n in range(count):
        offsets.append(len(out))
        out += headers[n]
        if n + 1 < count:
            out += struct.pack("<BHH", 0, len(headers[n + 1]), len(headers[n + 1]) ^ 0xFFFF)
    out += kernel
    central = b"".join(_central(names[n], crcs[n], lengths[n], sizes[n], offsets[n]) for n in range(count))
    path = folder / f"overlapping-bomb{suffix.replace('.', '-')}.zip"
    path.write_bytes(bytes(out) + central + _end(count, len(central), len(out)))
    return path


def _crc_concat(crc_a: int, crc_b: int, length_b: int) -> int:
    """crc32(a + b) from crc32(a), crc32(b) and len(b) (zlib's crc32_combine, in Python)."""
    # multiply crc_a by x^(8*length_b) modulo the CRC polynomial, then xor crc_b
    def gf2_times(mat: list[int], vec: int) -> int:
        total, i = 0, 0
        while vec:
            if vec & 1:
                total ^= mat[i]
            vec >>= 1
            i += 1
        return total

    def gf2_square(mat: list[int]) -> list[int]:
        return [gf2_times(mat, mat[n]) for n in range(32)]

    if length_b == 0:
        return crc_a
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = gf2_square(odd)
    odd = gf2_square(even)
    crc = crc_a
    while True:
        even = gf2_square(odd)
        if length_b & 1:
            crc = gf2_times(even, crc)
        length_b >>= 1
        if not length_b:
            break
        odd = gf2_square(even)
        if length_b & 1:
            crc = gf2_times(odd, crc)
        length_b >>= 1
        if not length_b:
            break
    return crc ^ crc_b


def many_entries(folder: Path, scale: float = 1.0) -> Path:
    """The most entries the checker reads (20,000), each listed by a resource that depends on every
    other resource's neighbour: a rule quadratic in files, resources or dependencies shows here."""
    count = max(int(19_990 * scale), 10)
    buffer = io.BytesIO()
    resources = []
    for n in range(count):
        deps = "".join(f'<dependency identifierref="R{(n + k) % count}"/>' for k in (1, 2, 3))
        resources.append(f'<resource identifier="R{n}" type="webcontent" adlcp:scormtype="asset" href="f/{n}.html">'
                         f'<file href="f/{n}.html"/><file href="f/{(n + 1) % count}.html"/>{deps}</resource>')
    items = "".join(f'<item identifier="I{n}" identifierref="R{n}"><title>T</title></item>' for n in range(min(count, 5000)))
    manifest = (MANIFEST.decode().replace('<item identifier="I" identifierref="R"><title>T</title></item>', items)
                .replace('<resources>', '<resources>' + "".join(resources))).encode()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry("imsmanifest.xml"), manifest)
        archive.writestr(entry("index.html"), INDEX)
        for n in range(count):
            archive.writestr(entry(f"f/{n}.html"), f'<a href="{(n + 7) % count}.html">x</a>'.encode())
    path = folder / "many-entries.zip"
    path.write_bytes(buffer.getvalue())
    return path


def credential_matches(folder: Path, scale: float = 1.0) -> Path:
    """Text files full of credential-like strings: a scan that counts lines per match is quadratic."""
    count = max(int(25 * scale), 1)
    rng = random.Random(5)
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    lines, size = [], 0
    while size < 4 * 1024 * 1024 - 200:  # random tokens: it compresses like real text, under the ratio cap
        token = bytes(rng.choice(alphabet) for _ in range(24))
        line = b"x=1;Authorization: 'Basic " + token + b"';\n"
        lines.append(line)
        size += len(line)
    text = b"".join(lines)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST)
        archive.writestr(entry("index.html"), INDEX)
        for n in range(count):
            archive.writestr(entry(f"cfg{n}.js"), text)
    path = folder / "credential-matches.zip"
    path.write_bytes(buffer.getvalue())
    return path


def stored_media(folder: Path, scale: float = 1.0) -> Path:
    """A plain large package: 100 MB of stored (already compressed) media, the honest worst case."""
    count = max(int(100 * scale), 1)
    rng = random.Random(3)
    chunk = rng.randbytes(1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST)
        archive.writestr(entry("index.html"), INDEX)
        for n in range(count):
            archive.writestr(entry(f"media/v{n}.mp4", zipfile.ZIP_STORED), chunk)
    path = folder / "stored-media.zip"
    path.write_bytes(buffer.getvalue())
    return path


def crafted_pictures(folder: Path, scale: float = 1.0) -> Path:
    """Pictures of the most parts a size allows, stored: 60 MB each of one-byte GIF sub-blocks,
    empty PNG chunks, and empty JPEG segments ending in FF D9 (check walks what the end does not
    settle, and looks at a JPEG's header segment by segment), and each cut in half: every walk
    stops at MAX_PARTS, and such a picture is not judged."""
    size = max(int(60 * 2**20 * scale), 4096)
    pictures = {"g.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x2c" + b"\x00" * 9 + b"\x02" + b"\x01\x00" * (size // 2),
                "p.png": b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x00abcd\x00\x00\x00\x00" * (size // 12),
                "j.jpg": b"\xff\xd8" + b"\xff\xe0\x00\x02" * (size // 4) + b"\xff\xd9"}
    path = folder / "crafted-pictures.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST)
        archive.writestr(entry("index.html"), INDEX)
        for name, data in pictures.items():
            archive.writestr(entry(f"media/{name}", zipfile.ZIP_STORED), data)
            archive.writestr(entry(f"media/cut-{name}", zipfile.ZIP_STORED), data[:len(data) // 2])
    return path


def many_crafted_pictures(folder: Path, scale: float = 1.0) -> Path:
    """10,000 JPEGs of 100,000 restart markers each, ending in FF D9, deflated to 3 MB: each picture's
    walk stops at MAX_PARTS, and the package's pictures share MAX_TOTAL_PARTS (before, 3 min 44 s)."""
    count = max(int(10_000 * scale), 30)
    data = b"\xff\xd8" + b"\xff\xd0" * 100_010 + b"\xff\xd9"
    path = folder / "many-crafted-pictures.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST)
        archive.writestr(entry("index.html"), INDEX)
        for n in range(count):
            archive.writestr(entry(f"media/{n}.jpg"), data)
    return path


def deep_manifest(folder: Path, scale: float = 1.0) -> Path:
    """A manifest nested as deep as the XML parser allows, with items inside items."""
    depth = max(int(250 * scale), 5)
    items = '<item identifier="I0" identifierref="R"><title>T</title>'
    items += "".join(f'<item identifier="I{n}"><title>T</title>' for n in range(1, depth)) + "</item>" * depth
    manifest = MANIFEST.decode().replace('<item identifier="I" identifierref="R"><title>T</title></item>', items)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry("imsmanifest.xml"), manifest.encode())
        archive.writestr(entry("index.html"), INDEX)
    path = folder / "deep-manifest.zip"
    path.write_bytes(buffer.getvalue())
    return path


def deep_player_data(folder: Path, scale: float = 1.0) -> Path:
    """A package that looks like modpack's, its content/module.js data nested 100,000 deep (info
    read it with json and ended as an internal error)."""
    depth = max(int(100_000 * scale), 5_000)  # past the json module's recursion limit at any scale
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST)
        archive.writestr(entry("index.html"), INDEX)
        archive.writestr(entry("content/module.js"), b"modpack.module(" + b"[" * depth + b"]" * depth + b");")
    path = folder / "deep-player-data.zip"
    path.write_bytes(buffer.getvalue())
    return path


def special_files(folder: Path, scale: float = 1.0) -> Path:
    """A package folder holding a FIFO, a socket, a hard link, a symlink loop and an undecodable name."""
    root = folder / "special-files"
    root.mkdir()
    (root / "imsmanifest.xml").write_bytes(MANIFEST)
    (root / "index.html").write_bytes(INDEX)
    os.mkfifo(root / "fifo.html")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "socket.js"))
    server.close()
    os.link(root / "index.html", root / "hardlink.html")
    (root / "loop").symlink_to("loop")
    (root / "d").mkdir()
    (root / "d" / "up").symlink_to("..")
    os.close(os.open(os.fsencode(root) + b"/bad-\xff-name.html", os.O_CREAT | os.O_WRONLY, 0o644))
    return root


ZIP_CASES: dict[str, Callable[[Path, float], Path]] = {
    "overlapping-bomb": overlapping_bomb,
    "many-entries": many_entries,
    "credential-matches": credential_matches,
    "stored-media": stored_media,
    "crafted-pictures": crafted_pictures,
    "many-crafted-pictures": many_crafted_pictures,
    "deep-manifest": deep_manifest,
    "deep-player-data": deep_player_data,
}


def big_manifest(folder: Path, scale: float = 1.0) -> Path:
    """A manifest just under the 8 MB the checker reads: resources, files and dependencies by the
    ten thousand, most pointing at nothing (a finding each)."""
    count = max(int(38_000 * scale), 10)
    resources = "".join(f'<resource identifier="R{n}" type="webcontent" adlcp:scormtype="asset" href="x/{n}.html">'
                        f'<file href="x/{n}.html"/><dependency identifierref="R{(n * 7) % count}"/>'
                        f'<dependency identifierref="Q{n}"/></resource>' for n in range(count))
    items = "".join(f'<item identifier="I{n}" identifierref="R{n}"><title>T</title></item>' for n in range(count // 4))
    manifest = (MANIFEST.decode().replace('<item identifier="I" identifierref="R"><title>T</title></item>', items)
                .replace("<resources>", "<resources>" + resources)).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry("imsmanifest.xml"), manifest)
        archive.writestr(entry("index.html"), INDEX)
    path = folder / "big-manifest.zip"
    path.write_bytes(buffer.getvalue())
    return path


ZIP_CASES["big-manifest"] = big_manifest
