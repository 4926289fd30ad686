"""A glossary and do-not-translate list: source terms and their fixed translation per target language.

The file is a TSV (or CSV, by its name) with a header row ``source<TAB>fa<TAB>sq...``: one row per
source term, one column per target language; ``=`` keeps the source term as it is, an empty cell
leaves the term to the model in that language. Terms match whole words in any case, longest first,
and their translations are placed as inline codes (``toolkit.text.codes``).
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from toolkit.errors import InputError, LanguageError
from toolkit.languages import get_language
from toolkit.text.codes import Protection

KEEP = "="  # a target cell that keeps the source term as it is


@dataclass(frozen=True)
class Glossary:
    """``terms``: per target language, source term (lower case) -> its translation (None: kept as it is);
    ``origin``: where it came from, for messages and the manifest."""

    terms: Mapping[str, Mapping[str, str | None]]
    origin: str = "request"
    digest: str = field(init=False)

    def __post_init__(self) -> None:
        canonical = json.dumps({t: dict(sorted(m.items())) for t, m in sorted(self.terms.items())}, ensure_ascii=False)
        object.__setattr__(self, "digest", hashlib.sha256(canonical.encode()).hexdigest()[:16])

    def protection(self, target: str, spans: bool = True) -> Protection:
        """What to protect in a translation into ``target``: the spans (unless off) and this glossary's terms."""
        return Protection(spans=spans, terms=dict(self.terms.get(target, {})) or None)

    def describe(self) -> dict:
        """For the manifest and provenance."""
        return {"origin": self.origin, "sha256": self.digest, "terms": {t: len(m) for t, m in self.terms.items()}}


def protections(targets: Sequence[str], glossary: Glossary | None, spans: bool = True) -> dict[str, Protection]:
    """The ``Protection`` of each target language."""
    return {t: glossary.protection(t, spans) if glossary else Protection(spans=spans) for t in targets}


def job_glossary(argument: str | None, targets: Sequence[str]) -> Glossary | None:
    """The glossary of a job translating into ``targets``: ``argument``, else the config file's
    ``glossary`` setting (read from the config file's folder, its columns for other languages left
    out), else none."""
    from toolkit.settings import config_path, setting

    path = setting("glossary", argument, None, str)
    if path is None:
        return None
    from_settings = argument is None
    return read_glossary(path, targets, strict=not from_settings,
                         origin=f"config file {config_path()}" if from_settings else None)


def read_glossary(path: str | Path, targets: Sequence[str], strict: bool = True, origin: str | None = None) -> Glossary:
    """The glossary in ``path`` for a job translating into ``targets``; any mistake in it is one
    ``InputError`` naming the file (and line), raised before any model loads. ``strict``: a column for
    a language the job does not translate into is one (a glossary named for the job); else such
    columns are left out (a glossary of the settings file, shared by jobs into other languages).
    ``origin``: where the path was named, for the message when the file is missing."""
    path = Path(path)
    fix = "a TSV or CSV file with a header row 'source<TAB>fa<TAB>sq...' (see docs/translate.md)"
    if not path.is_file():
        named = f" (from {origin})" if origin else ""
        raise InputError(f"the glossary {path}{named} does not exist", f"give the path of {fix}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the glossary {path}: {exc}", f"give {fix}, in UTF-8") from None
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    rows = [row for row in csv.reader(text.splitlines(), delimiter=delimiter)]
    if not rows or not rows[0] or rows[0][0].strip().lower() != "source" or len(rows[0]) < 2:
        raise InputError(f"the glossary {path} has no header row 'source{'<TAB>' if delimiter == chr(9) else ','}LANG...'",
                         f"make its first row name the columns: {fix}")
    try:
        languages = [get_language(name.strip()).code for name in rows[0][1:]]
    except LanguageError as exc:
        raise InputError(f"the glossary {path}: {exc.message}", "name each column by a language code (fa, sq...)") from None
    unused = [name for name in languages if name not in targets]
    if unused and strict:
        raise InputError(f"the glossary {path} has a column for {', '.join(unused)}, which this job does not translate into "
                         f"({', '.join(targets)})", "remove the column from the glossary, or add the language to «targets»")
    terms: dict[str, dict[str, str | None]] = {t: {} for t in languages}
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(rows[0]):  # fewer: the cells left out are empty
            raise InputError(f"{path}:{line}: {len(row)} cells where the header has {len(rows[0])}", f"give {fix}")
        source = row[0].strip()
        if not source:
            raise InputError(f"{path}:{line}: no source term", "fill the 'source' cell or remove the row")
        for language, cell in zip(languages, row[1:]):
            _add(terms[language], source, cell.strip(), f"{path}:{line}", language)
    return Glossary({t: m for t, m in terms.items() if m and t in targets}, str(path))


def glossary_from_mapping(mapping: object, target: str) -> Glossary:
    """A request's glossary, ``{"source term": "target term" (or "=")}``, for one target language."""
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise InputError("'glossary' must be an object of source terms and their translations",
                         'send {"source term": "target term"}, with "=" to keep a term as it is')
    terms: dict[str, str | None] = {}
    for source, cell in mapping.items():
        if source.strip():
            _add(terms, source.strip(), cell.strip(), "'glossary'", target)
    return Glossary({target: terms} if terms else {})


def _add(terms: dict[str, str | None], source: str, cell: str, where: str, language: str) -> None:
    if not cell:
        return
    target = None if cell == KEEP else cell
    key = source.lower()
    if key in terms and terms[key] != target:
        raise InputError(f"{where}: the glossary gives '{source}' two translations into {language} "
                         f"('{terms[key] or KEEP}' and '{cell}')", "keep one row for the term")
    terms[key] = target


def merged(first: Glossary | None, second: Glossary | None) -> Glossary | None:
    """A server-wide glossary with a request's on top (the request's translation wins for a term)."""
    if not first or not second:
        return first or second
    languages = set(first.terms) | set(second.terms)
    return Glossary({t: {**first.terms.get(t, {}), **second.terms.get(t, {})} for t in languages}, first.origin + "+request")
