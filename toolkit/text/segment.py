"""Split documents into translatable units and put them back together exactly.

Layout is kept verbatim: blank lines, line breaks, indentation and Markdown markers
(``#``, ``-``, ``1.``, ``>``) stay where they are; only the text of each line is translated.
Sentences are found with ``sentencex`` (Wikimedia's rule-based segmenter, ~300 languages
with fallbacks, so Persian ``؟`` and Albanian abbreviations are handled, not just English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from toolkit.text.codes import marker_spans

# Leading layout of a line that is not text to translate: indentation and Markdown markers.
_LINE_PREFIX = re.compile(r"^\s*(?:(?:#{1,6}|>+|[-*+•]|\d{1,3}[.)])\s+)*")
# Clause boundaries, Latin and Arabic-script punctuation, where a long sentence may be cut.
# Markdown: a code fence (its marker, for the closing one), a list item, a table's pipes and its rule row.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
_TABLE_PIPE = re.compile(r"((?<!\\)\|)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CLAUSE_END = re.compile(r"(?<=[,;:،؛)\]»”])\s+|\s+(?=[-–—(«“]\s*)")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Layout:
    """A document as alternating verbatim layout and translatable lines."""

    pieces: tuple[str, ...]  # verbatim layout before each text line, then the tail
    lines: tuple[str, ...]  # the text of each non-blank line

    def line_numbers(self) -> list[int]:
        """The line of the document (from 1) each text line is on."""
        numbers, newlines = [], 0
        for prefix in self.pieces[:-1]:
            newlines += prefix.count("\n")
            numbers.append(newlines + 1)
        return numbers

    def render(self, translated: list[str]) -> str:
        if len(translated) != len(self.lines):
            raise ValueError(f"expected {len(self.lines)} lines, got {len(translated)}")
        out = []
        for prefix, text in zip(self.pieces, translated):
            out.append(prefix)
            out.append(text)
        out.append(self.pieces[-1])
        return "".join(out)


def split_layout(text: str, markdown: bool = False) -> Layout:
    """Separate a document's layout (kept verbatim) from the text of its lines. In ``markdown``, code
    blocks (fenced and indented) are layout too, and a table row's cells are its text lines."""
    pieces: list[str] = []
    lines: list[str] = []
    pending = ""
    all_lines = text.splitlines(keepends=True)
    code = markdown_code_lines(all_lines) if markdown else [False] * len(all_lines)
    for line, is_code in zip(all_lines, code):
        if is_code:
            pending += line
            continue
        body = line.rstrip("\r\n")
        table = markdown and body.lstrip().startswith("|")
        if table and _TABLE_RULE.match(body):
            pending += line
            continue
        parts = _TABLE_PIPE.split(body) if table else [body]
        for i, part in enumerate(parts):
            prefix = (part[:len(part) - len(part.lstrip())] if table else _LINE_PREFIX.match(part).group(0))
            content = part[len(prefix):]
            stripped = content.rstrip()
            if i % 2 or not stripped:  # a table's pipe, or a blank line or cell
                pending += part
                continue
            pieces.append(pending + prefix)
            lines.append(stripped)
            pending = content[len(stripped):]
        pending += line[len(body):]
    pieces.append(pending)
    return Layout(tuple(pieces), tuple(lines))


def markdown_code_lines(lines: list[str]) -> list[bool]:
    """Whether each line of a Markdown document is code: in a code block, fenced (the fences too) or indented."""
    code: list[bool] = []
    fence = ""  # the open code fence, if any
    previous = ""  # the last line's body: an indented code block follows a blank line, not a paragraph or list
    for line in lines:
        body = line.rstrip("\r\n")
        if fence or _is_code(body, previous):
            fence = "" if fence and _FENCE.match(body) and body.strip().startswith(fence) else fence
            previous = body if body.strip() else previous
            code.append(True)
        elif opening := _FENCE.match(body):
            fence = opening.group(1)
            code.append(True)
        else:
            previous = body if body.strip() else ("" if not _LIST_ITEM.match(previous) else previous)
            code.append(False)
    return code


def _is_code(body: str, previous: str) -> bool:
    """An indented code block's line: four spaces (or a tab) in, after a blank line or another code line
    (not a paragraph's or a list item's continuation)."""
    return bool(body.strip()) and body.startswith(("    ", "\t")) and (not previous or previous.startswith(("    ", "\t")))


def split_paragraphs(text: str) -> list[str]:
    """Blank-line-separated paragraphs, stripped, empty ones dropped."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one line or paragraph, whitespace-trimmed, in order."""
    return [s for s, _ in split_sentences_with_gaps(text, lang)]


def split_sentences_with_gaps(text: str, lang: str) -> list[tuple[str, str]]:
    """Sentences of one line, each with the text that follows it up to the next one, verbatim
    (two spaces, a tab, a no-break space, or nothing in ``"Tirana.Albania"``), so that joining
    every sentence and its gap gives ``text`` back, less any whitespace before the first."""
    import sentencex

    whole = [(text.strip(), text[len(text.rstrip()):])] if text.strip() else []
    pieces: list[tuple[str, str]] = []
    end = len(text) - len(text.lstrip())
    for segment in sentencex.segment(lang, text):
        sentence = segment.strip()
        if not sentence:
            continue
        start = text.find(sentence, end)
        if start < 0 or text[end:start].strip():  # sentencex changed or left out text: keep the line whole
            return whole
        if pieces:
            pieces[-1] = (pieces[-1][0], text[end:start])
        pieces.append((sentence, ""))
        end = start + len(sentence)
    if not pieces or text[end:].strip():
        return whole
    pieces[-1] = (pieces[-1][0], text[end:])
    return pieces


def fit_to_limit(sentence: str, length: Callable[[str], int], limit: int) -> list[str]:
    """Cut a sentence longer than ``limit`` (by ``length``) into pieces that fit.

    Cuts at clause boundaries first, then between words, then inside a word. Every character
    of the input except the whitespace at a cut is kept, in order.
    """
    return [piece for piece, _ in cut_to_limit(sentence, length, limit)]


def cut_to_limit(sentence: str, length: Callable[[str], int], limit: int) -> list[tuple[str, str]]:
    """``fit_to_limit``, each piece with the whitespace cut out after it (``""`` after the last, and
    inside a word), so that joining every piece and its gap gives the sentence back exactly."""
    if length(sentence) <= limit:
        return [(sentence, "")]
    for splitter in (_CLAUSE_END, _SPACE):
        cuts = [m.span() for m in splitter.finditer(sentence) if 0 < m.start() and m.end() < len(sentence)]
        if cuts:
            bounds = [0, *(i for span in cuts for i in span), len(sentence)]
            parts = [(sentence[bounds[i]:bounds[i + 1]], sentence[bounds[i + 1]:bounds[i + 2]] if i + 2 < len(bounds) else "")
                     for i in range(0, len(bounds) - 1, 2)]
            return _pack(parts, length, limit)
    # One unbroken run of characters: halve it, never inside a protected span's marker.
    middle = len(sentence) // 2
    for start, end in marker_spans(sentence):
        if start < middle < end:
            middle = end if end < len(sentence) else start or middle  # (a marker alone over the limit is cut)
    return cut_to_limit(sentence[:middle], length, limit) + cut_to_limit(sentence[middle:], length, limit)


def _pack(parts: list[tuple[str, str]], length: Callable[[str], int], limit: int) -> list[tuple[str, str]]:
    """Greedily join consecutive parts (with the whitespace between them) while they fit."""
    pieces: list[tuple[str, str]] = []
    current: tuple[str, str] | None = None
    for part, gap in parts:
        if current is not None and length(candidate := current[0] + current[1] + part) <= limit:
            current = (candidate, gap)
            continue
        if current is not None:
            pieces.append(current)
        if length(part) <= limit:
            current = (part, gap)
        else:
            cut = cut_to_limit(part, length, limit)
            pieces.extend([*cut[:-1], (cut[-1][0], gap)])
            current = None
    if current is not None:
        pieces.append(current)
    return pieces
