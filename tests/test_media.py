"""Pictures made light at build time (issue 19): scaled to the width the player shows, a copy for
dense screens when worth it, metadata stripped, same input same bytes, originals untouched, and
whatever Pillow cannot or should not decode packed as it is."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from PIL import Image

import modpack
from modpack import checker
from modpack.package import media

from .conftest import MINIMAL, SAMPLES

PAGE = "Foto kegiatan.\n\n![Pendamping PKH bersama keluarga](../gambar/foto.jpg)\n\n![Bagan](../gambar/bagan.png)\n"


def photo(width: int, height: int, orientation: int | None = None) -> bytes:
    """A camera's JPEG: texture at every scale, and the EXIF a phone writes (maker, time, place)."""
    layers = [Image.effect_noise((max(1, width // s), max(1, height // s)), 60).resize((width, height))
              for s in (1, 8, 64)]
    grey = Image.blend(Image.blend(layers[0], layers[1], 0.5), layers[2], 0.4)
    image = Image.merge("RGB", (grey, grey.rotate(180), Image.linear_gradient("L").resize((width, height))))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Ponsel"
    exif[0x0132] = "2026:03:01 09:30:00"
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def smooth_photo(width: int, height: int) -> bytes:
    """A landscape as a phone shoots it: broad gradients and fine grain (noise alone, as photo()
    makes, does not compress in any format, so it shows no gain from WebP)."""
    grain = Image.effect_noise((width, height), 12)
    sky = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (Image.blend(sky, grain, 0.15), Image.blend(sky.rotate(90).resize((width, height)),
                                                                            grain, 0.1), sky.transpose(0)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def diagram() -> bytes:
    """A small PNG already as light as it gets."""
    out = io.BytesIO()
    Image.new("P", (200, 100), 3).save(out, "PNG", optimize=True)
    return out.getvalue()


def module_with_pictures(write_module, jpeg: bytes, extra: str = ""):
    text = MINIMAL.replace("        file: halaman/satu.md\n", "        file: halaman/satu.md\n") + extra
    return write_module(text, files={"halaman/satu.md": PAGE, "gambar/foto.jpg": jpeg, "gambar/bagan.png": diagram()})


def build(folder, tmp_path, name="dist"):
    [zip_path] = modpack.build(folder, "scorm12", tmp_path / name)
    return zip_path


def test_a_photo_is_scaled_stripped_doubled_and_the_page_says_so(write_module, tmp_path):
    original = photo(3000, 2000)
    folder = module_with_pictures(write_module, original)
    before = hashlib.sha256((folder / "gambar" / "foto.jpg").read_bytes()).hexdigest()
    with zipfile.ZipFile(build(folder, tmp_path)) as z:
        packed = z.read("assets/gambar/foto.jpg")
        double = z.read("assets/gambar/foto.2x.jpg")
        page = z.read("content/pages/halaman-satu.js").decode()
        png = z.read("assets/gambar/bagan.png")
    one, two = Image.open(io.BytesIO(packed)), Image.open(io.BytesIO(double))
    assert one.size == (768, 512) and two.size == (1536, 1024)
    assert one.format == two.format == "JPEG"
    assert dict(one.getexif()) == {} and dict(two.getexif()) == {}  # no maker, no time, no place
    assert len(packed) < len(original) / 5
    assert 'width=\\"768\\" height=\\"512\\"' in page and 'loading=\\"lazy\\"' in page
    assert "assets/gambar/foto.2x.jpg 1536w" in page and "assets/gambar/foto.jpg 768w" in page
    assert png == diagram()  # already light: as it is
    assert hashlib.sha256((folder / "gambar" / "foto.jpg").read_bytes()).hexdigest() == before


def test_same_input_same_bytes_with_or_without_the_cache(write_module, tmp_path, monkeypatch):
    folder = module_with_pictures(write_module, photo(1600, 1100, orientation=6))
    monkeypatch.setenv("MODPACK_CACHE", str(tmp_path / "cache-a"))
    first = build(folder, tmp_path, "a").read_bytes()
    again = build(folder, tmp_path, "b").read_bytes()  # from the cache
    monkeypatch.setenv("MODPACK_CACHE", str(tmp_path / "cache-c"))
    fresh = build(folder, tmp_path, "c").read_bytes()  # made again
    assert first == again == fresh
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        turned = Image.open(io.BytesIO(z.read("assets/gambar/foto.jpg")))
        names = z.namelist()
    assert turned.size == (768, 1117)  # shown upright, as the phone took it (EXIF orientation 6)
    assert "assets/gambar/foto.2x.jpg" not in names  # 1,100 px across: not worth a second copy


def test_a_damaged_cache_entry_is_made_again_not_packed(write_module, tmp_path, monkeypatch):
    folder = module_with_pictures(write_module, photo(1000, 800))
    monkeypatch.setenv("MODPACK_CACHE", str(tmp_path / "cache"))
    first = build(folder, tmp_path, "a").read_bytes()
    damaged = list((tmp_path / "cache" / "media").glob("*.data"))
    assert damaged
    for entry in damaged:
        entry.write_bytes(b"not a picture")
    assert build(folder, tmp_path, "b").read_bytes() == first


@pytest.mark.parametrize("content", [b"\xff\xd8\xff\xe0" + bytes(5000), b"GIF89a" + bytes(100)],
                         ids=["broken-jpeg", "not-a-jpeg"])
def test_what_pillow_cannot_read_is_packed_as_it_is(write_module, tmp_path, content):
    folder = module_with_pictures(write_module, content)
    with zipfile.ZipFile(build(folder, tmp_path)) as z:
        assert z.read("assets/gambar/foto.jpg") == content


def test_too_many_pixels_are_never_decoded(write_module, tmp_path, monkeypatch):
    monkeypatch.setattr(media, "MAX_PIXELS", 1000 * 1000)
    original = photo(1200, 1000)
    folder = module_with_pictures(write_module, original)
    with zipfile.ZipFile(build(folder, tmp_path)) as z:
        assert z.read("assets/gambar/foto.jpg") == original


def test_a_picture_decoded_whole_has_a_smaller_budget_and_a_wide_one_is_reduced_first(monkeypatch):
    """A 208 KB PNG of 7000 x 7000 took 680 MB (decoded whole, then turned, converted and resized
    at full size): formats decoded whole stop at MAX_DECODED_PIXELS, and a picture several times
    wider than it is ever shown is reduced by whole steps first, to the same sizes as before."""
    def png(width: int, height: int) -> bytes:
        out = io.BytesIO()
        Image.linear_gradient("L").resize((width, height)).convert("RGBA").save(out, "PNG")
        return out.getvalue()

    wide = media._made(png(media.SHOWN_WIDTH * 5, 400), "PNG")  # reduced by 2 first
    assert wide is not None and (wide.width, wide.double_width) == (media.SHOWN_WIDTH, media.SHOWN_WIDTH * 2)
    assert Image.open(io.BytesIO(wide.data)).size == (media.SHOWN_WIDTH, 80)
    for mode in ("P", "I;16"):  # modes reduce() does not take: a slide's palette is the common one
        out = io.BytesIO()
        Image.linear_gradient("L").resize((4000, 1000)).convert(mode).save(out, "PNG")
        made = media._made(out.getvalue(), "PNG")
        assert made is not None and (made.width, made.double_width) == (media.SHOWN_WIDTH, media.SHOWN_WIDTH * 2), mode
    monkeypatch.setattr(media, "MAX_DECODED_PIXELS", 300 * 300)
    assert media._made(png(400, 300), "PNG") is None  # over it: packed as it is, never decoded
    assert media._made(photo(400, 300), "JPEG") is not None  # a JPEG decodes at a smaller scale: MAX_PIXELS


def test_optimising_can_be_turned_off(write_module, tmp_path):
    original = photo(2000, 1000)
    folder = module_with_pictures(write_module, original, "delivery: {optimise_images: false}\n")
    with zipfile.ZipFile(build(folder, tmp_path)) as z:
        assert z.read("assets/gambar/foto.jpg") == original
        assert "assets/gambar/foto.2x.jpg" not in z.namelist()


def test_a_photo_is_offered_as_webp_first_with_its_jpeg_for_browsers_without(write_module, tmp_path):
    folder = module_with_pictures(write_module, smooth_photo(3000, 2000))
    zip_path = build(folder, tmp_path)
    with zipfile.ZipFile(zip_path) as z:
        names = z.namelist()
        copies = {name: z.read(f"assets/gambar/{name}") for name in ("foto.jpg", "foto.2x.jpg", "foto.webp", "foto.2x.webp")}
        page = json.loads(z.read("content/pages/halaman-satu.js").decode().partition("(")[2].rpartition(")")[0])
    opened = {name: Image.open(io.BytesIO(data)) for name, data in copies.items()}
    assert opened["foto.webp"].format == "WEBP" and opened["foto.webp"].size == opened["foto.jpg"].size == (768, 512)
    assert opened["foto.2x.webp"].size == opened["foto.2x.jpg"].size == (1536, 1024)
    assert len(copies["foto.webp"]) <= 0.9 * len(copies["foto.jpg"])
    assert dict(opened["foto.webp"].getexif()) == {}
    html = page["html"]["id-ID"]
    assert ('<picture><source type="image/webp" srcset="assets/gambar/foto.webp 768w, assets/gambar/foto.2x.webp 1536w" '
            'sizes="(max-width: 768px) 100vw, 768px"><img') in html
    img = html.partition("<picture>")[2].partition("</picture>")[0]
    assert 'src="assets/gambar/foto.jpg"' in img and 'alt="Pendamping PKH bersama keluarga"' in img
    # a learner downloads the WebP: the page's weight counts it, not the JPEG
    weighed = modpack.package.builder.download(modpack.load(folder)).pages[0].files
    assert "assets/gambar/foto.webp" in weighed and "assets/gambar/foto.jpg" not in weighed
    assert "assets/gambar/bagan.webp" not in names  # a PNG already light has no copy of any kind
    assert checker.check(zip_path).errors == []


def test_a_slide_is_offered_as_lossless_webp():
    made = media._made((SAMPLES / "kewirausahaan-sosial" / "gambar" / "slide-harga-jual.png").read_bytes(), "PNG")
    assert made is not None and made.webp is not None and made.double_webp is not None
    webp, png = Image.open(io.BytesIO(made.webp)).convert("RGB"), Image.open(io.BytesIO(made.data)).convert("RGB")
    from PIL import ImageChops

    assert webp.size == png.size and ImageChops.difference(webp, png).getbbox() is None  # the same pixels, exactly


def test_an_alt_text_holding_a_bracket_keeps_its_picture_whole():
    from modpack.package.content import PackedPicture, _responsive

    html = '<p><img src="assets/a.jpg" alt="harga > biaya"> sesudah</p>'
    done = _responsive(html, {"assets/a.jpg": PackedPicture(768, 512, None, 0, "assets/a.webp", None)})
    assert done == ('<p><picture><source type="image/webp" srcset="assets/a.webp"><img width="768" height="512" '
                    'loading="lazy" decoding="async" src="assets/a.jpg" alt="harga > biaya"></picture> sesudah</p>')


def test_the_page_downloads_less(write_module, tmp_path):
    heavy = module_with_pictures(write_module, photo(3000, 2000), "delivery: {optimise_images: false}\n")
    before = modpack.package.builder.download(modpack.load(heavy)).pages[0].size
    (heavy / "module.yaml").write_text((heavy / "module.yaml").read_text().replace("optimise_images: false", "optimise_images: true"))
    after = modpack.package.builder.download(modpack.load(heavy)).pages[0].size
    assert after < before / 5


@pytest.mark.parametrize("density, expected, taken", [(1, "foto.jpg", photo), (3, "foto.2x.jpg", photo),
                                                     (1, "foto.webp", smooth_photo), (3, "foto.2x.webp", smooth_photo)])
def test_the_browser_picks_the_copy_for_its_screen(browser, write_module, tmp_path, density, expected, taken):
    folder = module_with_pictures(write_module, taken(3000, 2000))
    zip_path = build(folder, tmp_path)
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(unpacked)
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=density)
    page = context.new_page()
    page.goto((unpacked / "index.html").as_uri())
    picture = page.locator('main img[alt="Pendamping PKH bersama keluarga"]')
    picture.wait_for()
    picture.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('main img').complete && document.querySelector('main img').naturalWidth > 0")
    shown = picture.evaluate("img => ({src: img.currentSrc, width: img.getBoundingClientRect().width})")
    assert shown["src"].endswith("/assets/gambar/" + expected)
    assert shown["width"] <= 360  # scaled to the phone, no sideways scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


# An SVG as Inkscape saves it: its own namespaces, metadata, comments, indentation; text whose
# spaces are drawn.
INKSCAPE_SVG = b"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg
   width="240"
   height="120"
   viewBox="0 0 240 120"
   version="1.1"
   id="svg5"
   inkscape:version="1.2.2 (b0a8486541, 2022-12-01)"
   sodipodi:docname="alur.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns="http://www.w3.org/2000/svg"
   xmlns:svg="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:cc="http://creativecommons.org/ns#"
   xmlns:dc="http://purl.org/dc/elements/1.1/">
  <title>Alur rujukan</title>
  <sodipodi:namedview
     id="namedview7"
     pagecolor="#ffffff"
     bordercolor="#666666"
     inkscape:zoom="2.1"
     inkscape:current-layer="layer1" />
  <metadata
     id="metadata1">
    <rdf:RDF>
      <cc:Work
         rdf:about="">
        <dc:title>Alur rujukan</dc:title>
      </cc:Work>
    </rdf:RDF>
  </metadata>
  <g
     inkscape:label="Lapisan 1"
     inkscape:groupmode="layer"
     id="layer1">
    <!-- kotak pertama -->
    <rect
       style="fill:#0b5394;stroke:none"
       id="rect1"
       width="100"
       height="60"
       x="10"
       y="30" />
    <path
       d="M 115,60 H 135"
       style="stroke:#000000;stroke-width:3"
       id="path1"
       sodipodi:nodetypes="cc" />
    <text
       xml:space="preserve"
       x="140" y="65"
       style="font-size:14px;font-family:sans-serif;fill:#000"
       id="text1"><tspan id="tspan1">Dinas  Sosial</tspan> <tspan>dan   Puskesos</tspan></text>
  </g>
</svg>
"""


def test_an_svg_loses_what_its_editor_kept_and_nothing_it_draws():
    from lxml import etree

    from modpack.definition.svg import sanitise

    made = sanitise(INKSCAPE_SVG)
    text = made.data.decode()
    assert len(made.data) < len(INKSCAPE_SVG) * 0.6
    for gone in ("inkscape", "sodipodi", "metadata", "rdf", "<!--", "\n  ", "xmlns:svg", "<?xml"):
        assert gone not in text, gone
    # what is drawn or read stays: title, shapes, styles, and the spaces inside the text
    assert "<title>Alur rujukan</title>" in text and 'd="M 115,60 H 135"' in text
    assert '<tspan id="tspan1">Dinas  Sosial</tspan> <tspan>dan   Puskesos</tspan>' in text
    assert etree.fromstring(made.data).get("viewBox") == "0 0 240 120"


def test_a_minified_svg_draws_the_same_pixels(browser):
    """Chromium draws the editor's file and the packed one: the same picture, pixel for pixel."""
    import base64

    from modpack.definition.svg import sanitise

    page = browser.new_page(viewport={"width": 480, "height": 240}, device_scale_factor=1)
    shots = []
    try:
        for data in (INKSCAPE_SVG, sanitise(INKSCAPE_SVG).data):
            url = "data:image/svg+xml;base64," + base64.b64encode(data).decode()
            page.set_content(f'<body style="margin:0;background:#fff"><img src="{url}" width="480" height="240"></body>')
            page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth > 0")
            shots.append(page.screenshot())
    finally:
        page.close()
    assert shots[0] == shots[1]
    assert len(Image.open(io.BytesIO(shots[0])).getcolors(maxcolors=1 << 16) or ()) > 2  # drawn, not blank
