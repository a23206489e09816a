"""The module-definition model: the single source of truth every target reads.

pydantic v2 models, one concept per file; ``fields`` finds, by walking these models, every
field that can name a file. May import: ``modpack.messages`` only (everything else imports this).
"""

from .assessment import Assessment, QuestionPool
from .budget import Budget
from .common import LangText, LanguageTag, Slug
from .completion import Completion
from .course import Course
from .delivery import Delivery
from .lesson import Lesson
from .module import Module, Objective, Workload
from .page import Attachment, Audio, Page, Video
from .people import Author, Institution
from .question import (
    QUESTION_TYPES,
    Categorize,
    Choice,
    Feedback,
    FillIn,
    Matching,
    MatchItem,
    MultipleResponse,
    Numeric,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)
from .session import FacilitatedSession

__all__ = [
    "Assessment", "Attachment", "Audio", "Author", "Budget", "Categorize", "Choice", "Completion", "Course", "Delivery",
    "FacilitatedSession", "Feedback", "FillIn", "Institution", "LangText", "LanguageTag", "Lesson",
    "Matching", "MatchItem", "Module", "MultipleResponse", "Numeric", "Objective", "Ordering", "Page",
    "Question", "QuestionPool", "QUESTION_TYPES", "SingleChoice", "Slug", "TrueFalse", "Video", "Workload",
]
