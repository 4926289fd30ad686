"""Reading hypotheses, references and sources: line-aligned text or JSONL, checked before scoring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import regex

from toolkit.errors import InputError, LanguageError
from toolkit.io.inputs import decode
from toolkit.languages import get_language

LANGID_SAMPLE_LINES = 50


def _field(obj: dict, path: str, where: str):
    value = obj
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise InputError(f"{where}: no field '{path}'", "name the field holding the text in «field» (a.b for nested)")
        value = value[part]
    if not isinstance(value, str):
        raise InputError(f"{where}: field '{path}' is not a string", "point «field» at the text")
    return value


def json_object(text: str, where: str, hint: str) -> dict:
    """One JSON object, or an InputError naming where it is and what is wrong."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON ({exc.msg})", hint) from None
    if not isinstance(obj, dict):
        raise InputError(f"{where}: not a JSON object", hint)
    return obj


def read_utf8(path: str | Path, missing_hint: str = "check the path") -> str:
    """The text of a UTF-8 file (a byte-order mark dropped), decoded by the toolkit's one decoder;
    an InputError naming the file, and the line of any byte that is not UTF-8."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", missing_hint) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})", "check the path and its permissions") from None
    try:
        return decode(data, str(path), "strict")
    except InputError as exc:  # its hint offers a translate option that scoring does not have
        raise InputError(exc.message, "convert the file to UTF-8") from None


def read_texts(path: str | Path, field: str | None = None) -> tuple[list[str], list[str]]:
    """(document ids, texts): one per line, or per JSON object in a ``.jsonl`` file (``field``, default ``text``)."""
    path = Path(path)
    lines = read_utf8(path).splitlines()
    if field is None and path.suffix != ".jsonl":
        return [str(i) for i in range(1, len(lines) + 1)], lines
    ids, texts = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        obj = json_object(line, where, "one JSON object per line")
        ids.append(str(obj.get("id", number)))
        texts.append(_field(obj, field or "text", where))
    return ids, texts


def check_aligned(hyp_path: str, hyps: Sequence[str], others: Sequence[tuple[str, Sequence[str]]],
                  allow_empty: bool = False) -> None:
    """Same number of documents everywhere, no empty hypothesis or reference (unless ``allow_empty``)."""
    for path, texts in others:
        if len(texts) != len(hyps):
            raise InputError(
                f"{path} has {len(texts)} documents but {hyp_path} has {len(hyps)}",
                "the files must be line-aligned, one document per line",
            )
    if allow_empty:
        return
    for path, texts in ((hyp_path, hyps), *others):
        empty = [i for i, text in enumerate(texts, 1) if not text.strip()]
        if empty:
            shown = ", ".join(map(str, empty[:5])) + (" ..." if len(empty) > 5 else "")
            raise InputError(f"{path}: empty text on line {shown}", "every document needs a non-empty text")


def check_language(path: str, texts: Sequence[str], lang: str) -> str | None:
    """Refuse a file written in another script than ``lang``'s; a warning (returned) when the identifier
    takes a file in the right script for another language, which on a few short lines it often does
    wrongly (a correct Albanian line read as French)."""
    from toolkit.text.langid import detect, supported

    if not supported(lang):
        return None
    sample = "\n".join(texts[:LANGID_SAMPLE_LINES])
    detection = detect(sample, lang)
    if not detection.lang or detection.lang == lang or (detection.expected_confidence or 0) >= 0.1:
        return None
    found = f"{path} looks like {_language_name(detection.lang)} ({detection.lang}), not {get_language(lang).name} ({lang})"
    if _script(sample) != get_language(lang).flores.split("_")[1]:
        raise LanguageError(found, "pass the right «lang» or the right file")
    return f"{found}, by the language identifier, which is unsure on short texts: check «lang»"


_SCRIPTS = {"Latn": regex.compile(r"\p{Latin}"), "Arab": regex.compile(r"\p{Arabic}"), "Cyrl": regex.compile(r"\p{Cyrillic}"),
            "Grek": regex.compile(r"\p{Greek}"), "Hebr": regex.compile(r"\p{Hebrew}"), "Deva": regex.compile(r"\p{Devanagari}"),
            "Hang": regex.compile(r"\p{Hangul}"), "Hans": regex.compile(r"\p{Han}"), "Jpan": regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")}


def _script(text: str) -> str:
    """The script (FLORES-200 suffix) most of the text's letters are in."""
    return max(_SCRIPTS, key=lambda name: len(_SCRIPTS[name].findall(text)))


def _language_name(code: str) -> str:
    try:
        return get_language(code).name
    except LanguageError:
        return code
