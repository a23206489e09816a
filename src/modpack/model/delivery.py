"""How each target standard packages the module. Defaults suit every LMS; few need to touch this."""

from typing import Literal

from pydantic import Field

from .common import StrictModel

Structure = Literal["single-sco", "sco-per-lesson"]


class Scorm12Delivery(StrictModel):
    structure: Structure = Field("single-sco", description="One SCO for the module (widest support) or one per lesson plus the post-test.")


class Scorm2004Delivery(StrictModel):
    structure: Structure = "single-sco"
    navigation: Literal["flow", "forward-only"] = Field("flow", description="Multi-SCO sequencing: free flow or forward only.")


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
