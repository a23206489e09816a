"""Parsing descriptors with modpack's one XML parser (no DTD, no entity, no network), each
refusal reported as a finding."""

from __future__ import annotations

from lxml import etree

from ..xmltree import DtdRefused
from ..xmltree import parse as parse_xml
from .reader import Package, Unreadable
from .report import Report
from ..messages import t


def parse(package: Package, name: str, report: Report) -> etree._Element | None:
    """The root element of ``name``, or None with the reason reported."""
    try:
        data = package.read(name, package.limits.max_descriptor_size)
    except Unreadable as exc:
        report.error("descriptor-refused", t("refused: {exc}", exc=exc), file=name)
        return None
    try:
        return parse_xml(data)
    except DtdRefused:
        report.error("xml-dtd", t("refused: the file declares a DTD; its entities could expand without end or read "
                                  "files from the server (XXE), so it is not parsed"), file=name)
    except etree.XMLSyntaxError as exc:
        report.error("xml-syntax", t("not well-formed XML: {msg}", msg=exc.msg), file=name, line=exc.lineno)
    return None


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def namespace(element: etree._Element) -> str:
    return etree.QName(element).namespace or ""
