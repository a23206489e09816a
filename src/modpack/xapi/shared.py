"""Immutable dicts and lists for the parts many statements share (verbs, activities, learners).

They serialise like plain dicts and lists (orjson and json treat subclasses as their base), but
cannot be changed once built, which lets the validator check each such part once and recognise
it again by identity.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar, cast


def _frozen(*_: Any, **__: Any) -> NoReturn:
    raise TypeError("a shared statement part cannot be changed; copy it first")


class SharedDict(dict[str, Any]):
    __slots__ = ()
    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _frozen

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        import copy

        return {k: copy.deepcopy(v, memo) for k, v in self.items()}


class SharedList(list[Any]):
    __slots__ = ()
    __setitem__ = __delitem__ = append = extend = insert = pop = remove = clear = sort = reverse = _frozen
    __iadd__ = __imul__ = _frozen

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        import copy

        return [copy.deepcopy(v, memo) for v in self]


T = TypeVar("T")


def share(value: T) -> T:
    """A deep, immutable copy of plain JSON data (of the same type to a reader)."""
    if isinstance(value, dict):
        return cast(T, SharedDict({k: share(v) for k, v in value.items()}))
    if isinstance(value, list):
        return cast(T, SharedList(share(v) for v in value))
    return value
