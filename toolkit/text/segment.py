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

# Leading layout of a line that is not text to translate: indentation and Markdown markers.
_LINE_PREFIX = re.compile(r"^\s*(?:(?:#{1,6}|>+|[-*+•]|\d{1,3}[.)])\s+)*")
# Clause boundaries, Latin and Arabic-script punctuation, where a long sentence may be cut.
_CLAUSE_END = re.compile(r"(?<=[,;:،؛)\]»”])\s+|\s+(?=[-–—(«“]\s*)")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Layout:
    """A document as alternating verbatim layout and translatable lines."""

    pieces: tuple[str, ...]  # verbatim layout before each text line, then the tail
    lines: tuple[str, ...]  # the text of each non-blank line

    def render(self, translated: list[str]) -> str:
        if len(translated) != len(self.lines):
            raise ValueError(f"expected {len(self.lines)} lines, got {len(translated)}")
        out = []
        for prefix, text in zip(self.pieces, translated):
            out.append(prefix)
            out.append(text)
        out.append(self.pieces[-1])
        return "".join(out)


def split_layout(text: str) -> Layout:
    """Separate a document's layout (kept verbatim) from the text of its lines."""
    pieces: list[str] = []
    lines: list[str] = []
    pending = ""
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        prefix = _LINE_PREFIX.match(body).group(0)
        content = body[len(prefix):]
        stripped = content.rstrip()
        if not stripped:
            pending += line
            continue
        pieces.append(pending + prefix)
        lines.append(stripped)
        pending = content[len(stripped):] + ending
    pieces.append(pending)
    return Layout(tuple(pieces), tuple(lines))


def split_paragraphs(text: str) -> list[str]:
    """Blank-line-separated paragraphs, stripped, empty ones dropped."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one line or paragraph, whitespace-trimmed, in order."""
    import sentencex

    return [s.strip() for s in sentencex.segment(lang, text) if s.strip()]


def fit_to_limit(sentence: str, length: Callable[[str], int], limit: int) -> list[str]:
    """Cut a sentence longer than ``limit`` (by ``length``) into pieces that fit.

    Cuts at clause boundaries first, then between words, then inside a word. Every character
    of the input except the whitespace at a cut is kept, in order.
    """
    if length(sentence) <= limit:
        return [sentence]
    for splitter in (_CLAUSE_END, _SPACE):
        parts = [p for p in splitter.split(sentence) if p]
        if len(parts) > 1:
            return _pack(parts, length, limit)
    # One unbroken run of characters: halve it.
    middle = len(sentence) // 2
    return fit_to_limit(sentence[:middle], length, limit) + fit_to_limit(sentence[middle:], length, limit)


def _pack(parts: list[str], length: Callable[[str], int], limit: int) -> list[str]:
    """Greedily join consecutive parts (with a space) while they fit."""
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if length(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if length(part) <= limit:
            current = part
        else:
            pieces.extend(fit_to_limit(part, length, limit))
            current = ""
    if current:
        pieces.append(current)
    return pieces
