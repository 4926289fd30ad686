"""SubRip (``.srt``), read directly: a cue is an optional number, a ``start --> end`` line (with any
position after it) and its text lines up to a blank line. Everything but the text is written back
byte for byte; a block of text with no timing line after a cue is translated as text of its own."""

from __future__ import annotations

import regex

from toolkit.formats import not_this_format
from toolkit.formats.subtitles import Cue, SubtitleFormat

_TIME = r"\d{1,3}:\d{1,2}:\d{1,2}[,.]\d{1,3}"
TIMING = regex.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")


class SubRip(SubtitleFormat):
    title = "SubRip (.srt)"

    def chunks(self, lines: list[tuple[str, str]], where: str) -> list[str | Cue]:
        chunks: list[str | Cue] = []
        cues = 0
        i = 0
        while i < len(lines):
            line, end = lines[i]
            if not line.strip():
                chunks.append(line + end)
                i += 1
                continue
            timed = 0 if TIMING.match(line) else 1 if i + 1 < len(lines) and TIMING.match(lines[i + 1][0]) else None
            if timed is None:
                if cues == 0:
                    raise not_this_format(where, self, f"line {i + 1} is neither a cue number nor a 'start --> end' timing")
                label = f"{cues} (text after it)"
            else:
                cues += 1
                label = line.strip() if timed else str(cues)
                chunks.extend(a + b for a, b in lines[i:i + timed + 1])
                i += timed + 1
            block = []
            while i < len(lines) and lines[i][0].strip():
                block.append(lines[i])
                i += 1
            if block:
                chunks.extend(Cue.chunks(label, block))
        if cues == 0:
            raise not_this_format(where, self, "no cues in it")
        return chunks


FORMAT = SubRip()
