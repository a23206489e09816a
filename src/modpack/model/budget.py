"""What a learner on a slow link may be asked to download: per page and per package."""

from pydantic import Field

from .common import StrictModel

# unless a module says otherwise; also what `info` judges a package by when it carries no budget
DEFAULT_PAGE_KB = 1000  # 5 s on 3G, 33 s at 250 kbit/s
DEFAULT_PACKAGE_MB = 20.0


class Budget(StrictModel):
    """Download budget. `validate`, `build` and `info` report each page's bytes and time on 3G
    (1.6 Mbit/s) and 2G-like links (250 kbit/s), and warn over these figures."""

    page_kb: int = Field(DEFAULT_PAGE_KB, ge=1, le=10_000_000,
                         description="Most KB one page may download (its text, images, audio, video): 1,000 KB is "
                                     "5 s on 3G, 33 s on a 250 kbit/s link.")
    package_mb: float = Field(DEFAULT_PACKAGE_MB, gt=0, le=100_000,
                              description="Most MB the whole package may weigh (LMS upload limits in the regions can "
                                          "be a few MB; see also build --max-size).")
