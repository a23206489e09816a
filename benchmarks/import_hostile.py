"""Import of crafted Word documents: each grows linearly with its input, never quadratically.

Usage: python benchmarks/import_hostile.py [--size 1.0]

Each class of a review's hostile documents (a long chain of styles based on styles, thousands of
headings or lessons titled alike, thousands of exercises with an answer key each, a run of digits
after "JP") is written at n and 2n, and imported by `modpack import` in a process of its own.
Prints the seconds, the peak RSS and the exit code of each, and the growth from n to 2n: about 2x
is linear; a rule quadratic in its input shows 4x (before the fixes: 5.7x for the style chain,
3.8x for the answer keys, 3.8x for the digits, and 16,000 headings did not end in a minute; the
lopsided table took 13 s and 4 GB at 16,000, the spaces hours at a million).
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def paragraph(text: str, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def base() -> dict[str, bytes]:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    with zipfile.ZipFile(out) as z:
        return {name: z.read(name) for name in z.namelist()}


def write(path: Path, parts: dict[str, bytes], body: str, styles: str = "") -> None:
    parts = dict(parts)
    parts["word/document.xml"] = f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'.encode()
    if styles:
        parts["word/styles.xml"] = parts["word/styles.xml"].replace(b"</w:styles>", styles.encode() + b"</w:styles>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def style_chain(n: int) -> tuple[str, str]:
    chain = "".join(f'<w:style w:type="paragraph" w:styleId="S{i}"><w:name w:val="s{i}"/>'
                    + (f'<w:basedOn w:val="S{i - 1}"/>' if i else "") + "</w:style>" for i in range(n))
    body = paragraph("Modul Gaya", "Title") + paragraph("Pelajaran Satu", "Heading1")
    body += paragraph("Halaman", "Heading2") + "".join(paragraph(f"teks {i}", f"S{n - 1}") for i in range(200))
    return body, chain


def same_titles(n: int) -> tuple[str, str]:
    body = paragraph("Modul Judul Kembar", "Title") + paragraph("Pelajaran Satu", "Heading1")
    return body + "".join(paragraph("A. Sama", "Heading2") + paragraph(f"teks {i}") for i in range(n)), ""


def answer_keys(n: int) -> tuple[str, str]:
    body = paragraph("Modul Latihan", "Title") + paragraph("Pelajaran Satu", "Heading1")
    for i in range(n):
        body += paragraph(f"Latihan {i}", "Heading2") + paragraph("1. Apa?") + paragraph("a. ya") + paragraph("b. tidak")
    return body + paragraph("Kunci Jawaban", "Heading1") + "".join(paragraph("1. a") for _ in range(n)), ""


def digits(n: int) -> tuple[str, str]:
    body = paragraph("Modul Angka", "Title") + paragraph("Pelajaran Satu", "Heading1")
    return body + paragraph("Alokasi waktu jp " + "1" * n), ""


def lopsided_table(n: int) -> tuple[str, str]:
    """A row of n empty cells over n rows of one: every row was padded to the widest (n x n)."""
    body = paragraph("Modul Tabel", "Title") + paragraph("Pelajaran Satu", "Heading1") + paragraph("Halaman", "Heading2")
    rows = "".join(f"<w:tr><w:tc><w:p><w:r><w:t>baris {i}</w:t></w:r></w:p></w:tc></w:tr>" for i in range(n))
    return body + "<w:tbl><w:tr>" + "<w:tc/>" * n + "</w:tr>" + rows + "</w:tbl>", ""


def spaces(n: int) -> tuple[str, str]:
    """n spaces between two words in one run (a lazy pattern before trailing spaces: n x n)."""
    body = paragraph("Modul Spasi", "Title") + paragraph("Pelajaran Satu", "Heading1") + paragraph("Halaman", "Heading2")
    return body + paragraph("awal" + " " * n + "ujung"), ""


def nested_cell(n: int) -> tuple[str, str]:
    """n paragraphs in a cell of a table nested 80 deep (each paragraph's ancestors walked: n x 240)."""
    body = paragraph("Modul Sel", "Title") + paragraph("Pelajaran Satu", "Heading1") + paragraph("Halaman", "Heading2")
    inner = "".join(paragraph(f"isi {i}") for i in range(n))
    return body + "<w:tbl><w:tr><w:tc>" * 80 + inner + "</w:tc></w:tr></w:tbl>" * 80, ""


CASES: dict[str, tuple[Callable[[int], tuple[str, str]], int]] = {
    "a chain of styles based on styles": (style_chain, 300),
    "headings titled alike": (same_titles, 8000),
    "exercises, each with its key": (answer_keys, 1000),
    "a run of digits after 'JP'": (digits, 40000),
    "a row of n cells over n rows of one": (lopsided_table, 8000),
    "a run of n spaces": (spaces, 400_000),
    "n paragraphs in a cell 80 tables deep": (nested_cell, 20_000),
}


def measure(document: Path, out: Path) -> tuple[float, float, int]:
    """Seconds, peak RSS (MB, GNU time's) and exit code of one import in a process of its own."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "modpack", "import", str(document),
                             "--out", str(out)], capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - start
    return seconds, int(result.stderr.strip().splitlines()[-1]) / 1024, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=float, default=1.0, help="scale every n")
    args = parser.parse_args()
    parts = base()
    work = Path(tempfile.mkdtemp(prefix="modpack-import-hostile-"))
    try:
        for name, (make, n) in CASES.items():
            n = max(1, int(n * args.size))
            figures = []
            for size in (n, 2 * n):
                body, styles = make(size)
                document = work / f"{size}.docx"
                write(document, parts, body, styles)
                figures.append((size, *measure(document, work / "out")))
            (n1, t1, _, c1), (n2, t2, m2, c2) = figures
            print(f"{name}: n={n1:,} {t1:5.2f} s, n={n2:,} {t2:5.2f} s (peak RSS {m2:5.0f} MB, exit {c1}/{c2})   "
                  f"growth {t2 / t1:4.1f}x for 2x the input")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
