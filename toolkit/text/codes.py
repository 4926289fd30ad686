"""The segment model: text plus inline codes, as XLIFF's ``<x/>`` (standalone) and ``<g>`` (paired).

What must not be translated (URLs, e-mail addresses, @handles, placeholders, inline code, HTML tags
and entities, Markdown link targets, glossary terms) becomes a code before the model sees the text:
the model sees a marker (``MARKER``) in its place, and ``restore`` puts every code back exactly once,
byte for byte, whatever the model did with the markers (dropped, doubled, reordered, spaced out),
flagging the segment where it had to repair them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

import regex

from toolkit.text.flags import Flag

# The one place the marker form lives (see docs/translate.md for why this form): what the model sees
# for code n, and how a marker is recognised in its output (spaces inserted, any script's digits).
MARKER = "[{n}]"
MARKER_FORM = "brackets-1"  # names MARKER in the translation memory's scope: change it with MARKER
_MARKER_IN_OUTPUT = regex.compile(r"\[\s*(\d{1,3})\s*\]")  # text that looks like one in the source is masked too

_WORD_EDGE_BEFORE = r"(?<![\p{L}\p{N}\p{M}_])"
_WORD_EDGE_AFTER = r"(?![\p{L}\p{N}\p{M}_])"
# A printf conversion (C, Python's %-format, gettext's c-format): position, flags (not a space: "50% of"
# is prose), width, precision, length; then no letter or digit.
_PRINTF = r"%(?:[1-9]\d*\$)?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|[hlLqjzt])?[diouxXeEfFgGaAcsp]" + _WORD_EDGE_AFTER
# A URL keeps a balanced "(...)" of its own (Wikipedia's Tirana_(city)); a ")" or "." after it is the sentence's.
_URL_PARENS = r"\([^\s<>\"'`()]*\)"
# Protected spans, tried in this order where two start at the same place.
_SPANS = {
    "marker": _MARKER_IN_OUTPUT.pattern,
    "code": r"`[^`\n]+`",
    "url": r"(?:https?://|ftp://|www\.)(?:" + _URL_PARENS + r"|[^\s<>\"'`()])*(?:" + _URL_PARENS + r"|[^\s<>\"'`.,;:!?()\]}»”])",
    "email": r"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}",
    "handle": _WORD_EDGE_BEFORE + r"@[\p{L}\p{N}_]{1,30}" + _WORD_EDGE_AFTER,
    "placeholder": r"\{\{[^{}\n]*\}\}|\{[\p{L}\p{N}_.:!\[\]-]*\}|%\([\p{L}\p{N}_]+\)[sdifr]|" + _PRINTF
                   + r"|\$\{[\p{L}\p{N}_]+\}|\$[\p{Lu}_][\p{Lu}\p{N}_]*" + _WORD_EDGE_AFTER,
}
# Tags: HTML's, WebVTT's timestamps (<00:01.000>) and subtitles' ASS overrides ({\an8}).
TAG_PATTERN = r"</?[A-Za-z][^<>]*>|<!--.*?-->|<(?:\d+:)?\d{2}:\d{2}\.\d{3}>|\{\\[^{}\n]*\}"
_HTML_SPANS = {"tag": TAG_PATTERN, "entity": r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});"}
# Markdown links and images: "[" (or "![") opens a paired code, "](target)" closes it; the text is translated.
# An HTML tag's name (group 2) and whether it closes an element (group 1): an opening tag and the
# closing tag of the same element make a paired code; void elements (<br>, <img>) are standalone.
_ELEMENT = regex.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Markdown emphasis on one line: ``**`` and ``*`` anywhere, ``__`` and ``_`` not inside a word (as CommonMark
# reads them); the text inside starts and ends with a non-space.
_EMPHASIS = regex.compile(r"(?<!\\)(\*\*|\*)(?=\S)(.+?)(?<=\S)\1|(?<![\\\p{L}\p{N}])(__|_)(?=\S)(.+?)(?<=\S)\3(?![\p{L}\p{N}])")
_LINK_TARGET = r"\]\([^()\s]+(?:\s+\"[^\"\n]*\")?\)"
_MD_SPANS = {"link_open": r"!?\[(?=[^\[\]\n]+" + _LINK_TARGET + ")", "link_close": _LINK_TARGET}


# Where any span could be (every span and tag starts with one of these, a URL with "://" or "www."):
# the spans' alternation tries every span at every place (38 µs on a news sentence); this finds none in 1.
_MAYBE_KEPT = regex.compile(r"[\[`@{%$<&]|://|www\.")


def without_codes(text: str) -> str:
    """``text`` with what a translation keeps byte for byte (URLs, e-mail addresses, @handles,
    placeholders, inline code, tags, entities, subtitle overrides, marker-like ``[3]``) replaced by
    spaces: the words a check of the translation should read."""
    return Protection(html=True).pattern().sub(" ", text) if _MAYBE_KEPT.search(text) else text


def marker_spans(text: str) -> list[tuple[int, int]]:
    """Where the markers of ``text`` are (a cut inside one would lose its code)."""
    return [m.span() for m in _MARKER_IN_OUTPUT.finditer(text)]


@dataclass(frozen=True)
class Code:
    """One inline code. ``kind``: what it protects ("url", "email", "handle", "placeholder", "code",
    "tag", "entity", "marker", "link", "emphasis", "term"); ``text``: what it restores to, byte for byte (a
    glossary term's target); ``pair``: "open" or "close" for the halves of a paired code (``partner``
    the other half's number), None for a standalone one; ``source``: the source text it replaced."""

    kind: str
    text: str
    source: str
    pair: str | None = None
    partner: int | None = None


@dataclass(frozen=True)
class Segment:
    """Text as the model sees it: code n (counting from 1) is the marker ``MARKER.format(n=n)``."""

    text: str
    codes: tuple[Code, ...] = ()

    def plain(self) -> str:
        """The source text back: every marker replaced by what the code replaced."""
        return _MARKER_IN_OUTPUT.sub(lambda m: self.codes[int(m.group(1)) - 1].source, self.text)

    def part(self, text: str) -> Segment:
        """A piece of this segment's text (a sentence of it), its codes numbered from 1 again in the
        order they appear, so that the same sentence masks the same whatever the line's other spans."""
        numbers = [int(m.group(1)) for m in _MARKER_IN_OUTPUT.finditer(text)]
        renumber = {old: new for new, old in enumerate(numbers, 1)}
        codes = tuple(replace(self.codes[old - 1], partner=renumber.get(self.codes[old - 1].partner))
                      for old in numbers)
        return Segment(_MARKER_IN_OUTPUT.sub(lambda m: MARKER.format(n=renumber[int(m.group(1))]), text), codes)


@dataclass(frozen=True)
class Protection:
    """What ``protect`` turns into codes: the spans (``spans``: off for ``--no-protect``), HTML tags
    and entities (``html``), Markdown link targets and emphasis delimiters (``markdown``), and glossary ``terms`` (source term,
    lower case -> target term; ``None`` as a target keeps the source term as it is)."""

    spans: bool = True
    html: bool = False
    markdown: bool = False
    terms: Mapping[str, str | None] | None = None

    def pattern(self) -> regex.Pattern | None:
        return _pattern(self.spans, self.html, self.markdown,
                        tuple(sorted((self.terms or {}).keys(), key=lambda t: (-len(t), t))))


_PATTERNS: dict[tuple, regex.Pattern | None] = {}


def _pattern(spans: bool, html: bool, markdown: bool, terms: tuple[str, ...]) -> regex.Pattern | None:
    key = (spans, html, markdown, terms)
    if key not in _PATTERNS:
        masked = spans or markdown or bool(terms)  # wherever there are markers, text that looks like one is masked too
        kinds = {**(_MD_SPANS if markdown else {}), **({"marker": _SPANS["marker"]} if masked else {}),
                 **(_HTML_SPANS if spans and html else {}), **(_SPANS if spans else {})}
        parts = [f"(?P<{kind}>{body})" for kind, body in kinds.items()]
        if terms:  # longest first, whole words, any case
            parts.append(f"(?P<term>{_WORD_EDGE_BEFORE}(?i:{'|'.join(regex.escape(t) for t in terms)}){_WORD_EDGE_AFTER})")
        _PATTERNS[key] = regex.compile("|".join(parts), regex.DOTALL) if parts else None
    return _PATTERNS[key]


def protect(text: str, protection: Protection = Protection()) -> Segment:
    """``text`` with every protected span replaced by a marker, and the codes to restore them."""
    codes: list[Code] = []
    out: list[str] = []
    opened: list[int] = []  # the link openings not closed yet
    tags: list[tuple[str, int]] = []  # the HTML elements opened and not closed yet: (name, code number)
    closing: dict[tuple[int, int], int] = {}  # where an emphasis closes -> its opening delimiter's code number
    pattern = protection.pattern()
    found = [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)] if pattern else []
    emphasis = _emphasis(text, found) if protection.markdown else {}
    end = 0
    for start, stop, kind in sorted(found + [(*span, "emphasis") for pair in emphasis.items() for span in pair]):
        out.append(text[end:start])
        end = stop
        span = text[start:stop]
        if kind == "emphasis" and (start, stop) in closing:  # its opening delimiter is a code already
            opening = closing.pop((start, stop))
            codes[opening - 1] = replace(codes[opening - 1], pair="open", partner=len(codes) + 1)
            code = Code("emphasis", span, span, "close", opening)
        elif kind == "emphasis":
            closing[emphasis[start, stop]] = len(codes) + 1
            code = Code("emphasis", span, span)
        elif kind == "term":
            target = _term(protection.terms or {}, span)
            code = Code("term", span if target is None else target, span)
        elif kind == "link_open":
            opened.append(len(codes) + 1)
            code = Code("link", span, span, "open")
        elif kind == "link_close" and opened:
            start = opened.pop()
            codes[start - 1] = replace(codes[start - 1], partner=len(codes) + 1)
            code = Code("link", span, span, "close", start)
        elif kind == "tag" and (element := _ELEMENT.match(span)):
            code = Code("tag", span, span)
            name = element.group(2).lower()
            if not element.group(1) and not span.endswith("/>") and name not in _VOID:
                tags.append((name, len(codes) + 1))
            elif element.group(1) and any(n == name for n, _ in tags):  # the last one opened of that name
                at = max(k for k, (n, _) in enumerate(tags) if n == name)
                start = tags.pop(at)[1]
                codes[start - 1] = replace(codes[start - 1], pair="open", partner=len(codes) + 1)
                code = Code("tag", span, span, "close", start)
        else:
            code = Code("link" if kind == "link_close" else kind, span, span)
        codes.append(code)
        out.append(MARKER.format(n=len(codes)))
    out.append(text[end:])
    return Segment("".join(out), tuple(codes))


def _emphasis(text: str, found: Sequence[tuple[int, int, str]], offset: int = 0) -> dict[tuple[int, int], tuple[int, int]]:
    """Markdown emphasis in ``text`` (one line): each opening delimiter's place -> its closing one's, outside
    the spans ``found`` (a ``*`` in a URL is no emphasis), nested emphasis too."""
    pairs: dict[tuple[int, int], tuple[int, int]] = {}
    for m in _EMPHASIS.finditer(text):
        width = len(m.group(1) or m.group(3))
        opening, closing = (offset + m.start(), offset + m.start() + width), (offset + m.end() - width, offset + m.end())
        if not any(a < opening[1] and opening[0] < b or a < closing[1] and closing[0] < b for a, b, _ in found):
            pairs[opening] = closing
        pairs.update(_emphasis(text[m.start() + width:m.end() - width], found, offset + m.start() + width))
    return pairs


def _term(terms: Mapping[str, str | None], span: str) -> str | None:
    """The glossary's translation of a matched term (matched in any case, as the pattern does)."""
    if span.lower() in terms:
        return terms[span.lower()]
    return next(target for term, target in terms.items() if regex.fullmatch(f"(?i:{regex.escape(term)})", span))


def restore(output: str, segment: Segment) -> tuple[str, tuple[Flag, ...]]:
    """The model's ``output`` for ``segment`` with every code's text in place of its marker: each code
    exactly once (a doubled marker is kept at its first place, an unknown one dropped, a lost one put
    back next to its source neighbour or at its relative place), with a ``placeholders`` flag (a
    ``glossary`` one for terms) saying what had to be repaired."""
    if not segment.codes:  # nothing was masked: brackets in the output are the model's own text
        return output, ()
    placed: dict[int, int] = {}  # code number -> its position in the pieces below
    pieces: list[str | int] = []  # text, or a code number
    doubled: list[int] = []
    unknown = 0
    end = 0
    for m in _MARKER_IN_OUTPUT.finditer(output):
        pieces.append(output[end:m.start()])
        n = int(m.group(1))
        end = m.end()
        if n in placed or not 1 <= n <= len(segment.codes):
            if n in placed:
                doubled.append(n)
            else:
                unknown += 1
            if m.start() == 0 or output[m.start() - 1].isspace():  # one space left where the marker was
                end += len(output[end:]) - len(output[end:].lstrip())
            continue
        placed[n] = len(pieces)
        pieces.append(n)
    pieces.append(output[end:])
    lost = [n for n in range(1, len(segment.codes) + 1) if n not in placed]
    for n in lost:
        _reinsert(pieces, placed, n, segment)
    _order_pairs(pieces, placed, segment)
    text = "".join(segment.codes[p - 1].text if isinstance(p, int) else p for p in pieces)
    return text, _flags(segment, lost, doubled, unknown)


def _reinsert(pieces: list[str | int], placed: dict[int, int], n: int, segment: Segment) -> None:
    """Put code ``n`` back: after the code before it in the source, else before the one after it (with
    the source's spaces or punctuation between them), else at its relative place in the source, at a
    word boundary."""
    source = segment.text
    at, stop = _span(source, n)
    before, after = source[_span(source, n - 1)[1]:at] if n > 1 else "", source[stop:_span(source, n + 1)[0]]
    if n - 1 in placed and _separator(before):
        _insert(pieces, placed, placed[n - 1] + 1, [before, n])
    elif n + 1 in placed and _separator(after):
        _insert(pieces, placed, placed[n + 1], [n, after])
    else:
        _insert_at_fraction(pieces, placed, n, segment)


def _span(source: str, n: int) -> tuple[int, int]:
    """Where code ``n``'s marker is in the segment's text."""
    at = source.find(MARKER.format(n=n))
    return at, at + len(MARKER.format(n=n))


def _separator(gap: str) -> bool:
    """Whether the source text between two codes only separates them (spaces, punctuation, no markers)."""
    return len(gap) <= 3 and not regex.search(r"[\p{L}\p{N}\[\]]", gap)


def _insert(pieces: list[str | int], placed: dict[int, int], index: int, new: list[str | int]) -> None:
    """Insert ``new`` at ``index``, keeping ``placed`` (code -> index) right."""
    pieces[index:index] = new
    for k, i in placed.items():
        if i >= index:
            placed[k] = i + len(new)
    for offset, item in enumerate(new):
        if isinstance(item, int):
            placed[item] = index + offset


def _insert_at_fraction(pieces: list[str | int], placed: dict[int, int], n: int, segment: Segment) -> None:
    """Insert code ``n`` at the word boundary of the output nearest its relative place in the source,
    with the spaces it had around it there."""
    source = segment.text
    at, stop = _span(source, n)
    ends, total = [], 0  # (end of each text piece in the output's text, its index)
    for i, piece in enumerate(pieces):
        if isinstance(piece, str):
            total += len(piece)
            ends.append((total, i))
    target = total if stop == len(source.rstrip()) else round(at / max(len(source), 1) * total)  # a code ending the source ends the output
    end, i = next(((e, i) for e, i in ends if e >= target), ends[-1])
    piece = pieces[i]
    offset = target - (end - len(piece))
    later = segment.codes[n - 1].pair == "close"  # between two places as near, a closing half takes the later one
    cut = min([m.start() for m in regex.finditer(r"\s", piece)] + [0, len(piece)], key=lambda b: (abs(b - offset), -b if later else b))
    left, right = piece[:cut], piece[cut:]
    while not right and i + 2 < len(pieces) and isinstance(pieces[i + 1], int) and pieces[i + 1] < n:
        i += 2  # after the codes that come before it in the source
        left, right = "", pieces[i]
    if stop < len(source) and not source[stop].isspace() and right[:1].isspace():  # glued to the next word in the source
        left, right = left + right[:len(right) - len(right.lstrip())], right.lstrip()
    elif at > 0 and not source[at - 1].isspace() and left[-1:].isspace():  # glued to the word before
        left, right = left.rstrip(), left[len(left.rstrip()):] + right
    rendered = "".join(segment.codes[p - 1].text if isinstance(p, int) else p for p in pieces[:i]) + left
    space_before = at > 0 and source[at - 1].isspace() and rendered and not rendered[-1].isspace()
    space_after = stop < len(source) and source[stop].isspace() and right and not right[0].isspace()
    pieces[i] = left + (" " if space_before else "")
    _insert(pieces, placed, i + 1, [n, (" " if space_after else "") + right])


def _order_pairs(pieces: list[str | int], placed: dict[int, int], segment: Segment) -> None:
    """A paired code whose closing half came back before its opening half: the two swap places."""
    for n, code in enumerate(segment.codes, 1):
        if code.pair == "open" and code.partner in placed and placed[code.partner] < placed[n]:
            a, b = placed[n], placed[code.partner]
            pieces[a], pieces[b] = pieces[b], pieces[a]
            placed[n], placed[code.partner] = b, a


def _flags(segment: Segment, lost: Sequence[int], doubled: Sequence[int], unknown: int) -> tuple[Flag, ...]:
    def names(numbers: Sequence[int], terms: bool) -> list[str]:
        return [segment.codes[n - 1].source for n in dict.fromkeys(numbers) if (segment.codes[n - 1].kind == "term") == terms]

    flags = []
    for check, terms in (("placeholders", False), ("glossary", True)):
        parts = [f"{what}: {', '.join(found)}" for what, found in
                 (("lost", names(lost, terms)), ("doubled", names(doubled, terms))) if found]
        if not terms and unknown:
            parts.append(f"unknown: {unknown}")
        if parts:
            flags.append(Flag(check, "; ".join(parts)))
    return tuple(flags)
