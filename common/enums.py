"""The one base for state values: a `str` enum whose members carry their Flemish Dutch label.

    class VerslagStatus(LabelledEnum):
        concept = "concept", "Concept"
        goedgekeurd = "goedgekeurd", "Goedgekeurd"

A member is its stored string (`VerslagStatus.concept == "concept"`, `str()` and f-strings give the value), so
queries, JSON and forms keep the same strings; `member.label` is what a person reads.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Self


class LabelledEnum(enum.StrEnum):
    _value_: str
    label: str

    if TYPE_CHECKING:
        # What callers do: look a member up by its stored value (`Status("nieuw")`).
        def __new__(cls, value: object) -> Self: ...
    else:
        # What the class body does: define a member as `name = "value", "Label"`.
        def __new__(cls, value: str, label: str):
            member = str.__new__(cls, value)
            member._value_ = value
            member.label = label
            return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """{value: label}, in the order of the members."""
        return {member.value: member.label for member in cls}

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """[(value, label)] for a form's options."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def label_for(cls, value: object) -> str:
        """The label of a stored value; an unknown value (or None) is shown as it is."""
        try:
            return cls(value).label
        except ValueError:
            return "" if value is None else str(value)
