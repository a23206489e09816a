"""CSS read for the URLs it fetches: what raw HTML's style attributes name (css_urls), and whether
an SVG's styles fetch from elsewhere (fetches_elsewhere)."""

from __future__ import annotations

import re


def css_urls(value: str) -> list[str]:
    """The URLs of a style's url(...)s, quoted or not. One pass: a pattern looking for each
    'url(''s end from every 'url(' took time squared on 'url(a' written 10,000 times."""
    lower, found, at = value.lower(), [], 0
    close = -1  # the next ')' found so far: every 'url(' before it shares it
    while (at := lower.find("url(", at)) >= 0:
        start = at + 4
        while start < len(value) and value[start].isspace():
            start += 1
        quote = value[start] if start < len(value) and value[start] in "'\"" else ""
        if quote:  # up to its closing quote, then ')' (a quoted URL may hold ')')
            end = value.find(quote, start + 1)
            if end < 0:
                break  # no quote closes it, nor any after it
            after = end + 1
            while after < len(value) and value[after].isspace():
                after += 1
            if after < len(value) and value[after] == ")":
                found.append(value[start + 1:end])
                at = after + 1
            else:
                at = start
            continue
        if close < start:
            close = value.find(")", start)
            if close < 0:
                break  # no ')' closes this one, nor any after it
        found.append(value[start:close].rstrip())
        at = close + 1
    return found


def fetches_elsewhere(css: str) -> bool:
    """Whether CSS (a <style>, a style or presentation attribute) would fetch from elsewhere: an
    @import, a url() not within the picture (``#id``), image-set(), image(), src() or attr(). Read
    as a browser reads it: comments out first, then escapes decoded ('u\\72l(' is 'url(')."""
    text = _unescaped(_uncommented(css)).lower()
    if any(word in text for word in ("@import", "image-set(", "image(", "src(", "attr(")):
        return True
    at = text.find("url(")
    while at >= 0:  # each url( must open on '#': within the picture (its end need not be found)
        inside = text[at + 4:at + 4 + 64].lstrip(" \t\r\n\f")
        if not inside.lstrip("'\"").lstrip(" \t\r\n\f").startswith("#"):
            return True
        at = text.find("url(", at + 4)
    return False


def _uncommented(css: str) -> str:
    """CSS without its /* comments */ (one left open runs to the end), in one pass."""
    if "/*" not in css:
        return css
    kept, at = [], 0
    while (start := css.find("/*", at)) >= 0:
        kept.append(css[at:start])
        end = css.find("*/", start + 2)
        if end < 0:
            return "".join(kept)
        kept.append(" ")
        at = end + 2
    return "".join(kept) + css[at:]


_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.DOTALL)


def _unescaped(css: str) -> str:
    """CSS escapes decoded (CSS Syntax 4.3.7): '\\72' is 'r', '\\(' is '('."""
    if "\\" not in css:
        return css
    return _ESCAPE.sub(lambda m: chr(min(int(m.group(1), 16), 0x10FFFF) or 0xFFFD) if m.group(1) else m.group(2), css)
