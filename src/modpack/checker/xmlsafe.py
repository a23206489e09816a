"""Parsing descriptors with no DTD, no entity expansion and no network."""

from __future__ import annotations

import re

from lxml import etree

from .reader import Package, Unreadable
from .report import Report

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def parse(package: Package, name: str, report: Report) -> etree._Element | None:
    """The root element of ``name``, or None with the reason reported."""
    try:
        data = package.read(name, package.limits.max_descriptor_size)
    except Unreadable as exc:
        report.error("descriptor-refused", f"refused: {exc}", file=name)
        return None
    if _DOCTYPE.search(data):
        report.error("xml-dtd", "refused: the file declares a DTD; its entities could expand without end or read "
                     "files from the server (XXE), so it is not parsed", file=name)
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        report.error("xml-syntax", f"not well-formed XML: {exc.msg}", file=name, line=exc.lineno)
        return None
    if root.getroottree().docinfo.internalDTD is not None:  # e.g. a UTF-16 file the byte search missed
        report.error("xml-dtd", "refused: the file declares a DTD; its entities are not expanded and the file is "
                     "not read further", file=name)
        return None
    return root


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def namespace(element: etree._Element) -> str:
    return etree.QName(element).namespace or ""
