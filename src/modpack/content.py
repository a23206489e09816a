"""What every package carries, whatever its standard: rendered pages, assets, player data.

Targets read this and add their own descriptor (imsmanifest.xml, cmi5.xml, tincan.xml).
Source names are mapped to safe archive names once, here, and every link is rewritten to
match, so a page's images and downloads work whatever the files were called.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nh3

from . import markdown
from .model import Assessment, Module
from .model.page import Page
from .names import NameMap

CONTENT_DIR = "content"


@dataclass
class PackageContent:
    """The files of the learner-facing content: archive name -> bytes or a file to copy."""

    module: Module
    files: dict[str, bytes | Path] = field(default_factory=dict)
    assets: NameMap = field(default_factory=lambda: NameMap("assets"))

    def page_file(self, page: Page) -> str:
        return f"{CONTENT_DIR}/pages/{page.id}.js"


def _local_targets(text: str, base: str) -> list[str]:
    """Module-relative paths of the local files a Markdown text refers to."""
    found = []
    for ref in markdown.references(text):
        if ref.is_local:
            found.append(posixpath.normpath(posixpath.join(base, ref.local_path)))
    return found


def _page_sources(module: Module, page: Page) -> dict[str, tuple[str, str]]:
    """language -> (Markdown text, folder its links are relative to, module-relative)."""
    root = module.root
    if page.text is not None:
        return {lang: (text, "") for lang, text in page.text.items()}
    if root is None:
        raise ValueError(f"page '{page.id}' reads a file, but the module was not loaded from a folder")
    out = {}
    for lang, rel in (page.file or {}).items():
        out[lang] = ((root / rel).read_text(encoding="utf-8-sig"), posixpath.dirname(rel))
    return out


def _render(text: str, base: str, assets: NameMap) -> str:
    def rewrite(element: str, attribute: str, value: str) -> str | None:
        if (element, attribute) in (("img", "src"), ("a", "href")):
            ref = markdown.Reference("link", value, "", 0)
            if ref.is_local:
                mapped = assets.get(posixpath.normpath(posixpath.join(base, ref.local_path)))
                return mapped if mapped is not None else None
        return value

    return nh3.clean(
        markdown.to_html(text),
        tags=markdown.ALLOWED_TAGS,
        attributes=markdown.ALLOWED_ATTRIBUTES,
        url_schemes=markdown.URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=rewrite,
    )


def _media_fields(page: Page) -> list[str]:
    found = []
    if page.audio:
        found.append(page.audio.file)
    if page.video:
        found += [p for p in (page.video.file, page.video.poster) if p]
        found += list((page.video.captions or {}).values())
    found += [a.file for a in page.attachments]
    return found


def _inline(html: str) -> str:
    """Rendered Markdown of one short paragraph, without its <p> wrapper (for choices, feedback)."""
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


_INLINE_FIELDS = ("text", "feedback")


def _question_data(question: Any, assets: NameMap) -> dict[str, Any]:
    """A question for the player: its texts rendered from Markdown; answers kept as written."""
    data = question.model_dump(mode="json", exclude_none=True)

    def render(value: dict[str, str], inline: bool) -> dict[str, str]:
        return {lang: _inline(_render(text, "", assets)) if inline else _render(text, "", assets)
                for lang, text in value.items()}

    data["prompt"] = render(data["prompt"], False)
    for key in ("correct", "incorrect"):
        if key in data.get("feedback", {}):
            data["feedback"][key] = render(data["feedback"][key], True)
    for group in ("choices", "sources", "targets", "items"):
        for entry in data.get(group, []):
            for key in _INLINE_FIELDS:
                if key in entry:
                    entry[key] = render(entry[key], True)
    return data


def _assessment_data(assessment: Assessment | None, kind: str, assets: NameMap) -> dict[str, Any] | None:
    if assessment is None:
        return None
    data = assessment.model_dump(mode="json", exclude_none=True)
    data["kind"] = kind
    data["questions"] = [_question_data(q, assets) for q in assessment.questions]
    for pool, original in zip(data["pools"], assessment.pools):
        pool["questions"] = [_question_data(q, assets) for q in original.questions]
    return data


def _question_texts(module: Module) -> list[str]:
    """Every Markdown text of every question, for the files they refer to."""
    texts = []
    for question in module.questions():
        texts += list(question.prompt.values())
        for value in (question.feedback.correct, question.feedback.incorrect):
            texts += list((value or {}).values())
    return texts


def prepare(module: Module) -> PackageContent:
    """Render every page and map every asset of ``module`` into archive files."""
    content = PackageContent(module)
    sources = {}
    for lesson in module.lessons:
        for page in lesson.pages:
            sources[page.id] = _page_sources(module, page)
            for text, base in sources[page.id].values():
                for target in _local_targets(text, base):
                    content.assets.add(target)
            for rel in _media_fields(page):
                content.assets.add(rel)
    for text in _question_texts(module):
        for target in _local_targets(text, ""):
            content.assets.add(target)
    root = module.root
    for source, archive_name in content.assets.items():
        if root is None:
            raise ValueError(f"asset '{source}' needs the module folder, but the module was not loaded from one")
        content.files[archive_name] = root / source

    lessons = []
    for lesson in module.lessons:
        pages = []
        for page in lesson.pages:
            html = {lang: _render(text, base, content.assets) for lang, (text, base) in sources[page.id].items()}
            payload = json.dumps({"id": page.id, "html": html}, ensure_ascii=False, separators=(",", ":"))
            # A script, not JSON fetched at run time: it loads from file:// too, for offline use.
            content.files[content.page_file(page)] = f"modpack.page({payload});\n".encode()
            entry: dict[str, Any] = {"id": page.id, "title": page.title, "src": content.page_file(page)}
            if page.audio:
                entry["audio"] = {**page.audio.model_dump(mode="json", exclude_none=True),
                                  "file": content.assets.get(page.audio.file)}
            if page.video:
                video = page.video.model_dump(mode="json", exclude_none=True)
                for key in ("file", "poster"):
                    if key in video:
                        video[key] = content.assets.get(video[key])
                if "captions" in video:
                    video["captions"] = {lang: content.assets.get(p) for lang, p in video["captions"].items()}
                entry["video"] = video
            if page.attachments:
                entry["attachments"] = [{"file": content.assets.get(a.file), "title": a.title} for a in page.attachments]
            pages.append(entry)
        lessons.append({
            "id": lesson.id, "title": lesson.title, "objectives": lesson.objectives, "pages": pages,
            "quiz": _assessment_data(lesson.quiz, "quiz", content.assets),
        })
    data = {
        "id": module.id,
        "version": module.version,
        "iri": module.iri,
        "languages": module.languages,
        "title": module.title,
        "description": module.description,
        "objectives": [o.model_dump(mode="json") for o in module.objectives],
        "preTest": _assessment_data(module.pre_test, "pre-test", content.assets),
        "lessons": lessons,
        "postTest": _assessment_data(module.post_test, "post-test", content.assets),
        "completion": module.completion.model_dump(mode="json"),
        "minutes": module.workload.self_paced_minutes,
    }
    content.files[f"{CONTENT_DIR}/module.js"] = (
        "modpack.module(" + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ");\n"
    ).encode()
    return content
