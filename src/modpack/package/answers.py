"""Answer keys sealed in the package, so that reading content/module.js does not give the answers.

Each question's key (its correct choice, accepted texts, numbers, pairs, or the order of its items)
leaves the question's data and travels as ``k``: the key's JSON XOR-ed with a keystream seeded by
the package's salt and the question's id, in base64. The items of an ordering question are shipped
shuffled, their order in the key. The player (player.js, ``key``) opens a key when it judges or
reports an answer.

This deters casual lookup (view-source, a search for the answer in the files); it is not a security
boundary: the player judges answers offline, so whoever runs or reads its code can open every key.
The salt changes with every change to the module's definition; the same definition gives the same
bytes (reproducible builds).
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from typing import Any, Iterator

from ..model import Module

_MASK = 0xFFFFFFFF
# what each question type keeps out of plain sight
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "single-choice": ("correct",), "multiple-response": ("correct",), "true-false": ("correct",),
    "fill-in": ("accepted",), "matching": ("correct",), "categorize": ("correct",),
    "numeric": ("correct", "min", "max"), "ordering": (),
}


def package_salt(module: Module) -> str:
    """A salt that changes with the definition (so with every revision of the module).

    The model's JSON is not the page texts (those stay in their files): 3 ms for 2,000 pages."""
    return hashlib.sha256(module.model_dump_json().encode()).hexdigest()[:16]


def _seed(text: str) -> int:
    """FNV-1a over UTF-16 code units, as the player computes it (ids and salts are ASCII)."""
    value = 0x811C9DC5
    data = text.encode("utf-16-le")
    for at in range(0, len(data), 2):
        value ^= int.from_bytes(data[at:at + 2], "little")
        value = (value * 0x01000193) & _MASK
    return value


def _imul(a: int, b: int) -> int:
    return (a * b) & _MASK


def keystream(seed: int) -> Iterator[int]:
    """mulberry32's steps, one byte (the top one) each: the player's ``stream``."""
    state = seed & _MASK
    while True:
        state = (state + 0x6D2B79F5) & _MASK
        x = _imul(state ^ (state >> 15), 1 | state)
        x = ((x + _imul(x ^ (x >> 7), 61 | x)) & _MASK) ^ x
        yield ((x ^ (x >> 14)) & _MASK) >> 24


def _xor(data: bytes, salt: str, question_id: str) -> bytes:
    return bytes(b ^ k for b, k in zip(data, keystream(_seed(f"{salt}:{question_id}"))))


def seal(data: dict[str, Any], salt: str) -> dict[str, Any]:
    """The question's player data with its key sealed in ``k``."""
    kind = data.get("type")
    if kind not in KEY_FIELDS:
        return data
    key = {name: data.pop(name) for name in KEY_FIELDS[kind] if name in data}
    if kind == "ordering":
        items = data["items"]
        order = list(range(len(items)))
        random.Random(f"{salt}:{data['id']}").shuffle(order)
        if order == sorted(order):  # shipped as written would give the answer away
            order = order[1:] + order[:1]
        data["items"] = [items[i] for i in order]
        key["order"] = [order.index(i) for i in range(len(items))]  # shipped index of each item, in the right order
    raw = json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    data["k"] = base64.b64encode(_xor(raw, salt, str(data["id"]))).decode("ascii")
    return data


def unseal(data: dict[str, Any], salt: str) -> dict[str, Any]:
    """The key of a sealed question (for tests and support tools: what the player reads)."""
    found: dict[str, Any] = json.loads(_xor(base64.b64decode(data["k"]), salt, str(data["id"])).decode("utf-8"))
    return found
