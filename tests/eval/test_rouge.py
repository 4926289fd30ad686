import random

import pytest
from rouge_score import rouge_scorer

from toolkit.eval.metrics import Corpus, MetricOptions, Rouge
from toolkit.eval.rouge import ROUGE_TYPES, lcs_indices, lcs_length, prepare, rouge_multi, rouge_pair
from toolkit.eval.tokenize import Tokenizer
from toolkit.text.segment import split_sentences

WORDS = ("the a minister said on monday that people were affected officials in tirana rejected claims "
         "running runs ran government iran albania cyber attacks attacked 17 000 percent rising").split()


def _text(rng):
    sentences = []
    for _ in range(rng.randint(1, 4)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 14))]
        sentences.append(" ".join(words).capitalize() + rng.choice([".", "!", "?"]))
    return " ".join(sentences)


def _pairs(n, seed=0):
    rng = random.Random(seed)
    return [(_text(rng), _text(rng)) for _ in range(n)]


def _dp_lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = table[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(table[i - 1][j], table[i][j - 1])
    return table[-1][-1]


def test_bit_parallel_lcs_matches_dynamic_programming():
    rng = random.Random(1)
    for _ in range(300):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 70))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 70))]
        assert lcs_length(a, b) == _dp_lcs(a, b)
        indices = lcs_indices(a, b)
        assert len(indices) == _dp_lcs(a, b) and indices == sorted(indices)


@pytest.mark.parametrize("stem", [True, False])
def test_agrees_with_rouge_score_on_english(stem):
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=stem)
    tokenizer = Tokenizer("en", stem=stem)
    pairs = _pairs(400)
    for ref, hyp in pairs:
        # rouge-score takes sentences one per line for ROUGE-Lsum; give it the toolkit's split.
        expected = scorer.score("\n".join(split_sentences(ref, "en")), "\n".join(split_sentences(hyp, "en")))
        got = rouge_pair(prepare(ref, tokenizer), prepare(hyp, tokenizer))
        for name in ROUGE_TYPES:
            for field in ("precision", "recall", "fmeasure"):
                assert getattr(got[name], field) * 100 == pytest.approx(getattr(expected[name], field) * 100, abs=1e-6)


def test_corpus_rouge_is_mean_of_rouge_score_f_times_100():
    pairs = _pairs(50, seed=3)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    corpus = Corpus(tuple(h for _, h in pairs), (tuple(r for r, _ in pairs),), "en")
    computed = Rouge().compute(corpus, MetricOptions())
    for name in ("rouge1", "rouge2", "rougeL"):
        expected = sum(scorer.score(r, h)[name].fmeasure for r, h in pairs) / len(pairs) * 100
        assert computed.scores[f"{name}.fmeasure"] == pytest.approx(expected, abs=1e-6)


def test_multi_reference_takes_best_f_like_rouge_score():
    scorer = rouge_scorer.RougeScorer(["rouge1", "rougeL"], use_stemmer=True)
    tokenizer = Tokenizer("en")
    refs = ["the minister resigned on monday", "officials rejected the claims"]
    hyp = "officials in tirana rejected all claims"
    expected = scorer.score_multi(refs, hyp)
    got = rouge_multi([prepare(r, tokenizer) for r in refs], prepare(hyp, tokenizer))
    assert got["rouge1"].fmeasure == pytest.approx(expected["rouge1"].fmeasure, abs=1e-9)
    assert got["rougeL"].fmeasure == pytest.approx(expected["rougeL"].fmeasure, abs=1e-9)


PERSIAN_REF = "وزیر امور خارجه ایران روز دوشنبه گفت که ۱۷٬۰۰۰ نفر در این حمله کشته شده‌اند."
PERSIAN_HYP = "وزير خارجه ايران گفت ۱۷٬۰۰۰ نفر در حمله کشته شده اند و تحريم‌ها را محکوم کرد."


def _rouge_fa(ref, hyp):
    tokenizer = Tokenizer("fa")
    return rouge_pair(prepare(ref, tokenizer), prepare(hyp, tokenizer))


def test_persian_rouge_is_positive_and_unchanged_by_script_variants():
    base = _rouge_fa(PERSIAN_REF, PERSIAN_HYP)
    assert base["rouge1"].fmeasure > 0.5 and base["rouge2"].fmeasure > 0 and base["rougeLsum"].fmeasure > 0
    variant = PERSIAN_HYP.replace("ی", "ي").replace("ک", "ك").replace("۱۷٬۰۰۰", "17,000")
    assert variant != PERSIAN_HYP
    assert _rouge_fa(PERSIAN_REF, variant) == base
    arabic_digits = PERSIAN_REF.replace("۱۷٬۰۰۰", "١٧٬٠٠٠")
    assert _rouge_fa(arabic_digits, PERSIAN_HYP) == base


def test_persian_zwnj_variants_are_one_token():
    tokenizer = Tokenizer("fa")
    assert tokenizer("می‌شود") == tokenizer("میشود") == tokenizer("می شود") == ["میشود"]
    assert len(Tokenizer("fa", zwnj="keep")("کتاب‌ها")) == 1


def test_albanian_letters_stay_inside_words():
    tokenizer = Tokenizer("sq")
    assert tokenizer("Shqipëria çështje") == ["shqipëria", "çështje"]
    assert tokenizer("Shqipe\u0308ria") == ["shqipëria"]  # decomposed ë
    result = rouge_pair(prepare("Shqipëria ndërpreu marrëdhëniet", tokenizer),
                        prepare("Shqipëria ndërpreu marrëdhëniet", tokenizer))
    assert result["rouge1"].fmeasure == 1.0


def test_signature_names_tokenisation_and_normalisation():
    corpus = Corpus(("سلام دنیا",), (("سلام دنیا",),), "fa")
    signature = Rouge().compute(corpus, MetricOptions()).signatures["rouge1"]
    assert "tok:unicode-v1" in signature and "norm:fa-v1" in signature and "zwnj:join" in signature
    assert "stem:none" in signature
