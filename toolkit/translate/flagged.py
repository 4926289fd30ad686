"""The flags of translated segments, as every output carries them.

One function makes a translation's flags (``segment_flags``): a list of the flagged segments, each
``{"segment": i, "source": ..., "translation": ..., "flags": [{"check": ..., "detail": ...}]}``.
JSONL records carry them per language (``flags``), CSV/TSV rows as short text (``flags_text``),
document outputs as a sidecar file (``sidecar_lines``), and the end-of-job line counts them
(``count_flags``).
"""

from __future__ import annotations

from typing import Iterable, Mapping

import regex

from toolkit.text.codes import Protection
from toolkit.text.flags import FLAG_CHECKS

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
FLAGGED = "flagged"  # the counter of flagged segments (each check's counter is "flags:CHECK")


def known_forms(protection: Protection) -> dict[str, tuple[str, ...]]:
    """A glossary's terms as the names check accepts them: each term, and each word of it, may
    appear as its fixed translation (or as itself, for a term kept as it is)."""
    forms: dict[str, tuple[str, ...]] = {}
    for term, target in (protection.terms or {}).items():
        form = target or term
        for key in {term, *_WORD.findall(term)}:
            forms[key] = forms.get(key, ()) + (form,)
    return forms


def checkers(source: str, protections: Mapping[str, Protection]):
    """A ``SegmentChecker`` per target language, knowing the glossary's forms of its terms."""
    from toolkit.eval.segment_checks import SegmentChecker

    return {target: SegmentChecker(source, target, known_forms(p)) for target, p in protections.items()}


def segment_flags(document, check=None) -> list[dict]:
    """The flagged segments of a ``TranslatedDocument``, in order; ``check``: a check to run on its
    segments now (one the translation did not run)."""
    entries = []
    for s in document.segments:
        flags = s.flags + (check(s.source, s.translation) if check else ())
        if flags:
            entries.append({"segment": s.index, **({"part": s.part} if s.part else {}), "source": s.source,
                            "translation": s.translation,
                            "flags": [f.to_dict() for f in flags]})
    return entries


def flags_text(entries: list[dict]) -> str:
    """One language's flags as a table cell: ``numbers: missing 1,200; names: dropped: Tirana``."""
    return "; ".join(f"{f['check']}: {f['detail']}" if f["detail"] else f["check"] for e in entries for f in e["flags"])


def count_flags(flags: Mapping[str, list[dict]], targets: Iterable[str], counts: dict[str, int]) -> None:
    """Add to ``counts`` the flagged segments of a record's ``flags`` in ``targets``: ``flagged`` in
    all, and ``flags:CHECK`` per check (a segment counts once per check it fails)."""
    for entry in (e for t in targets for e in flags.get(t, ())):
        counts[FLAGGED] = counts.get(FLAGGED, 0) + 1
        for check in dict.fromkeys(f["check"] for f in entry["flags"]):
            counts[f"flags:{check}"] = counts.get(f"flags:{check}", 0) + 1


def flag_counts(counters: Mapping[str, int]) -> dict[str, int]:
    """The job's flag counters (``count_flags``) as the manifest and the end-of-job line show them:
    ``{"segments": n, CHECK: n...}``, the checks in report order."""
    by_check = {c: counters[f"flags:{c}"] for c in FLAG_CHECKS if counters.get(f"flags:{c}")}
    return {"segments": counters.get(FLAGGED, 0), **by_check}


def sidecar_lines(record_id: str, origin: str, flags: Mapping[str, list[dict]]) -> list[dict]:
    """A document's lines of the flags sidecar: one per flagged segment and language."""
    return [{"id": record_id, "file": origin, "lang": lang, **entry} for lang, entries in flags.items() for entry in entries]
