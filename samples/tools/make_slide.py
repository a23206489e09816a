"""Draw the training slide the kewirausahaan-sosial sample shows as a picture: a price calculation
exported from a presentation at 2400 x 1350 px, as training teams paste slides into modules.

Usage: python samples/tools/make_slide.py OUT.png
Kept here so the sample picture can be made again; it needs Pillow (a modpack dependency).
"""

import sys

from PIL import Image, ImageDraw, ImageFont


def slide() -> Image.Image:
    image = Image.new("RGB", (2400, 1350), "#fdf6ec")
    draw = ImageDraw.Draw(image)
    title = ImageFont.load_default(size=96)
    text = ImageFont.load_default(size=64)
    draw.rectangle((0, 0, 2400, 200), fill="#8a3b12")
    draw.text((100, 50), "Menghitung harga jual keripik", font=title, fill="white")
    rows = [("Singkong 10 kg", "Rp25.000"), ("Minyak goreng 2 liter", "Rp9.000"),
            ("Bumbu dan plastik", "Rp6.000"), ("Jumlah untuk 20 bungkus", "Rp40.000")]
    y = 300
    for i, (item, cost) in enumerate(rows):
        fill = "#f3e2cc" if i % 2 == 0 else "#fdf6ec"
        draw.rectangle((100, y - 20, 1500, y + 100), fill=fill, outline="#8a3b12", width=4)
        draw.text((140, y), item, font=text, fill="#2b1a0e")
        draw.text((1150, y), cost, font=text, fill="#2b1a0e")
        y += 120
    draw.rounded_rectangle((1600, 300, 2300, 780), radius=40, fill="#1b6e5a")
    for k, line in enumerate(["Rp40.000 : 20", "= Rp2.000 / bungkus", "+ untung 50%", "= Rp3.000"]):
        draw.text((1650, 340 + k * 105), line, font=text, fill="white")
    draw.text((100, 1000), "Bandingkan dengan harga di warung sekitar.", font=text, fill="#2b1a0e")
    for k in range(20):  # twenty packs, as drawn on the slide
        x = 100 + k * 110
        draw.rounded_rectangle((x, 1120, x + 90, 1280), radius=16, fill="#e0a458", outline="#8a3b12", width=4)
    return image


if __name__ == "__main__":
    slide().save(sys.argv[1], "PNG")
