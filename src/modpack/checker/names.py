"""Rules about the files themselves: names LMSs reject, sizes and counts, embedded credentials."""

from __future__ import annotations

import re

from .reader import Package
from .report import Report

MAX_PATH = 200          # Windows-hosted LMSs and common unzip tools fail near 260 characters
LARGE_PACKAGE = 100 * 1024**2   # many LMS installations cap uploads at 100 MB or below
MANY_FILES = 5000
TEXT_SUFFIXES = (".js", ".mjs", ".html", ".htm", ".json", ".xml", ".txt", ".css", ".php", ".cfg", ".ini", ".env")

# Each pattern finds a credential written into a file; an LRS key inside a package is public.
CREDENTIALS = [
    ("basic-auth", re.compile(r"\bBasic\s+[A-Za-z0-9+/]{12,}={0,2}"), "an HTTP Basic authorization string"),
    ("auth-header", re.compile(r"""["']?Authorization["']?\s*[:=]\s*["'](?:Basic|Bearer)\s+[^"'\s]{8,}""", re.I),
     "an Authorization header with a value"),
    ("url-userinfo", re.compile(r"https?://[^/\s:@\"']+:[^/\s@\"']+@"), "a URL with a user name and password"),
    ("url-key", re.compile(r"[?&](?:key|secret|password|passwd|token|access_token|api_key|apikey|auth)=[^&\s\"'<>]{6,}",
                           re.I), "a URL carrying a key or secret"),
    ("xml-secret", re.compile(r"<(?:\w+:)?secret>\s*[^<\s]{4,}\s*</(?:\w+:)?secret>"), "a secret in an XML element"),
    ("secret-value", re.compile(r"""["']?(?:password|passwd|secret|lrs_?secret|api_?key|client_?secret)["']?\s*[:=]\s*["'][^"'\s]{6,}["']""",
                                re.I), "a password or secret written as a value"),
]


def check_names(package: Package, report: Report) -> None:
    for name in package.names():
        if " " in name:
            report.warning("name-space", "the name has spaces: some LMSs and web servers break links to it", file=name)
        if not name.isascii():
            report.warning("name-non-ascii", "the name has non-ASCII characters: some LMSs store or serve it garbled",
                           file=name)
        if len(name) > MAX_PATH:
            report.warning("name-long", f"the path is {len(name)} characters: LMSs on Windows and some unzip tools "
                           f"fail near 260", file=name)
        if re.search(r"[#?%*:|\"<>]", name):
            report.warning("name-chars", "the name has characters that URLs or file systems treat specially "
                           "(# ? % * : | \" < >)", file=name)


def check_size(package: Package, report: Report) -> None:
    if report.size > LARGE_PACKAGE:
        report.warning("large-package", f"{report.size / 1024**2:.0f} MB unpacked: many LMS installations refuse "
                       "uploads over 100 MB (Moodle's limit follows PHP's upload_max_filesize)")
    if report.files > MANY_FILES:
        report.warning("many-files", f"{report.files} files: some LMSs time out unpacking more than {MANY_FILES}")


def check_credentials(package: Package, report: Report) -> None:
    for name in package.names():
        if not name.lower().endswith(TEXT_SUFFIXES):
            continue
        if package.entries[name].size > package.limits.max_scanned_size:
            report.info("not-scanned", "too large to scan for credentials", file=name)
            continue
        text = package.read(name, package.limits.max_scanned_size).decode("utf-8", "replace")
        for code, pattern, what in CREDENTIALS:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                report.error("credential", f"{what} is written in the package: anyone who downloads it can use it. "
                             "Hand credentials over at launch (cmi5, or the LMS's launch parameters) instead",
                             file=name, line=line, path=code)
