"""Pages render as CommonMark, and nothing in them can run script inside a package."""

from __future__ import annotations

from modpack.definition.markdown import references, render


def test_commonmark_and_tables():
    html = render("# Judul\n\n*miring* dan **tebal**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h1>Judul</h1>" in html and "<em>miring</em>" in html and "<strong>tebal</strong>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_script_and_handlers_are_removed():
    html = render(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[klik](javascript:alert(1))\n\n"
        '<a href="data:text/html,x" onclick="x()">d</a> <iframe src="https://evil.example"></iframe>'
        '<style>body{}</style><p style="color:red">teks</p>'
    )
    lowered = html.lower()
    for bad in ("<script", "onerror", "javascript:", "onclick", "data:", "<iframe", "<style", "style="):
        assert bad not in lowered, bad
    assert "teks" in html


def test_links_get_safe_rel():
    assert 'rel="noopener noreferrer"' in render("[situs](https://kemensos.example.go.id)")


def test_references_with_lines_and_alt_text():
    refs = references("Halo é\n\n![Peta *desa*](gambar/peta%20desa.svg)\n\n[unduh](f.pdf) [web](https://a.b) [atas](#atas)\n")
    assert [(r.kind, r.target, r.text, r.line, r.is_local) for r in refs] == [
        ("image", "gambar/peta%20desa.svg", "Peta desa", 3, True),
        ("link", "f.pdf", "unduh", 5, True),
        ("link", "https://a.b", "web", 5, False),
        ("link", "#atas", "atas", 5, False),
    ]
    assert refs[0].local_path == "gambar/peta desa.svg"


def test_references_in_raw_html_with_lines():
    text = ('Teks <img src="a.png" alt="A">\n\n<div>\n<img\n  src="../b.png" srcset="c.png 1x, ../d.png 2x">\n'
            '<svg><image xlink:href="&#46;&#46;/e.svg"/></svg>\n<p style="background:url(\'f.png\')">x</p>\n</div>\n\n'
            '<video><source src="g.mp4"><track src="h.vtt"></video>\n')
    refs = [(r.kind, r.target, r.text, r.line, r.element, r.attribute) for r in references(text)]
    assert refs == [
        ("image", "a.png", "A", 1, "img", "src"),
        ("image", "../b.png", "", 4, "img", "src"),
        ("html", "c.png", "", 4, "img", "srcset"),
        ("html", "../d.png", "", 4, "img", "srcset"),
        ("html", "../e.svg", "", 6, "image", "xlink:href"),
        ("html", "f.png", "", 7, "p", "style"),
        ("html", "g.mp4", "", 10, "source", "src"),
        ("html", "h.vtt", "", 10, "track", "src"),
    ]


def test_prose_skips_the_sanitiser_only_when_the_parser_alone_makes_it_safe():
    """Pages without '<' and without any attribute in their HTML are not sanitised (a third of a
    text module's build); each such page's HTML is what the sanitiser would keep, tag for tag."""
    import lxml.html

    from modpack.definition.markdown import needs_no_sanitising, sanitise, to_html

    def tree(html: str) -> list[str]:
        return [f"{e.tag}{sorted(e.attrib.items())}{(e.text or '').strip()}"
                for e in lxml.html.fragment_fromstring(html, create_parent="div").iter()]

    prose = [
        "## Judul\n\n*miring* **tebal** ~~coret~~ `kode` &amp; &lt;script&gt; &#60;b&#62;\n\n> kutipan\n\n---\n",
        "| a | b |\n|---|---|\n| 1 | \"2\" |\n\n- satu\n- dua\n\n1. pertama\n",
        "```\njavascript:alert(1) onerror=x\n```\n\n    kode terindentasi\n",
        "Teks javascript:alert(1) dan onclick=x &quot;\n",
    ]
    for text in prose:
        html = to_html(text)
        assert needs_no_sanitising(text, html), text
        assert tree(html) == tree(sanitise(html)), text
    # through the sanitiser: raw HTML, links, images, alignment, lists not at 1, code info strings, and
    # text that merely looks like an attribute (the parser leaves '"' in text as it is)
    for text in ("<b>x</b>", "[a](javascript:alert(1))", "![x](a.png)", "| a |\n|:-:|\n| 1 |\n",
                 "3. tiga\n", "```js\nx\n```\n", 'kata "onclick="x"'):
        assert not needs_no_sanitising(text, to_html(text)), text


def test_the_lines_of_many_references_are_counted_in_one_pass():
    """Each reference's line was counted from the page's start (125,000 links took 165 s); counted
    on from the last one, the lines are the same."""
    text = "".join(f"[t](https://example.org/{n}) <b>x</b>\n\n" if n % 3 else f"![g{n}](gambar/{n}.png)\n"
                   for n in range(3000))
    found = references(text)
    lines = text.split("\n")
    assert len(found) == 3000
    assert all(ref.target.rsplit("/", 1)[1].split(".")[0] in lines[ref.line - 1] for ref in found)
