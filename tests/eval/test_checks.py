from toolkit.eval.checks import Thresholds, check_document, name_candidates
from toolkit.eval.tokenize import Tokenizer

SOURCE = ("TIRANA - Albania's prime minister Edi Rama said on Monday that 17,000 people had left the city of "
          "Vlore after the fire. Officials in Tirana said 300 firefighters were working to contain it.")


def _checks(output, lang="en", source=SOURCE, source_lang="en", thresholds=Thresholds()):
    results = check_document(output, lang, source, source_lang, thresholds, Tokenizer(lang, stem=False))
    return {r.name: r for r in results}


def test_a_faithful_summary_passes():
    checks = _checks("Edi Rama said 17,000 people left Vlore after the fire, and 300 firefighters were working.")
    assert all(c.passed for c in checks.values()), checks


def test_loops_invented_numbers_and_names_fail():
    checks = _checks("Officials said that Berisha said that 25,000 people left. " + "the fire the fire the fire " * 5)
    assert checks["repetition"].passed is False
    assert checks["numbers"].passed is False and "25000" in checks["numbers"].detail
    assert checks["names"].passed is False and "Berisha" in checks["names"].detail


def test_numbers_are_compared_across_scripts():
    checks = _checks("ادی راما گفت ۱۷٬۰۰۰ نفر شهر را ترک کردند.", lang="fa")
    assert checks["numbers"].passed is True
    assert checks["names"].passed is None and checks["novelty"].passed is None  # cross-lingual: not applicable
    translation = Thresholds.for_task("translation")
    missing = _checks("ادی راما گفت مردم شهر را ترک کردند.", lang="fa", thresholds=translation)
    assert missing["numbers"].passed is False and "missing: 17000" in missing["numbers"].detail


def test_wrong_language_and_length():
    checks = _checks("Kryeministri tha se 17.000 njerëz u larguan nga qyteti pas zjarrit në Vlorë.")
    assert checks["language"].passed is False and "detected sq" in checks["language"].detail
    assert _checks(SOURCE + " " + SOURCE)["length_ratio"].passed is False


def test_no_source_means_not_applicable():
    checks = _checks("Edi Rama spoke.", source=None)
    assert checks["numbers"].passed is None and checks["length_ratio"].passed is None
    assert checks["language"].passed is not None


def test_sentence_initial_words_are_not_names():
    assert name_candidates("The minister met Rama. Officials left.", "en") == ["Rama"]


def test_threshold_overrides():
    assert Thresholds().with_overrides(["max_repeat_rate=0.5"]).max_repeat_rate == 0.5


def test_short_output_in_the_expected_language_passes_even_with_low_confidence():
    from toolkit.text.langid import detect

    short = "Albania cut ties."
    detection = detect(short, "en")
    assert detection.lang == "en" and detection.expected_confidence < 0.5  # the identifier is unsure on so few words
    assert _checks(short, source="Albania cut diplomatic ties with Iran on Wednesday.")["language"].passed is True
