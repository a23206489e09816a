"""`--lms`: the format and delivery options each LMS handles best, so a content team need not know.

Each choice has its reason (docs/lms.md); a preset changes only how the module is packaged, never
its content, and an explicit --format wins over the preset's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the command line reads the names at start-up: the model is not imported for them
    from ..model import Module


@dataclass(frozen=True)
class Preset:
    format: str
    structure: Literal["single-sco", "sco-per-lesson"]
    gate: Literal["none", "global-objective"] = "none"
    reason: str = ""


PRESETS: dict[str, Preset] = {
    "moodle": Preset("scorm12", "single-sco", reason=(
        "Moodle's SCORM 1.2 runtime stores status, score, interactions and suspend data in full; its SCORM 2004 "
        "support evaluates no sequencing rule and cannot import global objectives (docs/moodle.md). One SCO is one "
        "gradebook item and one launch on a phone.")),
    "chamilo": Preset("scorm12", "single-sco", reason=(
        "Chamilo's learning paths import SCORM 1.2 best; its SCORM 2004 player leaves sequencing out. One SCO keeps "
        "progress in one learning-path item.")),
    "ilias": Preset("scorm2004", "sco-per-lesson", "global-objective", reason=(
        "ILIAS has a full SCORM 2004 player with Sequencing and Navigation: per-lesson SCOs with the post-test "
        "gated by a global objective play as the standard says, and each lesson reports on its own.")),
    "openedx": Preset("scorm12", "single-sco", reason=(
        "Open edX plays packages through the SCORM XBlock, one package per unit, launching one SCO without an LMS "
        "table of contents: a single SCO, in SCORM 1.2, which the XBlock grades.")),
    "talentlms": Preset("scorm12", "single-sco", reason=(
        "TalentLMS imports SCORM 1.2 and 2004 but shows a multi-SCO package as one unit; SCORM 1.2 single SCO is "
        "the format its reports read most completely.")),
    "generic": Preset("scorm12", "single-sco", reason=(
        "SCORM 1.2 with one SCO is the one package every LMS plays.")),
}


def apply(module: "Module", name: str) -> "Module":
    """A copy of ``module`` packaged as preset ``name`` says (its SCORM structures and gate)."""
    preset = PRESETS[name]
    copy = module.model_copy(deep=True)
    copy._root = module._root
    copy.delivery.scorm12.structure = preset.structure
    copy.delivery.scorm2004.structure = preset.structure
    copy.delivery.scorm2004.gate = preset.gate
    return copy
