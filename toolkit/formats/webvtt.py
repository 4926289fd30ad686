"""WebVTT (``.vtt``), read directly: the ``WEBVTT`` header block, ``NOTE``, ``STYLE`` and ``REGION``
blocks are written back byte for byte; a cue is an optional identifier, a timing line (``-->``,
with its settings) and text lines up to a blank line, of which only the text is translated."""

from __future__ import annotations

import regex

from toolkit.formats import not_this_format
from toolkit.formats.subtitles import Cue, SubtitleFormat

_HEADER = regex.compile(r"^WEBVTT(?:[ \t].*)?$")
_KEPT_BLOCK = regex.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t].*)?$")


class WebVTT(SubtitleFormat):
    title = "WebVTT (.vtt)"

    def chunks(self, lines: list[tuple[str, str]], where: str) -> list[str | Cue]:
        if not lines or not _HEADER.match(lines[0][0]):
            raise not_this_format(where, self, "it does not start with WEBVTT")
        chunks: list[str | Cue] = []
        cues = 0
        i = 0
        while i < len(lines):
            block = []
            while i < len(lines) and lines[i][0].strip():
                block.append(lines[i])
                i += 1
            timing = next((n for n, (line, _) in enumerate(block[:2]) if "-->" in line), None)
            if chunks and timing is not None and not _KEPT_BLOCK.match(block[0][0]):
                cues += 1
                label = block[0][0].strip() if timing else str(cues)
                chunks.extend(a + b for a, b in block[:timing + 1])
                payload = block[timing + 1:]
                if payload:
                    chunks.extend(Cue.chunks(label, payload))
            else:  # the header (the first block), a NOTE, STYLE or REGION block, or a block players skip
                chunks.extend(a + b for a, b in block)
            while i < len(lines) and not lines[i][0].strip():
                chunks.append(lines[i][0] + lines[i][1])
                i += 1
        return chunks


FORMAT = WebVTT()
