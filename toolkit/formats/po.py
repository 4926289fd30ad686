"""Gettext PO and POT files, through polib: each entry's msgid (and msgid_plural) is translated into
its msgstr (every plural form the target language has), the entry is marked ``fuzzy`` (needing
review), and the header's Language (and Plural-Forms) are set to the target. Entries that already
have a translation are left as they are, unless ``overwrite``. polib writes the file again: entries,
comments and order are kept; long lines are wrapped at 78 columns, as gettext's tools do."""

from __future__ import annotations

import re
from typing import Sequence

from toolkit.formats import FormatOptions, Part, documents_library, not_this_format

# Plural-Forms by language, as gettext's documentation and the CLDR give them; another language gets
# DEFAULT_PLURALS unless the file already says how its own language (the target) counts.
PLURAL_FORMS = {
    "fa": "nplurals=2; plural=(n > 1);",
    "sq": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);", "de": "nplurals=2; plural=(n != 1);", "it": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);", "nl": "nplurals=2; plural=(n != 1);", "el": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);", "pt": "nplurals=2; plural=(n != 1);", "tr": "nplurals=2; plural=(n != 1);",
    "zh": "nplurals=1; plural=0;", "ja": "nplurals=1; plural=0;", "ko": "nplurals=1; plural=0;",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}
DEFAULT_PLURALS = "nplurals=2; plural=(n != 1);"
# A line of an entry's strings: a keyword and a quoted string, or a quoted string continuing the last.
_STRING_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"')


def _unclosed_string(text: str) -> int | None:
    """The number of the first line of strings whose string is not closed (polib reads it a letter
    short, and an msgid changed is a catalogue broken)."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(("msg", '"')) and not _STRING_LINE.fullmatch(stripped):
            return number
    return None


def _translated(entry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def plural_forms(target: str, header: dict) -> str:
    """The Plural-Forms of the target language: from the table, else the file's own when it is
    already in the target language, else ``DEFAULT_PLURALS``."""
    if target in PLURAL_FORMS:
        return PLURAL_FORMS[target]
    if header.get("Language", "").replace("-", "_").split("_")[0] == target and "nplurals=" in header.get("Plural-Forms", ""):
        return header["Plural-Forms"]
    return DEFAULT_PLURALS


def _nplurals(forms: str) -> int:
    return int(forms.split("nplurals=", 1)[1].split(";", 1)[0].strip())


class PoDocument:

    def __init__(self, catalog, options: FormatOptions):
        self.catalog = catalog
        self.entries = [e for e in catalog if not e.obsolete and e.msgid and (options.overwrite or not _translated(e))]
        self.parts = tuple(Part(text, f"entry {n} ({field})") for n, e in enumerate(self.entries, 1)
                           for field, text in (("msgid", e.msgid), ("msgid_plural", e.msgid_plural)) if text)

    def write(self, translations: Sequence[str], target: str) -> str:
        forms = plural_forms(target, self.catalog.metadata)
        nplurals = _nplurals(forms)
        translated = iter(translations)
        for entry in self.entries:
            singular = next(translated)
            if entry.msgid_plural:
                plural = next(translated)
                entry.msgstr_plural = {n: singular if n == 0 and nplurals > 1 else plural for n in range(nplurals)}
            else:
                entry.msgstr = singular
            if "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")  # first, as gettext's tools write it
        self.catalog.metadata["Language"] = target
        if any(e.msgid_plural for e in self.catalog) or "Plural-Forms" in self.catalog.metadata:
            self.catalog.metadata["Plural-Forms"] = forms
        self.catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        return str(self.catalog)


class Po:
    title = "gettext PO"
    markup = True  # msgids of web applications carry HTML: its tags and entities are codes
    output_suffix = ".po"

    def read(self, text: str, where: str, options: FormatOptions) -> PoDocument:
        polib = documents_library("polib", where, "PO")

        try:  # polib reads a string as the file's content unless it names a file: one with a line break cannot
            catalog = polib.pofile(text if "\n" in text else text + "\n", encoding="utf-8")
        except (OSError, ValueError) as exc:
            raise not_this_format(where, self, str(exc).splitlines()[0]) from None
        if not len(catalog) and not catalog.metadata:
            raise not_this_format(where, self, "no entries in it")
        if (line := _unclosed_string(text)) is not None:
            raise not_this_format(where, self, f"line {line}: a string with no closing quote")
        return PoDocument(catalog, options)


FORMAT = Po()
