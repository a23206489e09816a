"""The look of a module: the institution's colour, logo and font, checked for WCAG AA contrast.

The player draws its bar and buttons in the primary colour with white text, and links and
button borders in it on white: both need a contrast of at least 4.5:1 (WCAG 2.1, 1.4.3).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from ..messages import t
from .common import RelativePath, StrictModel

DEFAULT_PRIMARY = "#1b6e5a"
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_FONT = re.compile(r"^[A-Za-z0-9 ,\-\"']{1,200}$")
AA = 4.5


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.1 definition)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darker_until_aa(hex_colour: str) -> str:
    """The same hue, darkened step by step until white text on it meets AA."""
    r, g, b = _rgb(hex_colour)
    for step in range(100):
        k = 1 - step / 100
        candidate = "#" + "".join(f"{round(c * k * 255):02x}" for c in (r, g, b))
        if contrast(candidate, "#ffffff") >= AA:
            return candidate
    return "#000000"


def _check_colour(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(t("'{value}' is not a colour: write it as #RRGGBB, e.g. #1b6e5a", value=value))
    ratio = contrast(value, "#ffffff")
    if ratio < AA:
        raise ValueError(t("white text on {value} has a contrast of {ratio}:1, below WCAG AA's 4.5:1 (the bar, "
                           "buttons and links use it): choose a darker colour, e.g. {suggestion}", value=value,
                           ratio=f"{ratio:.1f}", suggestion=darker_until_aa(value)))
    return value.lower()


def _check_font(value: str) -> str:
    if not _FONT.match(value):
        raise ValueError(t("'{value}' is not a list of font names: use letters, digits, spaces, commas, hyphens and "
                           "quotes, e.g. \"Noto Sans\", sans-serif", value=value))
    return value


Colour = Annotated[str, AfterValidator(_check_colour), Field(json_schema_extra={"pattern": _HEX.pattern})]


class Theme(StrictModel):
    primary: Colour = Field(DEFAULT_PRIMARY, description="The institution's colour, e.g. #0b5394: the bar, buttons, "
                                                         "links (white text on it must reach WCAG AA).")
    logo: RelativePath | None = Field(None, description="The institution's logo, shown in the bar and on the certificate.")
    font: Annotated[str, AfterValidator(_check_font)] | None = Field(
        None, description="A CSS font stack, e.g. '\"Noto Sans\", sans-serif'; the learner's system fonts by default.")
