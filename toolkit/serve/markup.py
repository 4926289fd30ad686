"""HTML sent as text (``/translate`` with ``format=html``, as LibreTranslate): markup kept, each text node
translated on its own. An .html file (``/translate_file``) goes through ``toolkit.formats.html`` instead."""

from __future__ import annotations

import re
from typing import Awaitable, Callable, Sequence

from toolkit.formats.html import unclosed_comment

_SKIP = {"script", "style", "noscript", "code", "pre", "textarea"}
_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.S)


def _nodes(root) -> list[tuple[object, str]]:
    """(element, "text" | "tail") of every text node worth translating, in document order."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions: only their tail is text
            pass
        elif el.tag not in _SKIP and el.text and any(c.isalpha() for c in el.text):
            found.append((el, "text"))
        if el is not root and el.tail and any(c.isalpha() for c in el.tail):
            found.append((el, "tail"))
    return found


async def translate_html(html: str, translate: Callable[[Sequence[str]], Awaitable[list[str]]]) -> str:
    """``html`` with its text nodes replaced by their translations (one ``translate`` call for all);
    a whole document keeps its doctype, a fragment stays a fragment, and a comment left open at the
    end comes back byte for byte (lxml would close it after markup of its own)."""
    import lxml.html

    cut = unclosed_comment(html)
    if cut != -1:
        return (await translate_html(html[:cut], translate) if html[:cut].strip() else html[:cut]) + html[cut:]

    whole = bool(re.search(r"<html[\s>]", html[:2000], re.I))
    root = lxml.html.document_fromstring(html) if whole else lxml.html.fragment_fromstring(html, create_parent="div")
    nodes = _nodes(root)
    parts = [_EDGES.match(getattr(el, attr)).groups() for el, attr in nodes]
    translated = await translate([p[1] for p in parts])
    for (el, attr), (lead, _, trail), text in zip(nodes, parts, translated):
        setattr(el, attr, lead + text + trail)
    if whole:
        tree = root.getroottree()
        return lxml.html.tostring(tree, encoding="unicode", doctype=tree.docinfo.doctype or None)
    inner = (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return inner
