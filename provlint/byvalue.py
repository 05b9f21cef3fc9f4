"""Equality and repr by field for the classes written out instead of `@dataclass`
(generating a dataclass's methods at import cost a one-file run more than their use)."""

from __future__ import annotations

from typing import Any


class ByValue:
    """Equal when of one class with equal `_compared` fields; shown by its `_shown` fields.
    Mutable, so not hashable."""

    __hash__ = None  # type: ignore[assignment]
    _compared: tuple[str, ...] = ()
    _shown: tuple[str, ...] = ()  # the fields a repr names (all compared ones, unless fewer are said)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._compared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, ByValue)
        return self._values() == other._values()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown or self._compared)
        return f"{type(self).__name__}({shown})"
