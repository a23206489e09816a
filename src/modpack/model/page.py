"""Pages: the Markdown a learner reads, with the media and files that go with it."""

from pydantic import Field, model_validator

from ..messages import t
from .common import HttpUrl, LangPath, LangText, Markdown, MarkdownFiles, RelativePath, Slug, StrictModel


class Audio(StrictModel):
    file: RelativePath = Field(description="An audio file in the module folder (mp3, m4a, ogg).")
    title: LangText | None = None
    transcript: LangText | None = Field(None, description="Text of the recording, for learners who cannot listen.")


class Video(StrictModel):
    """A video, either a file shipped in the package or a link to one hosted elsewhere."""

    file: RelativePath | None = Field(None, description="A video file in the module folder (mp4, webm).")
    url: HttpUrl | None = Field(None, description="A link to a video hosted elsewhere (needs a connection).")
    title: LangText | None = None
    captions: LangPath | None = Field(None, description="WebVTT captions, one file per language.")
    poster: RelativePath | None = Field(None, description="An image shown before the video plays.")

    @model_validator(mode="after")
    def _one_source(self) -> "Video":
        if (self.file is None) == (self.url is None):
            raise ValueError(t("a video needs exactly one of 'file' (in the module) or 'url' (a link)"))
        return self


class Attachment(StrictModel):
    file: RelativePath = Field(description="A downloadable file in the module folder, usually a PDF.")
    title: LangText


class Page(StrictModel):
    """One screen of a lesson. Its text is Markdown, from a file or written inline."""

    id: Slug
    title: LangText
    file: MarkdownFiles | None = Field(None, description="Markdown file(s) in the module folder, one per language.")
    text: Markdown | None = Field(None, description="Markdown written inline, instead of 'file'.")
    audio: Audio | None = None
    video: Video | None = None
    attachments: list[Attachment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_body(self) -> "Page":
        if (self.file is None) == (self.text is None):
            raise ValueError(t("a page needs exactly one of 'file' (a Markdown file) or 'text' (inline Markdown)"))
        return self
