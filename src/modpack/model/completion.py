"""When a learner has finished a module, and which status the LMS is told."""

from typing import Literal

from pydantic import Field

from .common import StrictModel

Requirement = Literal["pages", "post-test"]
Report = Literal["passed-failed", "completed-incomplete"]


class Completion(StrictModel):
    requires: list[Requirement] | None = Field(
        None,
        description="What completes the module: pages viewed, the post-test passed, or both. "
        "Default: both when there is a post-test, else pages.",
    )
    pages_percent: int = Field(100, ge=1, le=100, description="Share of pages to view when 'pages' is required.")
    report: Report | None = Field(
        None,
        description="The status SCORM 1.2 reports: passed/failed (needs the post-test) or completed/incomplete. "
        "Default: passed-failed when the post-test is required.",
    )
