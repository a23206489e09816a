"""The launch pages and the player files every package carries."""

from __future__ import annotations

import html
import json

from .content import CONTENT_DIR
from ..definition.files import ModuleFile, own_file
from ..model import Module
from ..player import label, shipped_table
from .structure import Unit

PLAYER_DIR = "player"


TRACKERS = {"scorm12": "scorm.js", "scorm2004": "scorm.js", "cmi5": "xapi.js", "xapi": "xapi.js"}


PLAYER_SCRIPTS = ("player.js", "blocks.js")


def player_files(standard: str = "scorm12") -> dict[str, ModuleFile | bytes]:
    """The player's files for one standard (core, blocks, its tracker, styles, interface strings).

    Packages ship them minified (player/min/, made from the sources beside it by
    tests/browser/minify.py, which a test keeps in step): less for a learner to download.
    """
    files: dict[str, ModuleFile | bytes] = {f"{PLAYER_DIR}/{name}": own_file(f"player/min/{name}")
                                            for name in (*PLAYER_SCRIPTS, TRACKERS[standard], "player.css")}
    # strings.json is the one place for interface text; the player reads it as a script (works from disk)
    strings = json.dumps(shipped_table(), ensure_ascii=False, separators=(",", ":"))
    files[f"{PLAYER_DIR}/strings.js"] = f"modpack.strings({strings});\n".encode()
    return files


def launch_page(module: Module, unit: Unit, standard: str) -> bytes:
    """A small HTML page that starts the player on one unit, tracked with ``standard``."""
    config = {
        "standard": standard,
        "unit": unit.key,
        "lessons": [lesson.id for lesson in unit.lessons],
        "preTest": unit.pre_test.id if unit.pre_test else None,
        "postTest": unit.post_test.id if unit.post_test else None,
    }
    title = html.escape(module.text(unit.title))
    # json.dumps does not escape "</": done by hand so the config cannot close the script element
    config_js = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    page = f"""<!DOCTYPE html>
<html lang="{html.escape(module.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{PLAYER_DIR}/player.css">
</head>
<body>
<div id="modpack"><noscript>{html.escape(label("needsScript", module.language))}</noscript></div>
<script>window.MODPACK_LAUNCH = {config_js};</script>
<script src="{PLAYER_DIR}/player.js"></script>
<script src="{PLAYER_DIR}/blocks.js"></script>
<script src="{PLAYER_DIR}/{TRACKERS[standard]}"></script>
<script src="{PLAYER_DIR}/strings.js"></script>
<script src="{CONTENT_DIR}/module.js"></script>
</body>
</html>
"""
    return page.encode("utf-8")
