"""How each target standard packages the module. Defaults suit every LMS; few need to touch this."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .common import StrictModel, _check_relative_path

# not a RelativePath: naming a file here trusts it, it does not ask for it to be packed
TrustedPath = Annotated[str, AfterValidator(_check_relative_path)]

Structure = Literal["single-sco", "sco-per-lesson"]


class Scorm12Delivery(StrictModel):
    structure: Structure = Field("single-sco", description="One SCO for the module (widest support) or one per lesson plus the post-test.")


class Scorm2004Delivery(StrictModel):
    structure: Structure = "single-sco"
    navigation: Literal["flow", "forward-only"] = Field("flow", description="Multi-SCO sequencing: free flow or forward only.")
    gate: Literal["none", "global-objective"] = Field(
        "none",
        description="How sco-per-lesson keeps the post-test closed until every lesson is completed. 'none' (default): no "
                    "rule between SCOs, so LMSs with partial sequencing import it (Moodle cannot import a global "
                    "objective and evaluates no SCORM 2004 sequencing rule). 'global-objective': the lessons roll up into "
                    "a global objective the post-test reads (a preConditionRule), for LMSs that implement SCORM 2004 "
                    "Sequencing and Navigation.")


class Cmi5Delivery(StrictModel):
    structure: Literal["single-au", "au-per-lesson"] = "single-au"
    launch_method: Literal["AnyWindow", "OwnWindow"] = "AnyWindow"


class XapiDelivery(StrictModel):
    structure: Literal["single-activity"] = "single-activity"


class Delivery(StrictModel):
    scorm12: Scorm12Delivery = Field(default_factory=Scorm12Delivery)
    scorm2004: Scorm2004Delivery = Field(default_factory=Scorm2004Delivery)
    cmi5: Cmi5Delivery = Field(default_factory=Cmi5Delivery)
    xapi: XapiDelivery = Field(default_factory=XapiDelivery)
    trusted_active_files: list[TrustedPath] = Field(
        default_factory=list,
        description="HTML, XHTML, XML or JavaScript files of the module that pages may link to and that are packed as "
                    "they are. Such a file runs its script at the LMS's address when opened, so modpack refuses it "
                    "unless it is listed here: list only files your team wrote or reviewed.")
    optimise_images: bool = Field(
        True,
        description="Pack JPEG, PNG and WebP pictures scaled to the width the player shows them at (and twice that for "
                    "dense phone screens when the original has the pixels), without metadata, re-encoded, with a "
                    "lighter WebP copy offered first; only when smaller; SVG pictures without what their editor kept for itself. The module's own files are never "
                    "changed. false: pack them as they are (SVG still sanitised).")
