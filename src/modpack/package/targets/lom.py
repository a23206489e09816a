"""IEEE LOM (1484.12.3) metadata of a module: what SCORM 2004 manifests carry, and cmi5 course
structures too (as an extension element, which CourseStructure.xsd allows in another namespace).

Everything the definition says about the module goes in: title, description, languages,
keywords; authors and the institution as contributors (vCards, roles from the LOM vocabulary:
an editor, else an author; the institution as publisher); the audience as the educational
description, with the learner as intended end user; the workload; the licence.
"""

from __future__ import annotations

from lxml import etree

from ...model import Module
from ...model.people import Author
from ...xmltree import iso_duration, sub

LOM = "http://ltsc.ieee.org/xsd/LOM"
_EDITOR_WORDS = ("editor", "penyunting", "penelaah", "reviewer")


def _strings(parent: etree._Element, values: dict[str, str]) -> None:
    for lang, text in values.items():
        sub(parent, LOM, "string", text, language=lang)


def _vcard_text(value: str) -> str:
    """A vCard 3.0 text value (RFC 2426 5): backslash, comma, semicolon and newlines escaped."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def vcard(name: str, email: str | None = None, organisation: str | None = None, url: str | None = None) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_vcard_text(name)}", f"N:{_vcard_text(name)};;;;"]
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{_vcard_text(email)}")
    if organisation:
        lines.append(f"ORG:{_vcard_text(organisation)}")
    if url:
        lines.append(f"URL:{_vcard_text(url)}")
    return "\n".join(lines + ["END:VCARD"])


def author_role(author: Author) -> str:
    """The LOM contribute role of an author: 'editor' when the role says so, else 'author'."""
    words = " ".join((author.role or {}).values()).lower()
    return "editor" if any(word in words for word in _EDITOR_WORDS) else "author"


def contributors(module: Module) -> list[tuple[str, str]]:
    """(LOM role, vCard) of everyone the definition names, authors first, then the publisher."""
    organisation = module.text(module.institution.name) if module.institution else None
    found = [(author_role(a), vcard(a.name, a.email, organisation)) for a in module.authors]
    if module.institution is not None:
        found.append(("publisher", vcard(module.text(module.institution.name), None, None, module.institution.url)))
    return found


def add_lom(parent: etree._Element, module: Module) -> etree._Element:
    lom = sub(parent, LOM, "lom", None, {None: LOM})
    general = sub(lom, LOM, "general")
    identifier = sub(general, LOM, "identifier")
    sub(identifier, LOM, "catalog", "URI")
    sub(identifier, LOM, "entry", module.iri)
    _strings(sub(general, LOM, "title"), module.title)
    for lang in module.languages:
        sub(general, LOM, "language", lang)
    if module.description:
        _strings(sub(general, LOM, "description"), module.description)
    for lang, words in module.keywords.items():
        for word in words:
            _strings(sub(general, LOM, "keyword"), {lang: word})
    lifecycle = sub(lom, LOM, "lifeCycle")
    _strings(sub(lifecycle, LOM, "version"), {"x-none": module.version})
    for role, card in contributors(module):
        contribute = sub(lifecycle, LOM, "contribute")
        role_element = sub(contribute, LOM, "role")
        sub(role_element, LOM, "source", "LOMv1.0")
        sub(role_element, LOM, "value", role)
        sub(contribute, LOM, "entity", card)
    meta = sub(lom, LOM, "metaMetadata")
    sub(meta, LOM, "metadataSchema", "LOMv1.0")
    sub(meta, LOM, "metadataSchema", "SCORM_CAM_v1.3")
    sub(sub(lom, LOM, "technical"), LOM, "format", "text/html")
    educational = sub(lom, LOM, "educational")
    end_user = sub(educational, LOM, "intendedEndUserRole")
    sub(end_user, LOM, "source", "LOMv1.0")
    sub(end_user, LOM, "value", "learner")
    sub(sub(educational, LOM, "typicalLearningTime"), LOM, "duration", iso_duration(module.workload.self_paced_minutes))
    if module.audience:
        _strings(sub(educational, LOM, "description"),
                 {lang: "; ".join(groups) for lang, groups in module.audience.items() if groups})
    if module.licence:
        rights = sub(lom, LOM, "rights")
        restrictions = sub(rights, LOM, "copyrightAndOtherRestrictions")
        sub(restrictions, LOM, "source", "LOMv1.0")
        sub(restrictions, LOM, "value", "yes")
        _strings(sub(rights, LOM, "description"), {"x-none": module.licence})
    return lom
