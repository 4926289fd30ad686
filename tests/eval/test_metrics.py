import random

import numpy as np
import pytest
import sacrebleu

from toolkit.errors import InputError
from toolkit.eval.metrics import Corpus, MetricOptions, Sacre, SemSim, parse_metrics
from toolkit.eval.stats import Bootstrap, confidence_intervals, paired_differences

WORDS = "the minister said on Monday that 17,000 people were hurt , officials in Tirana rejected claims .".split()


def _corpus(n=60, seed=0, refs=1):
    rng = random.Random(seed)
    line = lambda: " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 20)))  # noqa: E731
    hyps = tuple(line() for _ in range(n))
    streams = tuple(tuple(line() for _ in range(n)) for _ in range(refs))
    return Corpus(hyps, streams, "en")


@pytest.mark.parametrize("refs", [1, 2])
def test_sacrebleu_metrics_equal_sacrebleu_corpus_scores(refs):
    corpus = _corpus(refs=refs)
    hyps, streams = list(corpus.hyps), [list(s) for s in corpus.refs]
    expected = {
        "bleu": sacrebleu.corpus_bleu(hyps, streams),
        "chrf": sacrebleu.corpus_chrf(hyps, streams),
        "chrf++": sacrebleu.corpus_chrf(hyps, streams, word_order=2),
        "ter": sacrebleu.corpus_ter(hyps, streams),
    }
    for name, score in expected.items():
        computed = Sacre(name).compute(corpus, MetricOptions())
        assert computed.scores[name] == score.score
        assert f"nrefs:{refs}" in computed.signatures[name] and "version:" in computed.signatures[name]


def test_persian_bleu_ignores_yeh_kaf_variants_when_normalising():
    ref = ("کتاب‌های علمی در کتابخانه ملی ایران نگهداری می‌شوند",)
    hyp = ("كتاب‌هاي علمي در كتابخانه ملي ايران نگهداري مي‌شوند",)
    corpus = Corpus(hyp, (ref,), "fa")
    assert Sacre("chrf").compute(corpus, MetricOptions()).scores["chrf"] == pytest.approx(100)
    assert Sacre("chrf").compute(corpus, MetricOptions(normalize=False)).scores["chrf"] < 90


def test_bootstrap_is_seeded_and_brackets_the_score():
    corpus = _corpus()
    computed = Sacre("chrf").compute(corpus, MetricOptions())
    idx = Bootstrap(200, seed=7).indices(len(corpus.hyps))
    first = confidence_intervals(computed, idx)["chrf"]
    again = confidence_intervals(computed, Bootstrap(200, seed=7).indices(len(corpus.hyps)))["chrf"]
    assert first == again
    assert first.low < computed.scores["chrf"] < first.high
    other = confidence_intervals(computed, Bootstrap(200, seed=8).indices(len(corpus.hyps)))["chrf"]
    assert other != first


def test_paired_bootstrap_separates_a_better_system():
    corpus = _corpus(n=80)
    better = Corpus(corpus.refs[0][:60] + corpus.hyps[60:], corpus.refs, "en")  # 60 outputs equal the reference
    idx = Bootstrap(300, seed=0).indices(80)
    base = Sacre("bleu").compute(corpus, MetricOptions())
    diffs = paired_differences(base, Sacre("bleu").compute(better, MetricOptions()), idx)
    assert diffs[0].delta > 0 and diffs[0].interval.low > 0 and diffs[0].p_value < 0.01
    same = paired_differences(base, base, idx)[0]
    assert same.delta == 0 and same.p_value > 0.5


def test_semantic_similarity_prefers_the_translation():
    sources = ("The minister resigned on Monday after protests in the capital.",) * 2
    hyps = ("وزیر روز دوشنبه پس از اعتراض‌ها در پایتخت استعفا داد.", "هوا امروز در شمال کشور آفتابی است.")
    refs = (("وزیر روز دوشنبه در پی اعتراضات پایتخت کناره‌گیری کرد.", "وزیر روز دوشنبه در پی اعتراضات پایتخت کناره‌گیری کرد."),)
    computed = SemSim().compute(Corpus(hyps, refs, "fa", sources), MetricOptions())
    assert computed.per_doc["semsim"][0] > computed.per_doc["semsim"][1]
    assert computed.per_doc["semsim_src"][0] > computed.per_doc["semsim_src"][1]
    assert np.all(computed.per_doc["semsim"] <= 100.0001)
    assert "multilingual-e5-small" in computed.signatures["semsim"]


def test_metric_names_are_checked():
    assert parse_metrics("rouge, BLEU,rouge") == ["rouge", "bleu"]
    with pytest.raises(InputError, match="unknown metric 'meteor'"):
        parse_metrics("rouge,meteor")
