"""The IRIs modpack's statements use: ADL verbs and activity types, and modpack's own extensions."""

VERBS = {
    "attended": ("http://adlnet.gov/expapi/verbs/attended", {"en-US": "attended", "id-ID": "menghadiri"}),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", {"en-US": "completed", "id-ID": "menyelesaikan"}),
    "passed": ("http://adlnet.gov/expapi/verbs/passed", {"en-US": "passed", "id-ID": "lulus"}),
    "failed": ("http://adlnet.gov/expapi/verbs/failed", {"en-US": "failed", "id-ID": "belum lulus"}),
    "scored": ("http://adlnet.gov/expapi/verbs/scored", {"en-US": "scored", "id-ID": "memperoleh nilai"}),
}

ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "meeting": "http://adlnet.gov/expapi/activities/meeting",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
}

PLATFORM = "modpack"


def jp_extension(iri_base: str) -> str:
    """The context extension that carries lesson hours (JP) under the module's IRI base."""
    return f"{iri_base}extensions/jp"
