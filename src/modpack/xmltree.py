"""The XML layer: building namespaced lxml trees (targets never write XML as text), and
durations in ISO 8601. Shared by every phase; may import nothing of modpack."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def parser() -> etree.XMLParser:
    """The one XML parser configuration of modpack, for every file it reads, its own or not:
    no DTD loaded, no entity resolved, nothing fetched from the network, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class DtdRefused(ValueError):
    """The document declares a DTD: its entities could expand without end or read local files."""


def parse(data: bytes) -> etree._Element:
    """The root element of an XML document from outside (a package's descriptor, a manifest).

    Refuses a DTD in any encoding (:class:`DtdRefused`); raises ``etree.XMLSyntaxError`` for
    a document that is not well-formed.
    """
    if _DOCTYPE.search(data):
        raise DtdRefused("the file declares a DTD")
    root = etree.fromstring(data, parser())
    if root.getroottree().docinfo.internalDTD is not None:  # e.g. UTF-16, which the byte search misses
        raise DtdRefused("the file declares a DTD")
    return root


def qname(namespace: str | None, tag: str) -> str:
    return f"{{{namespace}}}{tag}" if namespace else tag


def sub(parent: etree._Element, namespace: str | None, tag: str, text: str | None = None,
        nsmap: dict[str | None, str] | None = None, /, **attributes: str) -> etree._Element:
    """Append a child; attribute names may be Clark-notation ('{ns}name') or plain."""
    element = etree.SubElement(parent, qname(namespace, tag), nsmap=nsmap)  # type: ignore[arg-type]  # None: default ns
    for name, value in attributes.items():
        element.set(name.replace("__", ":") if "__" in name else name, value)
    if text is not None:
        element.text = text
    return element


def line(element: etree._Element | None) -> int | None:
    """The source line of an element (lxml-stubs type it oddly)."""
    value: Any = element.sourceline if element is not None else None
    return value if isinstance(value, int) else None


def root_element(tag: str, nsmap: dict[str | None, str], **attributes: str) -> etree._Element:
    """A root element with a default namespace (the ``None`` key of ``nsmap``)."""
    return etree.Element(tag, nsmap=nsmap, **attributes)  # type: ignore[arg-type]


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def iso_duration(minutes: float) -> str:
    """Minutes as an ISO 8601 duration: 180 -> 'PT3H', 135 -> 'PT2H15M'."""
    total = round(minutes * 60)
    hours, rest = divmod(total, 3600)
    mins, secs = divmod(rest, 60)
    out = "PT" + (f"{hours}H" if hours else "") + (f"{mins}M" if mins else "") + (f"{secs}S" if secs else "")
    return out if out != "PT" else "PT0S"
