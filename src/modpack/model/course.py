"""A course (training programme): an ordered list of modules, e.g. 11 modules and 108 JP."""

from pydantic import Field, PrivateAttr, field_validator

from ..messages import t
from .common import HttpUrl, LangText, Slug, Version
from .module import Localised, Module
from .people import Institution


class Course(Localised):
    schema_uri: str | None = Field(None, alias="$schema")
    id: Slug
    version: Version = "1.0.0"
    title: LangText
    description: LangText | None = None
    institution: Institution | None = None
    iri_base: HttpUrl | None = None
    annual_target_jp: float = Field(20, gt=0, description="JP a learner owes each year (20 for civil servants).")
    modules: list[str] = Field(min_length=1, description="Module folders, relative to this file, in study order.")

    _modules: list[Module] = PrivateAttr(default_factory=list)

    @field_validator("modules")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        seen = set()
        for item in value:
            if item in seen:
                raise ValueError(t("module '{value}' is listed twice", value=item))
            seen.add(item)
        return value

    @property
    def loaded_modules(self) -> list[Module]:
        """The modules, loaded and validated, when the course came from :func:`modpack.load`."""
        return self._modules

    @property
    def total_jp(self) -> float:
        return sum(m.workload.total_jp for m in self._modules)
