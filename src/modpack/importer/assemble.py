"""The recognised parts of a document, put together as a module definition: module.yaml data,
page Markdown files, images; and the notes of what was recognised, left as text or dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..messages import clip, t
from .recognise import (BACK, CONTENTS, EXERCISE, FINAL, FRONT, INSTRUCTIONS, KEY, OBJECTIVES, PRETEST, Exercise, Ids, Note,
                        Section, heading_levels, is_kind, jp_of, key_groups, match_keys, normal_title,
                        objective_texts, parse_questions, sections)
from .render import Page, Renderer, escape
from .word import Block, Document, Inline


_INSTITUTION = re.compile(r"\b(kementerian|dinas|pusat|direktorat|badan|balai)\b", re.IGNORECASE)


def _pictured(block: Block) -> bool:
    """Whether a block holds a picture (a paragraph of one picture has no text, and is not empty)."""
    return any(i.image is not None for i in block.inlines)


@dataclass
class PageDraft:
    title: str
    blocks: list[Block]
    path: str  # heading path, for notes
    headings: dict[int, int] = field(default_factory=dict)
    offset: int = 0


@dataclass
class LessonDraft:
    title: str
    section: Section | None
    pages: list[PageDraft] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)


@dataclass
class Imported:
    """What an import makes: the definition's data, its files, and the notes."""

    data: dict[str, Any]
    files: dict[str, bytes | str]  # module-relative path -> content
    notes: list[Note]
    questions: int = 0


MAX_JP = 1000  # the model's limit of a module's JP


class Assembler:
    def __init__(self, document: Document, module_id: str | None, language: str, lesson_level: int,
                 split_level: int | None):
        self.document = document
        self.language = language
        self.lesson_level = lesson_level
        self.split_level = split_level
        self.module_id = module_id
        self.notes: list[Note] = []
        self.renderer = Renderer()
        self.ids = {kind: Ids() for kind in ("lesson", "page", "objective", "assessment", "question")}
        self.objectives: list[dict[str, str]] = []
        self.levels = heading_levels(document.blocks)
        self.keys_inside: list[Section] = []  # 'Kunci Jawaban' under a lesson
        self.images: dict[str, bytes] = {}  # gambar/ path -> bytes, as pages render

    def note(self, message: str, section: Section | None = None, block: Block | None = None,
             severity: str = "warning", code: str = "import") -> None:
        self.notes.append(Note(message, severity, section.path if section else "",
                               block.index if block else (section.first_index() if section else None), code))

    # -- the outline ---------------------------------------------------------------------------

    def lesson_sections(self, root: Section) -> list[Section]:
        """The sections at the lesson level, in order (above it, a heading only groups them)."""
        found: list[Section] = []

        def walk(section: Section) -> None:
            for child in section.children:
                if child.level >= self.lesson_level or is_kind(child.title, FRONT + CONTENTS + KEY + BACK + PRETEST
                                                                + FINAL):
                    found.append(child)
                else:
                    if child.blocks:  # what stands under a heading above the lessons: an introduction
                        found.append(Section(child.title, self.lesson_level, child.block, child.parent, child.blocks))
                    walk(child)

        walk(root)
        return found

    def build(self) -> Imported:
        root, title_block = sections(self.document, self.lesson_level)
        title = title_block.text if title_block else (self.document.title or "")
        cover = root.blocks
        if not title:
            first = next((b for b in cover if b.text and not _INSTITUTION.search(b.text)),
                         next((b for b in cover if b.text), None))
            title = first.text if first else "Modul"
            taken = [first]
            if first is not None and first.all_bold:  # a cover typed in bold: its bold lines, up to the institution
                for block in cover[cover.index(first) + 1:]:
                    if not block.text or not block.all_bold or _INSTITUTION.search(block.text) or len(taken) >= 3:
                        break
                    title, taken = f"{title} {block.text}", taken + [block]
            cover = [b for b in cover if b not in taken]
            self.note(t("no Title style or first heading: the first paragraph is taken as the title"),
                      block=first, severity="info")
        lessons: list[LessonDraft] = []
        front: list[PageDraft] = []
        back: list[PageDraft] = []
        keys: list[Section] = []
        pre_test: list[Exercise] = []
        post_test: list[Exercise] = []
        for section in self.lesson_sections(root):
            if is_kind(section.title, CONTENTS):
                text = _quoted([b.text for b in section.all_blocks() if b.text])
                self.note(t("dropped '{title}' (modpack makes its own table of contents): {text}",
                            title=section.title, text=text),
                          section, severity="info", code="dropped")
            elif is_kind(section.title, KEY):
                keys.append(section)
            elif is_kind(section.title, FRONT):
                front.append(self.page_of(section, section.title))
            elif is_kind(section.title, BACK):
                back.append(self.page_of(section, section.title))
            elif (is_kind(section.title, PRETEST) or (is_kind(section.title, FINAL) and all(
                    is_kind(c.title, KEY + EXERCISE + INSTRUCTIONS) for c in section.children))) \
                    and (test := self.exercise(section, None, "pre-test" if is_kind(section.title, PRETEST)
                                               else "post-test")).questions:
                (pre_test if test.role == "pre-test" else post_test).append(test)
            else:  # (an 'Evaluasi Program' chapter without questions is material: a lesson)
                lessons.append(self.lesson(section))
        if not lessons:
            lessons.append(LessonDraft(title, None))
        if front:
            lessons[0].pages[:0] = front
        if back:
            lessons.append(LessonDraft(" dan ".join(p.title.title() if p.title.isupper() else p.title for p in back),
                                       None, back))
        exercises = pre_test + [e for lesson in lessons for e in lesson.exercises] + post_test
        groups = [g for section in keys + self.keys_inside for g in key_groups(section)]
        match_keys(exercises, groups)
        if not post_test:  # the last lesson's evaluation is the post-test, when nothing else is
            last = next((e for lesson in reversed(lessons) for e in reversed(lesson.exercises)
                         if is_kind(e.section.title, FINAL)), None)
            if last is not None:
                last.lesson.exercises.remove(last)
                last.role, last.lesson = "post-test", None
                post_test.append(last)
        for section in keys:
            self.note(t("answer keys read from '{title}'", title=section.title), section, severity="info",
                      code="recognised")
        return self.assemble(title, cover, lessons, pre_test, post_test)

    # -- sections to drafts ----------------------------------------------------------------------

    def page_of(self, section: Section, title: str, with_children: bool = True) -> PageDraft:
        blocks = list(section.blocks)
        headings: dict[int, int] = {}
        if with_children:
            for child in section.children:
                if child.block is not None:
                    blocks.append(child.block)
                    headings[child.block.index] = child.level
                blocks += child.all_blocks()
                for sub in child.all_blocks():
                    if sub.index in self.levels:
                        headings[sub.index] = self.levels[sub.index]
        return PageDraft(title, blocks, section.path, headings, section.level - 1)

    def lesson(self, section: Section) -> LessonDraft:
        lesson = LessonDraft(section.title, section)
        if section.blocks:
            lesson.pages.append(PageDraft(section.title, section.blocks, section.path, {}, section.level))
        for child in section.children:
            if is_kind(child.title, EXERCISE):
                exercise = self.exercise(child, lesson, "quiz")
                if exercise.questions or exercise.key:
                    lesson.exercises.append(exercise)
                    continue
                # titled like an exercise ('D. Tes Kesehatan Calon Peserta') but without questions: material
            if is_kind(child.title, KEY):
                if child not in self.keys_inside:  # (an exercise() of this section may have taken it)
                    self.keys_inside.append(child)
                continue
            if is_kind(child.title, OBJECTIVES):
                for block, text in objective_texts(child.all_blocks()):
                    lesson.objectives.append(self.objective(text))
                self.note(t("objectives read from '{title}'", title=child.title), child, severity="info",
                          code="recognised")
            if self.split_level is not None and child.children and child.level + 1 >= self.split_level:
                if child.blocks:
                    lesson.pages.append(PageDraft(child.title, child.blocks, child.path, {}, child.level))
                for grandchild in child.children:
                    lesson.pages.append(self.page_of(grandchild, grandchild.title))
            else:
                lesson.pages.append(self.page_of(child, child.title))
        return lesson

    def objective(self, text: str) -> str:
        ident = self.ids["objective"].make(" ".join(text.split()[:6]), "tujuan")
        self.objectives.append({"id": ident, "text": text})
        return ident

    def exercise(self, section: Section, lesson: LessonDraft | None, role: str) -> Exercise:
        # a 'Kunci Jawaban' under the exercise is its key, not more questions ('1. a' read as question 1)
        keys = [c for c in section.children if is_kind(c.title, KEY)]
        self.keys_inside += [k for k in keys if k not in self.keys_inside]
        blocks = list(section.blocks)
        for child in section.children:
            if child not in keys:
                blocks += ([child.block] if child.block else []) + child.all_blocks()
        hint = bool(re.search(r"benar\s*(\(b\))?\s*atau\s*salah", " ".join(b.text for b in blocks[:3]), re.IGNORECASE))
        questions, other, key, key_blocks = parse_questions(blocks, hint)
        for block in key_blocks:
            self.note(t("answer key read from '{text}'", text=block.text), section, block, severity="info",
                      code="recognised")
        return Exercise(section, lesson, questions, other, key, role)

    # -- writing ---------------------------------------------------------------------------------

    def assemble(self, title: str, cover: list[Block], lessons: list[LessonDraft], pre_test: list[Exercise],
                 post_test: list[Exercise]) -> Imported:
        files: dict[str, bytes | str] = {}
        data: dict[str, Any] = {"id": self.module_id or Ids().make(title, "modul"), "title": title}
        if self.language != "id-ID":
            data["languages"] = [self.language]
        cover_text = [b.text for b in cover if b.text]
        if cover_text:
            data["description"] = " — ".join(cover_text)
        institution = next((c for c in cover_text if _INSTITUTION.search(c)), None)
        if institution:
            data["institution"] = {"name": institution}
        jp_texts = [b.text for b in self.document.blocks if b.kind == "paragraph"]
        jp = self.jp(lessons, jp_texts)
        data["workload"] = {"self_paced_jp": int(jp) if float(jp).is_integer() else jp}
        lesson_data = []
        counter = 0
        question_total = 0
        for lesson in lessons:
            pages = []
            for draft in lesson.pages:
                counter += 1
                page_id = self.ids["page"].make(draft.title, "halaman")
                rel = f"halaman/{counter:02d}-{page_id}.md"
                files[rel] = self.render(draft)
                pages.append({"id": page_id, "title": draft.title, "file": rel})
            if not pages:  # a lesson of exercises only: a page says what it is about
                counter += 1
                page_id = self.ids["page"].make(lesson.title, "halaman")
                rel = f"halaman/{counter:02d}-{page_id}.md"
                files[rel] = f"{escape(lesson.title)}\n"
                pages.append({"id": page_id, "title": lesson.title, "file": rel})
            entry: dict[str, Any] = {"id": self.ids["lesson"].make(lesson.title, "pelajaran"), "title": lesson.title,
                                     "pages": pages}
            if lesson.objectives:
                entry["objectives"] = lesson.objectives
            quiz = self.assessment(lesson.exercises, lesson.exercises[0].section.title if lesson.exercises else "",
                                   pages, files, counter)
            if quiz is not None:
                entry["quiz"], added = quiz
                question_total += added
            lesson_data.append(entry)
            counter = len(files)  # only pages so far (the pictures join at the end): counted in O(1)
        if self.objectives:
            data["objectives"] = self.objectives
        for role, found in (("pre_test", pre_test), ("post_test", post_test)):
            assessment = self.assessment(found, found[0].section.title if found else "", lesson_data[-1]["pages"],
                                         files, counter)
            counter = len(files)
            if assessment is not None:
                data[role], added = assessment
                question_total += added
        data["lessons"] = lesson_data
        order = ["id", "iri_base", "title", "languages", "description", "institution", "workload", "objectives",
                 "pre_test", "lessons", "post_test"]
        data = {key: data[key] for key in order if key in data}  # module.yaml reads in study order
        files.update(self.images)
        self.dropped_notes()
        return Imported(data, files, self.notes, question_total)

    def render(self, draft: PageDraft) -> str:
        page = Page()
        body = self.renderer.blocks(draft.blocks, page, draft.offset, draft.headings)
        for block, image in page.missing_alt:
            self.note(t("image '{name}' has no alt text: 'Gambar N' was written; describe what it shows",
                        name=image.name), block=block, severity="warning", code="missing-alt-text")
            self.notes[-1].path = draft.path
        for block, image in page.external:
            self.note(t("image '{name}' is linked from {url}, not embedded: it is left as a link (a package must "
                        "work offline); insert the picture itself", name=image.name, url=image.link),
                      block=block, code="external-image")
            self.notes[-1].path = draft.path
        for block, image, why in page.refused:
            self.note(t("picture '{name}' is left out: {reason}; the page keeps its alt text", name=image.name,
                        reason=why), block=block, severity="warning", code="picture-refused")
            self.notes[-1].path = draft.path
        for target, block in page.unlinked.items():
            self.note(t("link '{url}' is not a web address (a file on the author's computer, or a script): its text "
                        "is kept without the link; put the file on a website and link that", url=clip(target)),
                      block=block, code="link-dropped")
            self.notes[-1].path = draft.path
        for name, image in page.images.items():
            self.images[f"gambar/{name}"] = image.data or b""
        # the player shows the page title as the page's heading: the Markdown starts with the text
        return f"{body or escape(draft.title)}{self.renderer.notes(page)}\n"

    def assessment(self, exercises: list[Exercise], title: str, pages: list[dict[str, Any]],
                   files: dict[str, bytes | str], counter: int) -> tuple[dict[str, Any], int] | None:
        questions = []
        for exercise in exercises:
            unasked: set[int] = set()  # the blocks of questions that stay text: never mere instructions
            for parsed in exercise.questions:
                question = self.question(exercise, parsed)
                if question is None:
                    kept = [parsed.stem, *parsed.extra, *(b for _, b in parsed.options)]
                    exercise.other += kept
                    unasked.update(id(b) for b in kept)
                else:
                    questions.append(question)
            asked = {parsed.number for parsed in exercise.questions}
            unasked_keys = sorted(number for number in exercise.key if number not in asked)
            if unasked_keys and exercise.questions:  # a key longer than its exercise: a question not recognised?
                self.note(t("the answer key gives answers for question(s) {numbers}, which '{title}' does not have "
                            "(a question not recognised, or a number mistyped?)",
                            numbers=", ".join(map(str, unasked_keys[:20])), title=exercise.section.title),
                          exercise.section, exercise.questions[-1].stem, code="no-answer")
            leftover = [b for b in exercise.other if b.text or _pictured(b)]  # a picture alone is content too
            if leftover:
                text = " ".join(b.text for b in leftover)
                if len(leftover) <= 2 and len(text) <= 300 and not any(id(b) in unasked for b in leftover):
                    self.note(t("kept as the test's instructions, not as a page: '{text}'", text=text), exercise.section,
                              leftover[0], severity="info", code="recognised")
                else:  # more than instructions: a page of its own, so nothing is lost
                    counter = len(files) + 1  # only pages so far (see build)
                    page_id = self.ids["page"].make(exercise.section.title, "halaman")
                    rel = f"halaman/{counter:02d}-{page_id}.md"
                    files[rel] = self.render(PageDraft(exercise.section.title, sorted(leftover, key=lambda b: b.index),
                                                       exercise.section.path))
                    pages.append({"id": page_id, "title": exercise.section.title, "file": rel})
                    self.note(t("text of '{title}' that is not a question was kept as a page", title=exercise.section.title),
                              exercise.section, leftover[0], severity="info")
        if not questions:
            return None
        first = exercises[0]
        ident = self.ids["assessment"].make(first.section.title if first.role == "quiz" else first.role,
                                            "tes")
        data: dict[str, Any] = {"id": ident, "title": title or first.section.title, "questions": questions}
        return data, len(questions)

    def prompt(self, exercise: Exercise, parsed: Any) -> str:
        """A question's Markdown: its stem, and what came between the stem and its options (a second
        paragraph, numbered statements, a picture, a table), pictures written beside module.yaml."""
        stem = parsed.stem.text
        stem = re.sub(r"^\s*\d{1,3}\s*[.)]\s+", "", stem) if parsed.stem.list_level is None else stem
        if not parsed.extra and not _pictured(parsed.stem):
            return stem
        head = Block("paragraph", parsed.stem.index, inlines=[Inline(stem)] + [i for i in parsed.stem.inlines if i.image])
        body = self.render(PageDraft(exercise.section.title, [head, *parsed.extra], exercise.section.path))
        return body.rstrip("\n").replace("](../gambar/", "](gambar/")  # relative to module.yaml, not a page

    def question(self, exercise: Exercise, parsed: Any) -> dict[str, Any] | None:
        prompt = self.prompt(exercise, parsed)
        prompt = re.sub(r"\s*\((?:B\s*/\s*S|Benar\s*/\s*Salah|B-S)\)\s*$", "", prompt, flags=re.IGNORECASE)
        answer = exercise.key.get(parsed.number)
        where = (exercise.section, parsed.stem)
        ident = self.ids["question"].make(f"{exercise.section.title} {parsed.number}", "soal")
        objectives = exercise.lesson.objectives if exercise.lesson is not None else []
        base: dict[str, Any] = {"id": ident, "prompt": prompt}
        if objectives:
            base["objectives"] = list(objectives)
        if parsed.true_false:
            value = (answer or "").strip().lower()
            marked = dict(parsed.options).get(parsed.marked[0]) if parsed.marked else None  # by its letter
            if not value and marked is not None:
                value = "benar" if normal_title(marked.text).endswith("benar") else "salah"
            named = dict(parsed.options)
            if value in named:  # a key naming an option (a. Benar / b. Salah): that option's word
                value = "benar" if normal_title(named[value].text).endswith("benar") else "salah"
            if value in ("b", "benar", "true"):
                return {**base, "type": "true-false", "correct": True}
            if value in ("s", "salah", "false"):
                return {**base, "type": "true-false", "correct": False}
            self.note(t("true-false question {number} has no answer in a key: kept as page text", number=parsed.number),
                      *where, code="no-answer")
            return None
        if len(parsed.options) < 2:
            self.note(t("question {number} has no options a, b, c...: an essay question stays as page text",
                        number=parsed.number), *where, code="essay")
            return None
        letters = [letter for letter, _ in parsed.options]
        if answer:
            correct = re.findall(r"(?<![a-z])[a-e](?![a-z])", answer.lower())
        else:
            correct = parsed.marked if len(parsed.marked) < len(letters) else []
        correct = [c for c in dict.fromkeys(correct) if c in letters]
        if not correct:
            self.note(t("question {number} has no answer: no key and no option marked (bold or highlighted); kept "
                        "as page text", number=parsed.number), *where, code="no-answer")
            return None
        choices = [{"id": letter, "text": re.sub(r"^\s*[a-eA-E]\s*[.)]\s+", "", block.text).rstrip(" *✓√")}
                   for letter, block in parsed.options]
        if len(correct) == 1:
            return {**base, "type": "single-choice", "choices": choices, "correct": correct[0]}
        return {**base, "type": "multiple-response", "choices": choices, "correct": correct}

    def jp(self, lessons: list[LessonDraft], texts: list[str]) -> float:
        per_lesson = [jp_of([b.text for p in lesson.pages for b in p.blocks]) for lesson in lessons]
        stated = [v for v in per_lesson if v is not None]
        module_level = None
        for text in texts:
            if re.search(r"alokasi\s+waktu", text, re.IGNORECASE):
                module_level = jp_of([text])
                break
        if sum(stated) > MAX_JP or (module_level or 0) > MAX_JP:
            self.note(t("'Alokasi Waktu' gives {jp} JP, more than a module can have ({limit}): the workload is set "
                        "to 1 JP; correct it in module.yaml", jp=f"{max(sum(stated), module_level or 0):g}",
                        limit=MAX_JP), code="no-jp")
            return 1.0
        if len(stated) > 1:
            total = sum(stated)
            self.note(t("JP from 'Alokasi Waktu' of each lesson, added up: {jp}", jp=f"{total:g}"), severity="info",
                      code="recognised")
            return total
        if module_level is not None:
            self.note(t("JP from 'Alokasi Waktu': {jp}", jp=f"{module_level:g}"), severity="info", code="recognised")
            return module_level
        self.note(t("no 'Alokasi Waktu ... JP' found: the workload is set to 1 JP; correct it in module.yaml"),
                  code="no-jp")
        return 1.0

    def dropped_notes(self) -> None:
        dropped = self.document.dropped
        parts = []
        if dropped.empty_paragraphs:
            parts.append(t("{count} empty paragraph(s)", count=dropped.empty_paragraphs))
        if dropped.page_breaks:
            parts.append(t("{count} page break(s)", count=dropped.page_breaks))
        if dropped.comments:
            parts.append(t("{count} comment(s)", count=dropped.comments))
        if dropped.fields:
            parts.append(t("{count} generated table(s) of contents", count=dropped.fields))
        if parts:
            self.note(t("dropped Word noise: {what}", what=", ".join(parts)), severity="info", code="dropped")
        if dropped.text_boxes:
            self.note(t("{count} text box(es): their text is kept where each box is anchored; check its place on the "
                        "page", count=dropped.text_boxes), severity="info", code="recognised")
        if dropped.hidden:
            self.note(t("text formatted as hidden was left out (an author's note is not the learner's): {text}",
                        text=_quoted(dropped.hidden)), severity="info", code="dropped")
        if dropped.objects:
            self.note(t("{count} equation(s), diagram(s) or chart(s) have no text a page can show: {what}; insert "
                        "each as a picture with alt text", count=len(dropped.objects),
                        what=_quoted(dropped.objects, quote="")), severity="warning", code="dropped")
        if dropped.deletions:
            self.note(t("tracked changes accepted; deleted text left out: {text}",
                        text=_quoted(dropped.deletions)), severity="info", code="dropped")
        if dropped.footnotes is not None:
            self.note(t("the footnotes cannot be read ({reason}): their text is left out; save the document again "
                        "in Word and import it again", reason=dropped.footnotes), severity="warning", code="footnotes")


def _quoted(texts: list[str], shown: int = 10, quote: str = "'") -> str:
    """The first few of ``texts``, each cut at 80 characters, and how many more: a note is a line,
    not the document again (a 2 MB document's deletions made a 4 MB line)."""
    return "; ".join(f"{quote}{clip(text)}{quote}" for text in texts[:shown]) + \
        (t(" and {count} more", count=len(texts) - shown) if len(texts) > shown else "")

