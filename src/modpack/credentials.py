"""Credentials modpack has read, kept so that no message ever prints them.

Whatever reads an LRS credential (``xapi.send.credentials_from``, ``checked_auth``) hands it to
:func:`keep`; the command line passes every line it prints through :func:`redact`, internal
errors included, so a credential cannot reach a terminal or a CI log even through a library's
own error message. Imports nothing: every layer may use it.
"""

from __future__ import annotations

_KEPT: set[str] = set()
_WORDS = frozenset({"basic", "bearer"})


def keep(*values: str) -> None:
    """Remember credentials (a whole Authorization value, a password): each, and each of its words."""
    for value in values:
        for part in (value, *value.split()):
            if len(part) >= 4 and part.lower() not in _WORDS:  # shorter would hide ordinary words
                _KEPT.add(part)


def redact(text: str) -> str:
    """``text`` with every kept credential replaced by ``[hidden]``."""
    for secret in sorted(_KEPT, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "[hidden]")
    return text
