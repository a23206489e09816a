"""SVG pictures packed as pictures only: what could run script is taken out.

An SVG is XML that can carry ``<script>``, event handlers (``onload``), ``javascript:`` links,
``<foreignObject>`` (HTML inside), and animations that set such links. Drawn by ``<img>`` none of
it runs, but a package's file can also be opened directly, at the LMS's address, and then all of
it would. No maintained Python library sanitises SVG (nh3 and bleach are HTML sanitisers and
write HTML, not XML), so this keeps an SVG's drawing and drops the rest, with lxml's safe parser:
no DTD (so no entities), no network, no huge trees.

The same pass makes it small: what a drawing program keeps for itself (its own namespaces'
elements and attributes, ``<metadata>``, comments) and the indentation between elements go. Only
what does not change the drawing: path data and numbers are kept as drawn, since rounding them
is the one step that can, and whitespace inside text is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .css import fetches_elsewhere
from ..messages import t

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
MAX_SVG_BYTES = 8 * 1024 * 1024  # a picture; a larger SVG is a drawing program's export, refused

# elements that run script or hold HTML, wherever they are
_DROPPED = frozenset({"script", "foreignObject", "iframe", "object", "embed", "handler", "listener", "audio",
                      "video", "discard"})
_ANIMATIONS = frozenset({"animate", "set", "animateMotion", "animateTransform"})
_HREFS = frozenset({"href", f"{{{XLINK}}}href"})
_SAFE_DATA = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")


class InvalidSvg(ValueError):
    """The file cannot be read as an SVG picture at all."""


@dataclass
class Sanitised:
    data: bytes
    removed: list[str] = field(default_factory=list)  # what was taken out, e.g. "<script>", "onload"


def _safe_href(value: str) -> bool:
    """Within the picture (``#id``) or an embedded bitmap: never a page, a script or another file."""
    value = value.strip()
    return value.startswith("#") or value.lower().startswith(_SAFE_DATA)


def sanitise(data: bytes, minify: bool = True) -> Sanitised:
    """The picture without what could run script, and (``minify``) without what its editor kept
    for itself; raises :class:`InvalidSvg`."""
    if len(data) > MAX_SVG_BYTES:
        raise InvalidSvg(t("is larger than {limit} bytes: too large for a picture", limit=f"{MAX_SVG_BYTES:,}"))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InvalidSvg(t("is not well-formed XML: {reason}", reason=exc.msg)) from None
    tree = root.getroottree()
    if getattr(tree.docinfo, "doctype", "") or tree.docinfo.internalDTD is not None:
        raise InvalidSvg(t("declares a DTD; an SVG picture needs none (entities could expand without end)"))
    if etree.QName(root).namespace != SVG or etree.QName(root).localname != "svg":
        raise InvalidSvg(t("is not an SVG picture (its root is not <svg>)"))
    removed: list[str] = []
    for node in list(root.iter()):
        if not isinstance(node.tag, str):  # processing instructions (xml-stylesheet runs XSLT) and entities
            if node.getparent() is not None:
                removed.append("<?...?>")
                node.getparent().remove(node)
            continue
        name = etree.QName(node)
        if name.localname in _DROPPED or (name.namespace not in (SVG, None) and name.namespace != XLINK):
            removed.append(f"<{name.localname}>")
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
            continue
        if name.localname in _ANIMATIONS and ("href" in (node.get("attributeName") or "").lower()
                                              or (node.get("attributeName") or "").lower().startswith("on")):
            removed.append(f"<{name.localname} attributeName=\"{node.get('attributeName')}\">")
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
            continue
        # a <style> is its text children: one holding an element (where a browser reads the text
        # around it together) is no style a drawing needs
        if name.localname == "style" and (len(node) > 0 or fetches_elsewhere(node.text or "")):
            removed.append("<style> @import/url()")
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
            continue
        for attribute in list(node.attrib):
            local = etree.QName(attribute).localname
            value = node.attrib[attribute]
            if local.lower().startswith("on") or (attribute in _HREFS and not _safe_href(value)) \
                    or (("(" in value or "\\" in value) and fetches_elsewhere(value)):  # fill="url(https://...)"
                removed.append(local)
                del node.attrib[attribute]
    # PIs before the root element are siblings of it, not in root.iter()
    for sibling in list(root.itersiblings(preceding=True)):
        if not isinstance(sibling.tag, str):
            removed.append("<?...?>")
    if minify:
        _minify(root)
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)  # UTF-8 is XML's default: no declaration needed
    return Sanitised(body, list(dict.fromkeys(removed)))


# elements whose whitespace is drawn or read (text, CSS, titles): left as written
_KEEPS_SPACE = frozenset({"text", "tspan", "textPath", "style", "title", "desc"})


def _minify(root: etree._Element) -> None:
    """Drop what does not change the drawing: editors' attributes, ``<metadata>``, the whitespace
    between elements outside text, unused namespace declarations. One pass, however deep."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, inside_text = stack.pop()
        local = etree.QName(node).localname
        inside_text = inside_text or local in _KEEPS_SPACE
        for attribute in list(node.attrib):
            if etree.QName(attribute).namespace not in (None, XLINK, XML):
                del node.attrib[attribute]  # inkscape:label, sodipodi:docname...
        if not inside_text and node.text is not None and not node.text.strip():
            node.text = None
        for child in list(node):
            if etree.QName(child).localname == "metadata":
                node.remove(child)  # with its tail: lxml keeps an element's tail text with it
                continue
            if not inside_text and child.tail is not None and not child.tail.strip():
                child.tail = None
            stack.append((child, inside_text))
    etree.cleanup_namespaces(root)
