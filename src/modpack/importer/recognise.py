"""From a Word document's blocks to the parts of a Kemensos module: the title, lessons (BAB,
Kegiatan Belajar) and pages, objectives ("Tujuan Pembelajaran", "Indikator"), questions and
their keys ("Latihan", "Evaluasi", "Kunci Jawaban"), the JP ("Alokasi Waktu").

What is not recognised stays as page text, and a note says where it is (heading path and
paragraph number): nothing of the document's text is lost.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .word import Block, Inline, Document

# Section titles, in the words Kemensos modules use (lowercase, numbering removed).
FRONT = ("kata pengantar", "sambutan", "prakata", "pengantar", "kata sambutan")
CONTENTS = ("daftar isi", "daftar tabel", "daftar gambar", "daftar lampiran", "daftar bagan")
KEY = ("kunci jawaban", "kunci jawaban soal", "kunci")
BACK = ("glosarium", "daftar istilah", "daftar pustaka", "referensi", "bibliografi", "kepustakaan", "lampiran",
        "sumber bacaan")
PRETEST = ("pre test", "pretest", "pre-test", "tes awal", "tes pendahuluan")
FINAL = ("evaluasi akhir", "post test", "posttest", "post-test", "tes akhir", "soal evaluasi", "tes sumatif",
         "evaluasi", "uji kompetensi", "evaluasi pembelajaran")
EXERCISE = FINAL + ("latihan", "soal latihan", "tes formatif", "soal", "uji pemahaman", "tes") + PRETEST
INSTRUCTIONS = ("petunjuk", "petunjuk pengerjaan", "petunjuk umum", "petunjuk soal")
OBJECTIVES = ("tujuan pembelajaran", "indikator keberhasilan", "indikator hasil belajar", "kompetensi dasar",
              "tujuan", "capaian pembelajaran", "indikator", "tujuan pembelajaran khusus", "tujuan pembelajaran umum")

_NUMBERING = re.compile(r"^(?:bab\s+[ivxlcdm\d]+|kegiatan\s+belajar\s*\d*|modul\s+\d+|[a-z]\.|\d+(?:\.\d+)*\.?|"
                        r"[ivxlcdm]+\.)\s*[:.\-–]?\s*", re.IGNORECASE)
_STEM = re.compile(r"^\s*(\d{1,3})\s*[.)]\s+(\S.*)$")
_OPTION = re.compile(r"^\s*([a-eA-E])\s*[.)]\s+(\S.*)$")
_TRUE_FALSE_MARK = re.compile(r"\s*\((?:B\s*/\s*S|Benar\s*/\s*Salah|B-S)\)\s*$", re.IGNORECASE)
_KEY_ENTRY = re.compile(
    r"(?<![\w])(\d{1,3})\s*[.):=\-]?\s*((?:benar|salah|[a-e])(?![a-z])(?:\s*(?:,|dan|&|/)\s*[a-e](?![a-z]))*)",
    re.IGNORECASE)
# a number never begun inside another (a run of 20,000 digits was tried from each of them: quadratic)
_JP = re.compile(r"(?<![\d.,])(\d{1,5}(?:[.,]\d{1,3})?)\s*(?:jp\b|jam\s+pelajaran)", re.IGNORECASE)
_MINUTES = re.compile(r"(?<!\d)(\d{1,5})\s*[x×]\s*45\s*menit", re.IGNORECASE)
_BAB = re.compile(r"^bab\s+[ivxlcdm\d]+\b", re.IGNORECASE)
_BAB_ONLY = re.compile(r"^bab\s+[ivxlcdm\d]+\s*[.:]?\s*$", re.IGNORECASE)
_KB = re.compile(r"^kegiatan\s+belajar\b", re.IGNORECASE)


def normal_title(text: str) -> str:
    """'BAB II Kegiatan Belajar 1: ...' -> 'kegiatan belajar 1: ...'; 'D. Latihan' -> 'latihan'."""
    words = re.sub(r"\s+", " ", text).strip().lower()
    stripped = _NUMBERING.sub("", words, count=1).strip(" :.-–")
    return stripped or words


# words that name a kind of section only when they are its whole title: 'Tujuan' is the objectives,
# 'Tujuan Program Keluarga Harapan' is material about the programme
_WHOLE_TITLE_ONLY = frozenset({"tujuan", "indikator"})


def is_kind(title: str, kinds: tuple[str, ...]) -> bool:
    name = normal_title(title)
    return name in kinds or any((name.startswith(k + " ") or name.startswith(k + ":")) and k not in _WHOLE_TITLE_ONLY
                                for k in kinds)


def slug(text: str, fallback: str = "bagian", limit: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    value = ""
    for word in words:
        if len(value) + len(word) + 1 > limit:
            break
        value = f"{value}-{word}" if value else word
    if not value or not value[0].isalpha():
        value = f"{fallback}-{value}" if value else fallback
    return value


class Ids:
    """Unique slugs within one kind of id."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}  # a slug taken -> the number its next twin tries first

    def make(self, text: str, fallback: str) -> str:
        base = slug(text, fallback)
        candidate, n = base, self.next.get(base, 2)
        while candidate in self.taken:  # numbered on from the last twin: 16,000 equal titles stay linear
            candidate = f"{base[:60]}-{n}"
            n += 1
        self.next[base] = n
        self.taken.add(candidate)
        return candidate


@dataclass
class Section:
    title: str
    level: int
    block: Block | None
    parent: "Section | None" = None
    blocks: list[Block] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)

    @property
    def path(self) -> str:
        names = []
        section: Section | None = self
        while section is not None and section.block is not None:
            names.append(section.title)
            section = section.parent
        return " › ".join(reversed(names))

    def all_blocks(self) -> list[Block]:
        found = list(self.blocks)
        for child in self.children:
            found += [b for b in ([child.block] if child.block else [])] + child.all_blocks()
        return found

    def first_index(self) -> int | None:
        if self.block is not None:
            return self.block.index
        return self.blocks[0].index if self.blocks else None


@dataclass
class Note:
    """A diagnostic of the import: where in the document, and what."""

    message: str
    severity: str = "warning"  # warning or info
    path: str = ""
    index: int | None = None
    code: str = "import"


# -- headings -----------------------------------------------------------------------------------


def heading_levels(blocks: list[Block]) -> dict[int, int]:
    """block index -> heading level. Heading styles when the document uses them; otherwise the
    patterns modules are typed with: 'BAB I ...' and short all-bold titles."""
    styled = {b.index: b.heading for b in blocks if b.heading is not None and b.kind == "paragraph" and b.text}
    if styled:
        levels = {i: level for i, level in styled.items() if level is not None}
        if 2 not in levels.values():
            # Heading 1 for chapters, and sections typed: a bold 'A. Latar Belakang', a bold 'Latihan'
            # or 'Kunci Jawaban' line (the shape many modules mix)
            previous = ""
            for block in blocks:
                text = block.text
                if block.kind != "paragraph" or not text or block.list_level is not None or block.index in levels:
                    previous = text or previous
                    continue
                short = len(text.split()) <= 14 and not text.endswith((".", ",", ";", "?", ":"))
                in_question = bool(_STEM.match(previous) or _OPTION.match(previous))
                option_like = bool(_OPTION.match(text)) and (text[0].islower() or in_question) \
                    and not is_kind(text, KEY + EXERCISE + OBJECTIVES)  # 'C. Kunci Jawaban' after 'd. tahun'
                if block.all_bold and short and not _STEM.match(text) and not option_like and \
                        (re.match(r"^[A-Z]\.\s", text) or is_kind(text, EXERCISE + KEY + OBJECTIVES)):
                    levels[block.index] = 2
                previous = text
        return levels
    found: dict[int, int] = {}
    has_bab = any(_BAB.match(b.text) for b in blocks if b.kind == "paragraph")
    previous = ""
    for block in blocks:
        text = block.text
        if block.kind != "paragraph" or not text or block.list_level is not None:
            previous = text or previous
            continue
        short = len(text.split()) <= 14 and not text.endswith((".", ",", ";", "?", ":"))
        # "A. Latar Belakang" is a section; "a. ibu hamil" after a question, an option in bold
        in_question = bool(_STEM.match(previous) or _OPTION.match(previous))
        option_like = bool(_OPTION.match(text)) and (text[0].islower() or in_question) \
            and not is_kind(text, KEY + EXERCISE + OBJECTIVES)
        if _BAB.match(text) or (_KB.match(text) and not has_bab):
            found[block.index] = 1
        elif _KB.match(text) and block.all_bold:
            found[block.index] = 2
        elif block.all_bold and short and not _STEM.match(text) and not option_like:
            letter = re.match(r"^[A-Z]\.\s", text)
            found[block.index] = 2 if letter or not text.isupper() else 1
        previous = text
    return found


def sections(document: Document, lesson_level: int) -> tuple[Section, Block | None]:
    """The section tree (the root holds what comes before the first heading) and the title block."""
    levels = heading_levels(document.blocks)
    title_block = next((b for b in document.blocks if b.title and b.text), None)
    if title_block is None:  # the first heading at the top, when nothing comes before it (a typed cover is the title)
        first = next((b for b in document.blocks if b.index in levels), None)
        before = [b for b in document.blocks if first is not None and b.index < first.index and b.text]
        if first is not None and not before and levels[first.index] == min(levels.values()) and \
                not any(normal_title(first.text).startswith(k) for k in FRONT + CONTENTS + PRETEST):
            title_block = first
            del levels[first.index]
    root = Section("", 0, None)
    stack = [root]
    joined: set[int] = set()  # a chapter's title line, joined to its 'BAB I' line above
    blocks = document.blocks
    for at, block in enumerate(blocks):
        if block is title_block or block.index in joined:
            continue
        level = levels.get(block.index)
        if level is None:
            stack[-1].blocks.append(block)
            continue
        while len(stack) > 1 and stack[-1].level >= level:
            stack.pop()
        title = block.text
        following = blocks[at + 1] if at + 1 < len(blocks) else None
        # 'BAB I' alone on its line, its title on the next (a heading, or a short line): one chapter
        if _BAB_ONLY.match(title) and following is not None and following.kind == "paragraph" and following.text \
                and following.list_level is None and not _BAB.match(following.text) \
                and not re.match(r"^[A-Z]\.\s", following.text) \
                and (levels.get(following.index, level) >= level) and len(following.text.split()) <= 14:
            title = f"{title} {following.text}"
            joined.add(following.index)
        section = Section(title, level, block, stack[-1])
        stack[-1].children.append(section)
        stack.append(section)
    return root, title_block


# -- questions ---------------------------------------------------------------------------------


@dataclass
class ParsedQuestion:
    number: int
    stem: Block
    options: list[tuple[str, Block]] = field(default_factory=list)  # (letter, block)
    marked: list[str] = field(default_factory=list)  # letters marked right in the document (bold, highlight)
    true_false: bool = False
    extra: list[Block] = field(default_factory=list)  # what follows the stem before its options (text, a picture)


@dataclass
class Exercise:
    section: Section
    lesson: Any  # the LessonDraft it belongs to, or None for the pre-/post-test
    questions: list[ParsedQuestion]
    other: list[Block]  # instructions and what is not a question
    key: dict[int, str] = field(default_factory=dict)  # number -> answer as written
    role: str = "quiz"  # quiz, pre-test or post-test

    @property
    def label(self) -> str:
        lesson_title = self.lesson.title if self.lesson is not None else ""
        return f"{lesson_title} {self.section.title}".strip()


def _stem_text(block: Block) -> str:
    match = _STEM.match(block.text)
    return match.group(2) if match and block.list_level is None else block.text


def _mark(text: str) -> str:
    """What follows a typed number: '.' in '2. Perhatikan', ')' in '1) Ibu hamil' (statements inside it)."""
    found = re.match(r"^\s*\d{1,3}\s*([.)])", text)
    return found.group(1) if found else ""


_SHORT_ANSWER = re.compile(r"\s*(?:[a-eA-E](?:\s*[,&/]\s*[a-eA-E])*|[bBsS]|benar|salah|Benar|Salah|BENAR|SALAH)\s*")
_OPTION_MARK = re.compile(r"(?:^|(?<=\s))([a-eA-E])[.)]\s")


def _compact(block: Block) -> list[Block]:
    """A question typed on one line, its options after tabs or Shift+Enter ('1. Soal? a. ya b. tidak'),
    as the paragraphs it would have been: the stem, then one per option (a, b, c... in order)."""
    if block.kind != "paragraph" or block.list_level is not None or "b" not in block.text.lower():
        return [block]
    text = block.text
    run, expected = [], "a"
    for mark in _OPTION_MARK.finditer(text):
        if mark.group(1).lower() == expected:
            run.append(mark.start())
            expected = chr(ord(expected) + 1)
    if len(run) < 2:
        return [block]
    pieces = [text[:run[0]]] + [text[a:b] for a, b in zip(run, run[1:] + [len(text)])]
    return [Block("paragraph", block.index, inlines=[Inline(piece.strip())]) for piece in pieces if piece.strip()]


def _option_line(following: list[Block]) -> bool:
    """Whether the next block is an option: typed 'a.', or an item of Word's own lettered list."""
    return bool(following) and (bool(_OPTION.match(following[0].text))
                                or following[0].list_format in ("lowerLetter", "upperLetter"))


def parse_questions(blocks: list[Block], true_false_hint: bool
                    ) -> tuple[list[ParsedQuestion], list[Block], dict[int, str], list[Block]]:
    """Questions (numbered stems with a-e options), the other blocks, and any key written inline
    ("Kunci jawaban: 1. a 2. b") with the paragraphs that held it."""
    questions: list[ParsedQuestion] = []
    other: list[Block] = []
    key: dict[int, str] = {}
    key_blocks: list[Block] = []
    stem_level = min((b.list_level for b in blocks if b.list_level is not None and b.list_format == "decimal"),
                     default=None)
    # a question typed on one line is split, unless its options follow on lines of their own (then
    # 'a. ... b. ...' in the stem is a list the question asks about)
    pieces = [piece for at, whole in enumerate(blocks)
              for piece in (_compact(whole) if not _option_line(blocks[at + 1:at + 2]) else [whole])]
    for block in pieces:
        text = block.text
        if block.kind == "paragraph" and re.match(r"^\s*kunci(\s+jawaban)?\s*[:\-]", text, re.IGNORECASE):
            key.update(key_entries(text.split(":", 1)[-1] if ":" in text else text))
            key_blocks.append(block)
            continue
        numbered_item = block.list_format == "decimal" and block.list_level == stem_level and stem_level is not None
        stem_match = _STEM.match(text) if block.list_level is None else None
        option_match = _OPTION.match(text) if block.list_level is None or block.list_format not in ("decimal",) else None
        taken = option_match is not None and questions and \
            option_match.group(1).lower() in (letter for letter, _ in questions[-1].options)
        lettered = block.list_format in ("lowerLetter", "upperLetter")  # Word's own a. b. c., at any level
        if questions and not taken and (option_match or lettered or (block.list_level is not None
                                                                     and stem_level is not None
                                                                     and block.list_level > stem_level
                                                                     and block.list_format != "decimal")):
            letter = option_match.group(1).lower() if option_match else "abcde"[min(len(questions[-1].options), 4)]
            questions[-1].options.append((letter, block))
            if block.all_bold or block.any_marked or text.rstrip().endswith(("*", "✓", "√")):
                questions[-1].marked.append(letter)
            continue
        waiting = questions[-1] if questions and not questions[-1].options else None  # a stem without options yet
        if numbered_item or stem_match:
            number = int(stem_match.group(1)) if stem_match else len(questions) + 1
            if waiting is not None and stem_match and (number != waiting.number + 1 or _mark(text) != _mark(waiting.stem.text)):
                waiting.extra.append(block)  # '1) 2) 3)' statements inside a question, not questions
                continue
            parsed = ParsedQuestion(number, block)
            parsed.true_false = bool(_TRUE_FALSE_MARK.search(text)) or true_false_hint
            questions.append(parsed)
            continue
        if waiting is not None and not key_blocks:
            waiting.extra.append(block)  # the question's next paragraph, its picture or table: part of it
            continue
        other.append(block)
    for question in questions:
        words = [normal_title(_OPTION.sub(r"\2", b.text)) for _, b in question.options]
        if sorted(words) == ["benar", "salah"]:
            question.true_false = True
    return questions, other, key, key_blocks


def key_entries(text: str) -> dict[int, str]:
    return {int(n): answer.strip() for n, answer in _KEY_ENTRY.findall(text)}


def key_groups(section: Section) -> list[tuple[str, dict[int, str]]]:
    """The answer keys a 'Kunci Jawaban' section holds: (label, number -> answer), in order."""
    groups: list[tuple[str, dict[int, str]]] = []

    def collect(label: str, blocks: list[Block]) -> None:
        current: dict[int, str] = {}
        labelled: dict[str, dict[int, str]] = {}
        listed: tuple[str | None, int] = (None, 0)  # (the Word list, how many answers it has numbered): '1. A' numbered by Word
        for block in blocks:
            rows = block.rows if block.kind == "table" else []
            texts = [[" ".join(b.text for b in cell).strip() for cell in row] for row in rows]
            if len(texts) == 2 and len(texts[0]) > 2 and all(re.fullmatch(r"\d{1,3}", c) for c in texts[0][1:]):
                texts = [list(pair) for pair in zip(*texts)]  # numbers in a row, answers below: read by column
            heading = texts[0][0] if texts and texts[0] else ""  # a first row may be empty
            for cells in texts[1:] if texts and not re.search(r"\d", heading) else texts:
                # 'No | Kunci | No | Kunci': every pair of cells of the row
                for at in range(0, len(cells) - 1, 2):
                    first = re.match(r"^\s*(.*?)\s*(\d{1,3})\s*$", cells[at])
                    if not first or not cells[at + 1]:
                        continue
                    if at and (first.group(1) or not _SHORT_ANSWER.fullmatch(cells[at + 1])):
                        break  # 'No | Kunci | Skor | Pembahasan': the pair after is no answer
                    name, number = first.group(1), int(first.group(2))
                    if name:
                        labelled.setdefault(name, {})[number] = cells[at + 1]
                    else:
                        current[number] = cells[at + 1]
            if block.kind == "paragraph" and block.list_format == "decimal" and \
                    re.fullmatch(r"\s*(?:[a-eA-E]|benar|salah|b|s)\s*[.)]?\s*", block.text, re.IGNORECASE):
                count = listed[1] + 1 if listed[0] == block.list_id else 1
                listed = (block.list_id, count)
                current[count] = block.text.strip(" .)")
                continue
            if block.kind == "paragraph":
                entries = key_entries(block.text)
                if entries and current and min(entries) <= max(current) and min(entries) == 1:
                    groups.append((label, current))  # the numbering starts again: the next exercise
                    current = {}
                current.update(entries)
        if current:
            groups.append((label, current))
        groups.extend(labelled.items())

    collect(section.title, section.blocks)
    for child in section.children:
        collect(child.title, child.all_blocks())
    return groups


MATCH_WINDOW = 64  # exercises an answer key is compared with (a module has a few dozen)
MAX_LABEL = 200  # characters of a title compared


def match_keys(exercises: list[Exercise], groups: list[tuple[str, dict[int, str]]]) -> None:
    """Give each exercise without a key the key group that names it best, else the next in order."""
    waiting = [e for e in exercises if not e.key and not all(q.marked for q in e.questions) and e.questions]
    for label, entries in groups:
        if not waiting:
            break
        words = normal_title(label)[:MAX_LABEL]
        # keys follow their exercises' order: the next MATCH_WINDOW waiting are compared, so that
        # thousands of exercises and key groups cost a bounded time each, not each against all
        scored = sorted(((difflib.SequenceMatcher(None, words, normal_title(e.label).lower()[:MAX_LABEL]).ratio()
                          + (0.5 if any(w in e.label.lower() for w in words.split() if len(w) > 4
                                        and w not in ("kunci", "jawaban")) else 0), k)
                         for k, e in enumerate(waiting[:MATCH_WINDOW])), key=lambda pair: (-pair[0], pair[1]))
        # (equal scores, as 'Tes Formatif 1' and '2' against two 'D. Tes Formatif': the earlier exercise)
        best = scored[0][1] if scored and scored[0][0] >= 0.5 else 0
        exercise = waiting.pop(best)
        exercise.key = entries


# -- objectives and JP ---------------------------------------------------------------------------


def objective_texts(blocks: list[Block]) -> list[tuple[Block, str]]:
    """List items (or typed '1.' items) of an objectives section: one objective each."""
    found = []
    for block in blocks:
        if block.kind != "paragraph":
            continue
        match = _STEM.match(block.text)
        if block.list_level is not None or match:
            text = match.group(2) if match and block.list_level is None else block.text
            found.append((block, text.strip()))
    return found


def jp_of(texts: list[str]) -> float | None:
    for text in texts:
        if "alokasi" in text.lower() or "jp" in text.lower() or "menit" in text.lower():
            found = _JP.search(text)
            if found:
                return float(found.group(1).replace(",", "."))
            minutes = _MINUTES.search(text)
            if minutes:
                return float(minutes.group(1))
    return None
