"""Language codes: ISO 639-1 as the user's language, mapped to each model family's codes."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.errors import LanguageError


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, what users type
    name: str
    iso3: tuple[str, ...]  # ISO 639-3 codes, preferred first (Marian ">>xxx<<" tokens)
    flores: str  # FLORES-200 code (NLLB)
    mbart50: str | None  # mBART-50 code, where mBART-50 covers the language
    rtl: bool = False

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


_LANGUAGES = [
    Language("en", "English", ("eng",), "eng_Latn", "en_XX"),
    Language("fa", "Persian", ("pes", "fas", "prs"), "pes_Arab", "fa_IR", rtl=True),
    Language("sq", "Albanian", ("sqi", "als", "aln"), "als_Latn", None),
    Language("ar", "Arabic", ("ara", "arb"), "arb_Arab", "ar_AR", rtl=True),
    Language("de", "German", ("deu",), "deu_Latn", "de_DE"),
    Language("el", "Greek", ("ell",), "ell_Grek", None),
    Language("es", "Spanish", ("spa",), "spa_Latn", "es_XX"),
    Language("fr", "French", ("fra",), "fra_Latn", "fr_XX"),
    Language("he", "Hebrew", ("heb",), "heb_Hebr", "he_IL", rtl=True),
    Language("hi", "Hindi", ("hin",), "hin_Deva", "hi_IN"),
    Language("it", "Italian", ("ita",), "ita_Latn", "it_IT"),
    Language("ja", "Japanese", ("jpn",), "jpn_Jpan", "ja_XX"),
    Language("ko", "Korean", ("kor",), "kor_Hang", "ko_KR"),
    Language("nl", "Dutch", ("nld",), "nld_Latn", "nl_XX"),
    Language("pl", "Polish", ("pol",), "pol_Latn", "pl_PL"),
    Language("ps", "Pashto", ("pus", "pbt"), "pbt_Arab", "ps_AF", rtl=True),
    Language("pt", "Portuguese", ("por",), "por_Latn", "pt_XX"),
    Language("ru", "Russian", ("rus",), "rus_Cyrl", "ru_RU"),
    Language("sr", "Serbian", ("srp",), "srp_Cyrl", None),
    Language("tr", "Turkish", ("tur",), "tur_Latn", "tr_TR"),
    Language("uk", "Ukrainian", ("ukr",), "ukr_Cyrl", "uk_UA"),
    Language("ur", "Urdu", ("urd",), "urd_Arab", "ur_PK", rtl=True),
    Language("zh", "Chinese", ("zho", "cmn"), "zho_Hans", "zh_CN"),
]
LANGUAGES: dict[str, Language] = {lang.code: lang for lang in _LANGUAGES}


def get_language(code: str) -> Language:
    """Look a language up by its ISO 639-1 code (case-insensitive)."""
    lang = LANGUAGES.get(code.strip().lower())
    if lang is None:
        known = ", ".join(sorted(LANGUAGES))
        raise LanguageError(f"unknown language code '{code}'", f"use one of: {known}")
    return lang


def parse_language_list(value: str) -> list[str]:
    """'fa, sq' -> ['fa', 'sq'], each checked; duplicates removed, order kept."""
    codes: list[str] = []
    for part in value.split(","):
        if part.strip():
            code = get_language(part).code
            if code not in codes:
                codes.append(code)
    if not codes:
        raise LanguageError("no target language given", "name them in «targets», e.g. fa,sq")
    return codes
