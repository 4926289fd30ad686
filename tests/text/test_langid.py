"""The toolkit's one language identifier, on its own languages and on short texts."""

import pytest

from toolkit.errors import LanguageError
from toolkit.text.langid import detect, detect_language, rank_languages, supported

TEXTS = {
    "en": "The central bank raised its main interest rate to 3.25 percent on Thursday.",
    "fa": "بانک مرکزی روز پنجشنبه نرخ بهره اصلی را به ۳٫۲۵ درصد افزایش داد.",
    "sq": "Banka qendrore e ngriti normën kryesore të interesit në 3,25 për qind të enjten.",
    "ar": "رفع البنك المركزي سعر الفائدة الرئيسي إلى 3.25 في المئة يوم الخميس.",
    "ur": "مرکزی بینک نے جمعرات کو شرح سود بڑھا کر 3.25 فیصد کر دی۔",
}


@pytest.mark.parametrize("lang", TEXTS)
def test_one_sentence_is_told_from_languages_of_the_same_script(lang):
    assert detect_language(TEXTS[lang]) == lang
    detection = detect(TEXTS[lang], lang)
    assert detection.lang == lang and detection.expected_confidence == detection.confidence > 0.5


def test_ranks_among_the_languages_asked_about():
    ranked = rank_languages(TEXTS["fa"], ["fa", "ur", "ar"])
    assert [code for code, _ in ranked][0] == "fa" and {code for code, _ in ranked} <= {"fa", "ur", "ar"}
    assert sum(p for _, p in ranked) == pytest.approx(1.0)


def test_a_text_in_no_language_is_refused():
    with pytest.raises(LanguageError, match="cannot tell the article's language"):
        detect_language("12345 67890")


def test_languages_without_a_model_are_not_supported():
    assert supported("fa") and supported("sq") and not supported("ps") and not supported("xx")
