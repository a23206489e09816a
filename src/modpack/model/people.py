"""Who wrote a module and for whom."""

from pydantic import Field

from .common import HttpUrl, LangText, StrictModel


class Author(StrictModel):
    name: str = Field(min_length=1)
    role: LangText | None = Field(None, description="e.g. widyaiswara (trainer), penulis (writer), editor")
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Institution(StrictModel):
    name: LangText
    url: HttpUrl | None = None
