"""What SubRip and WebVTT share: a file as verbatim text and cues, cues grouped into sentences, and
each group's translation put back across the same cues.

A sentence that runs over several cues is translated as one text (the cues' lines joined by
spaces) and its translation is cut back into the cues, and each cue into its lines, at the word
boundaries nearest the source's proportions (never inside a tag). With ``line_length`` a cue's text
is wrapped to lines of at most that many characters instead of keeping its number of lines.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Sequence

import regex

from toolkit.formats import FormatOptions, Part
from toolkit.languages import get_language

# Inline tags: HTML-like (<i>, <b>, <font ...>, WebVTT's <c.x>, <v Name>, <00:01.000>) and ASS
# overrides ({\an8}). A cut never falls inside one; they take no room on a line.
TAG = regex.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
# A cue whose text ends so ends its sentence (closing quotes and brackets after the mark too).
_SENTENCE_END = regex.compile(r"[.!?…♪؟۔。！？।][\"'”’»)\]]*$")
_DIALOGUE = regex.compile(r"^[-–—]")  # a cue that starts a speaker's line starts a sentence
MAX_GROUP = 6  # cues in one sentence at most: a file without punctuation is not one text
_LINE = regex.compile(r"([^\r\n]*)(\r\n|\n|\r|$)")
_RLM = "\u200f"
_NO_SPACES = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")


@dataclass
class Cue:
    """A cue's text: its ``lines`` (as in the file, none blank) and the line ending after each but the last."""

    label: str
    lines: list[str]
    endings: list[str]

    def words(self) -> list[str]:
        """The cue's lines without the spaces around them."""
        return [line.strip() for line in self.lines]

    def text(self) -> str:
        return " ".join(self.words())

    @classmethod
    def chunks(cls, label: str, block: Sequence[tuple[str, str]]) -> list:
        """A cue's text lines as (line, ending) pairs read: the cue, then the ending after its last line."""
        return [cls(label, [line for line, _ in block], [ending for _, ending in block[:-1]]), block[-1][1]]


def lines_of(text: str) -> list[tuple[str, str]]:
    """``text`` as (line, ending) pairs; the last ending may be empty."""
    pairs = [(m.group(1), m.group(2)) for m in _LINE.finditer(text)]
    while pairs and pairs[-1] == ("", ""):  # regex's empty match at the very end
        pairs.pop()
    return pairs


class Subtitles:
    """A subtitle file read: ``chunks`` (verbatim text and cues, in order) and its cues grouped into
    sentences, one part each."""

    def __init__(self, chunks: list[str | Cue], newline: str, options: FormatOptions):
        self.chunks, self.newline, self.options = chunks, newline, options
        self.groups = _groups([c for c in chunks if isinstance(c, Cue)])
        self.parts = tuple(Part(" ".join(cue.text() for cue in group), _label(group)) for group in self.groups)

    def write(self, translations: Sequence[str], target: str) -> str:
        rtl = get_language(target).rtl
        lines: dict[int, list[str]] = {}
        for group, translation in zip(self.groups, translations, strict=True):
            for cue, text in zip(group, split_at_words(translation, [cue.text() for cue in group])):
                if self.options.line_length:
                    new = wrap(text, self.options.line_length)
                else:
                    new = split_at_words(text, cue.words())
                lines[id(cue)] = [_RLM + line if rtl and _starts_left_to_right(line) else line for line in new if line]
        return "".join(c if isinstance(c, str) else self._cue(c, lines[id(c)]) for c in self.chunks)

    def _cue(self, cue: Cue, translated: list[str]) -> str:
        """A cue's translated lines, each with the spaces the source line it takes the place of had
        around its text, and the source's line endings."""
        out = []
        for n, line in enumerate(translated):
            source = cue.lines[min(n, len(cue.lines) - 1)]
            out.append(source[:len(source) - len(source.lstrip())] + line + source[len(source.rstrip()):])
        endings = [*cue.endings, *[self.newline] * (len(out) - 1 - len(cue.endings))][:max(len(out) - 1, 0)]
        return "".join(line + end for line, end in zip(out, [*endings, ""]))


class SubtitleFormat:
    """A subtitle format: ``chunks`` reads a file's lines into verbatim text and cues."""

    title = ""
    markup = True
    output_suffix = None

    def chunks(self, lines: list[tuple[str, str]], where: str) -> list[str | Cue]:
        raise NotImplementedError

    def read(self, text: str, where: str, options: FormatOptions) -> Subtitles:
        return Subtitles(self.chunks(lines_of(text), where), "\r\n" if "\r\n" in text else "\n", options)


def _label(group: Sequence[Cue]) -> str:
    return f"cue {group[0].label}" if len(group) == 1 else f"cues {group[0].label}-{group[-1].label}"


def _groups(cues: Sequence[Cue]) -> list[list[Cue]]:
    """Cues with text, grouped into sentences: a group ends at a cue that ends a sentence, before
    one that starts a speaker's line, or at ``MAX_GROUP`` cues."""
    groups: list[list[Cue]] = []
    current: list[Cue] = []
    for cue in cues:
        text = cue.text()
        if current and (_DIALOGUE.match(TAG.sub("", text)) or len(current) == MAX_GROUP):
            groups.append(current)
            current = []
        current.append(cue)
        if _SENTENCE_END.search(TAG.sub("", text).rstrip()):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _cuts(text: str) -> list[int]:
    """Where ``text`` may be cut: its whitespace outside tags; in a script written without spaces
    (Chinese, Japanese, Thai) with none, between any two characters outside tags."""
    inside = set()
    for m in TAG.finditer(text):
        inside.update(range(m.start() + 1, m.end()))
    spaces = [i for i, c in enumerate(text) if c.isspace() and i not in inside]
    if spaces or not _NO_SPACES.search(text):
        return spaces
    return [i for i in range(1, len(text)) if i not in inside]


def split_at_words(text: str, sources: Sequence[str]) -> list[str]:
    """``text`` in ``len(sources)`` pieces, cut at the word boundaries nearest the places where
    ``" ".join(sources)`` joins them, in proportion (so that ``text`` equal to that join comes back
    as ``sources``); pieces can be empty where ``text`` has too few boundaries."""
    if len(sources) <= 1:
        return [text.strip()] * len(sources)
    total = len(" ".join(sources))
    candidates = _cuts(text)
    pieces, start, joined = [], 0, -1
    for source in sources[:-1]:
        joined += len(source) + 1
        target = round(joined / total * len(text))
        left = [i for i in candidates if i >= start]
        cut = min(left, key=lambda i: abs(i - target)) if left else len(text)
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters (tags take no room), cut at spaces; a word
    longer than ``width`` has a line of its own."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(TAG.sub("", lines[-1] + " " + word)) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _starts_left_to_right(line: str) -> bool:
    """Whether the first strong character of ``line`` (tags aside) is a left-to-right one: a
    player would then show a right-to-left line from the left."""
    for c in TAG.sub("", line):
        kind = unicodedata.bidirectional(c)
        if kind in ("R", "AL"):
            return False
        if kind == "L":
            return True
    return False
