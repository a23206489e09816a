"""Import speed: a Word module of about 100 pages into a module definition.

Usage: python benchmarks/import_docx.py

Writes (with python-docx, as the test fixtures are written) a document of 10 BAB chapters, each
with 10 sections of four paragraphs (about 100 words each), lists, a table and a picture every
other section, and an exercise of 10 questions with a key: about 40,000 words, some 100 pages
in Word. Then times `modpack import` on it (best of 3) and prints the peak memory.
Target (issue 10): under 5 s on this machine.
"""

from __future__ import annotations

import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fixtures.docx.make import Made, Writer, png  # noqa: E402

WORDS = ("pendamping keluarga penerima manfaat layanan rujukan terpadu desa kabupaten program bantuan sosial "
         "kesejahteraan data warga kebutuhan usaha modal pemasaran catatan pertemuan kelompok").split()


def paragraph(rng: random.Random, words: int = 100) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def write(path: Path) -> tuple[int, int]:
    rng = random.Random(7)
    made = Made(path)
    w = Writer(made)
    w.title("Modul Uji Kinerja Impor")
    w.para("KEMENTERIAN SOSIAL REPUBLIK INDONESIA")
    for bab in range(1, 11):
        w.heading(f"BAB {bab} KEGIATAN BELAJAR {bab}", 1)
        w.para("Alokasi waktu: 2 JP")
        for section in range(1, 11):
            w.heading(f"{chr(64 + section)}. Pokok bahasan {bab}.{section}", 2)
            for _ in range(4):
                w.para(paragraph(rng))
            w.bullet(paragraph(rng, 12))
            w.bullet(paragraph(rng, 12))
            if section % 2 == 0:
                w.table([["Komponen", "Keterangan"], ["Kesehatan", paragraph(rng, 8)], ["Pendidikan", paragraph(rng, 8)]])
                w.image(png(16, 16, (20 * bab, 10 * section, 90)), f"Ilustrasi pokok bahasan {bab}.{section}")
        w.heading("Latihan", 2)
        for n in range(1, 11):
            w.para(f"{n}. {paragraph(rng, 14)}")
            for letter in "abcd":
                w.para(f"{letter}. {paragraph(rng, 3)}")
        w.para("Kunci jawaban: " + " ".join(f"{n}. {rng.choice('abcd')}" for n in range(1, 11)))
    w.save()
    return len(w.doc.paragraphs), sum(len(t.split()) for t in made.texts)


def main() -> None:
    from modpack import messages
    from modpack.importer import import_docx

    messages.use("en")
    work = Path(tempfile.mkdtemp(prefix="modpack-import-bench-"))
    try:
        document = work / "modul-100-halaman.docx"
        paragraphs, words = write(document)
        times = []
        for attempt in range(3):
            out = work / f"modul-{attempt}"
            start = time.perf_counter()
            result = import_docx(document, out)
            times.append(time.perf_counter() - start)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"document: {paragraphs} paragraphs, {words:,} words, {document.stat().st_size / 1024:.0f} KB "
              "(about 100 pages in Word)")
        print(f"  modpack import        {min(times):.2f} s best of 3 ({', '.join(f'{t:.2f}' for t in times)})  "
              f"peak RSS {rss:.0f} MB   (target < 5 s)")
        print(f"  recognised            {result.questions} questions, "
              f"{len(list((work / 'modul-0' / 'halaman').iterdir()))} pages")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
