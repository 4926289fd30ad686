"""Proper names in a cased source, and whether a translation keeps them, across scripts.

A source name is a capitalised word that is not a sentence's (or a quote's) first word, unless it is
capitalised elsewhere too, and not one of the capitalised common words of news (titles,
institutions, days, months: ``Ministry``, ``Foreign``, ``Wednesday``). Short acronyms (``US``,
``MKO``) are left alone: they are spelled out or replaced too often to check.

A translation keeps a name when one of its words sounds like it: both are reduced to a consonant
skeleton (vowels, h, w/v and y dropped, voiced and voiceless pairs merged, Latin digraphs and
Arabic-script letters mapped to the same classes), so Tirana/Tiranës/تیرانا, Berisha/Berishës/بریشا,
Tehran/Teheran/تهران and Washington/Uashington/واشنگتن all match, or when it holds one of the
name's known forms in that language (Albania: Shqipëri, آلبانی; US: SHBA, آمریکا), or a form the
caller supplies (a glossary). A run of names (``Nasser Kan'ani``) is kept when any of its words is.
How far this can be trusted, and on what, is in docs/eval.md.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from functools import lru_cache

import regex

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}\u200c]*(?:['’]\p{L}[\p{L}\p{M}]*)*")
# Where a new sentence, quote or parenthesis starts: its first word is capitalised whatever it is.
_OPENERS = regex.compile(r"[.!?:;–—]\s|[\"“„«(\[](?=\p{L})|^")
# Lower-case words inside a name (Mujahedin-e-Khalq, Abu al-Hassan, Ursula von der Leyen).
_NAME_PARTICLES = frozenset({"e", "al", "el", "bin", "ibn", "de", "da", "di", "van", "von", "der", "la"})
_NAME_GAP = regex.compile(rf"(?:[\s-]+(?:{'|'.join(sorted(_NAME_PARTICLES))})?)+[\s-]*")
_LATIN_DIGRAPHS = (("sh", "s"), ("ch", "s"), ("xh", "j"), ("gj", "j"), ("zh", "s"), ("th", "t"), ("dh", "t"),
                   ("ph", "f"), ("kh", "k"), ("gh", "k"), ("ck", "k"), ("ll", "l"), ("rr", "r"), ("nj", "n"))
_CLASSES = {
    **dict.fromkeys("bp", "b"), **dict.fromkeys("td", "t"), **dict.fromkeys("kgqc", "k"), **dict.fromkeys("szx", "s"),
    "f": "f", "j": "j", "l": "l", "r": "r", "m": "m", "n": "n",
    **dict.fromkeys("بپ", "b"), **dict.fromkeys("تطد", "t"), **dict.fromkeys("کكگقغخ", "k"),
    **dict.fromkeys("سصثزذضظشژچ", "s"), "ف": "f", "ج": "j", "ل": "l", "ر": "r", "م": "m", "ن": "n",
}
# Capitalised in English news without being names.
COMMON_CAPITALISED = frozenset("""
a an the this that these those it its he she his her we our they their i you your my there here and or but
if as at by for from in into of on to with without after before during since until while when where who
what which why how all any some many most more no not one two three mr mrs ms dr sir prof
minister ministry ministers foreign affairs interior defence defense justice finance treasury department
state secretary spokesman spokeswoman spokesperson president presidential prime vice deputy general chief
director head council security assembly parliament parliamentary congress senate house court supreme party
democratic socialist republican republic islamic kingdom union national international organization
organisation agency office bank central committee commission army police guard guards forces force navy
revolution revolutionary intelligence embassy ambassador government cabinet administration foundation
institute association federation group company university school hospital city province county region
street square river lake mount sea gulf airport church mosque cup league news code comment agreement
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec
north south east west northern southern eastern western middle central day year week
""".split())
# Frequent words whose consonants a short name may share (Kurti and کرد): never taken for a name.
FREQUENT_WORDS = {
    "fa": frozenset("""
کرد کرده کردند کند کنند کنیم کردن شد شده شدند شود شوند بود بوده است هست نیست این آن که را با در از به برای تا
هم نیز او وی گفت گفته گفتند دارد دارند داشت داد داده دادند کار روز سال پس پیش بر بین یک دو سه چند هر همه
""".split()),
}
# Names that languages replace with a form of their own: source name -> target language -> prefixes.
KNOWN_FORMS = {
    "albania": {"sq": ("shqip",)}, "albanian": {"sq": ("shqip",)}, "albanians": {"sq": ("shqip",)},
    "america": {"sq": ("amerik", "shba"), "fa": ("آمریک", "امریک")},
    "american": {"sq": ("amerik", "shba"), "fa": ("آمریک", "امریک")},
    "united": {"sq": ("shba", "shtet", "bashku"), "fa": ("آمریک", "امریک", "ایالات", "متحد")},
    "states": {"sq": ("shba", "shtet"), "fa": ("آمریک", "امریک", "ایالات")},
    "washington": {"sq": ("uashington", "vashington")},
    "greece": {"sq": ("greqi",), "fa": ("یونان",)}, "greek": {"sq": ("grek",), "fa": ("یونان",)},
    "germany": {"sq": ("gjermani",), "fa": ("آلمان",)}, "german": {"sq": ("gjerman",), "fa": ("آلمان",)},
    "britain": {"sq": ("britani", "mbretëri"), "fa": ("بریتانیا", "انگلیس")},
    "british": {"sq": ("britanik",), "fa": ("بریتانیا", "انگلیس")},
    "egypt": {"sq": ("egjipt",), "fa": ("مصر",)}, "japan": {"sq": ("japoni",), "fa": ("ژاپن",)},
    "china": {"sq": ("kin",), "fa": ("چین",)}, "chinese": {"sq": ("kinez",), "fa": ("چین",)},
    "switzerland": {"sq": ("zvicër", "zvicer"), "fa": ("سوئیس",)}, "montenegro": {"sq": ("mal i zi", "malit të zi")},
    "hungary": {"sq": ("hungari",), "fa": ("مجارستان",)}, "netherlands": {"sq": ("holand",), "fa": ("هلند",)},
    "israeli": {"fa": ("صهیونیست",)}, "israel": {"fa": ("صهیونیست",)},
    "sweden": {"sq": ("sued",), "fa": ("سوئد",)}, "swedish": {"sq": ("sued",), "fa": ("سوئد",)},
    "scotland": {"sq": ("skoc",)}, "belarus": {"sq": ("bjellorus",)}, "wales": {"sq": ("uells",)},
    "georgia": {"sq": ("gjeorgj",), "fa": ("گرجستان",)}, "austria": {"fa": ("اتریش",)},
    "poland": {"fa": ("لهستان",)}, "belgium": {"fa": ("بلژیک",)},
    "europe": {"sq": ("evrop", "europ")}, "european": {"sq": ("evrop", "europ")},
}


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The consonant classes of a word in Latin or Arabic script, a leading vowel kept as ``V``."""
    word = unicodedata.normalize("NFD", word.casefold())
    word = "".join(c for c in word if not unicodedata.combining(c))
    for digraph, single in _LATIN_DIGRAPHS:
        word = word.replace(digraph, single)
    out = []
    previous = None  # class of the letter just before: a double consonant is one, a repeat across a vowel two
    for i, char in enumerate(word):
        cls = _CLASSES.get(char)
        if cls is None and i == 0:
            out.append("V")
        elif cls is not None and cls != previous:
            out.append(cls)
        previous = cls
    return "".join(out)


@lru_cache(maxsize=4096)  # a source is checked against each of its translations
def source_names(text: str) -> tuple[tuple[str, ...], ...]:
    """Runs of adjacent names in a cased text (``("Nasser", "Kan'ani")``), in order, each run once."""
    words = list(_WORD.finditer(text))
    word_starts = [m.start() for m in words]
    first_words = {bisect_left(word_starts, m.end()) for m in _OPENERS.finditer(text)}
    inner = {match.group() for i, match in enumerate(words) if i not in first_words}
    runs: list[list[str]] = []
    last_end = None
    for match in words:
        word = match.group()
        if not _is_name(word, word in inner):
            if word not in _NAME_PARTICLES:
                last_end = None
            continue
        gap = text[last_end:match.start()] if last_end is not None else None
        if gap is not None and _NAME_GAP.fullmatch(gap):
            runs[-1].append(word)
        else:
            runs.append([word])
        last_end = match.end()
    return tuple(dict.fromkeys(tuple(run) for run in runs))


def _is_name(word: str, inner: bool) -> bool:
    if not word[0].isupper() or not inner:
        return False
    if word.isupper() and len(word) <= 4:  # acronyms
        return False
    return _base(word) not in COMMON_CAPITALISED


def _base(word: str) -> str:
    word = word.casefold()
    return word[:-2] if word.endswith(("'s", "’s")) else word


class Target:
    """A translation as the names check reads it: case-folded, and its words' skeletons when needed."""

    def __init__(self, text: str, lang: str) -> None:
        self.text, self.lang, self.folded = text, lang, text.casefold()
        self._skeletons: frozenset[str] | None = None

    @property
    def skeletons(self) -> frozenset[str]:
        if self._skeletons is None:
            frequent = FREQUENT_WORDS.get(self.lang, frozenset())
            self._skeletons = frozenset(skeleton(w) for w in _WORD.findall(self.text) if w.casefold() not in frequent)
        return self._skeletons


def kept(name: str, target: Target, extra_forms: tuple[str, ...] = ()) -> bool | None:
    """Whether a translation keeps one source name: as written, in a known form, or sounding alike;
    None when the name is too short to tell from ordinary words (``Joe``, ``Xi``)."""
    base = _base(name)
    forms = KNOWN_FORMS.get(base, {}).get(target.lang, ()) + extra_forms
    if base in target.folded or any(form.casefold() in target.folded for form in forms):
        return True
    wanted = skeleton(base)
    if len(wanted) < 2:
        return None
    for candidate in target.skeletons:
        if candidate.startswith("V") and not wanted.startswith("V"):
            candidate = candidate[1:]  # Persian writes a vowel before s+consonant: Skanderbeg, اسکندربیگ
        common = len(_common_prefix(wanted, candidate))
        if common == len(wanted) or (common >= 3 and common >= len(wanted) - 1):
            return True
    return False


def run_kept(run: tuple[str, ...], target: Target, forms: dict[str, tuple[str, ...]]) -> bool:
    """A run of names is kept when one of its words that can be told is (all when none can)."""
    verdicts = [kept(word, target, forms.get(word.casefold(), ())) for word in run]
    return any(verdicts) or all(v is None for v in verdicts)


def _common_prefix(a: str, b: str) -> str:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[:i]
