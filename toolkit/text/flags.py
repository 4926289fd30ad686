"""Flags: why a translated (or summarised) segment is suspect, carried with the segment itself."""

from __future__ import annotations

from dataclasses import dataclass

# Every check that can flag a segment, in the order reports list them.
FLAG_CHECKS = ("placeholders", "glossary", "numbers", "names", "omission", "untranslated", "language",
               "repetition", "length")


@dataclass(frozen=True)
class Flag:
    """One failed check of one segment: ``check`` names it (one of ``FLAG_CHECKS``), ``detail`` says
    what exactly failed, for a person ("missing: 1,200", "dropped: Tirana")."""

    check: str
    detail: str = ""

    def __post_init__(self) -> None:
        if self.check not in FLAG_CHECKS:
            raise ValueError(f"unknown check '{self.check}'; one of: {', '.join(FLAG_CHECKS)}")

    def to_dict(self) -> dict[str, str]:
        return {"check": self.check, "detail": self.detail}
