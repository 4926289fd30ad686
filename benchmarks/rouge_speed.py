"""ROUGE-1/2/L/Lsum on 10,000 summary pairs: toolkit against rouge-score, same pairs, one run.

Run by hand: ``python benchmarks/rouge_speed.py [--pairs 10000] [--no-stem]``. Both sides get the
sentences one per line for ROUGE-Lsum (rouge-score's convention); the toolkit also splits them.
The script checks that both give the same F-measures before printing the times.
"""

from __future__ import annotations

import argparse
import platform
import random
import time

from rouge_score import rouge_scorer

from toolkit.eval.metrics import Corpus, MetricOptions, Rouge
from toolkit.eval.rouge import ROUGE_TYPES

VOCAB_SIZE = 3000


def make_pairs(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """News-like summary pairs: a reference of 2-4 sentences and a hypothesis sharing ~half of its words."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(VOCAB_SIZE)] + ["the", "a", "of", "in", "said", "minister", "running", "ran"]

    def sentence():
        return " ".join(rng.choice(vocab) for _ in range(rng.randint(12, 25))).capitalize() + "."

    pairs = []
    for _ in range(n):
        ref = [sentence() for _ in range(rng.randint(2, 4))]
        hyp = [" ".join(w if rng.random() < 0.5 else rng.choice(vocab) for w in s.split()) for s in ref]
        pairs.append(("\n".join(ref), "\n".join(hyp)))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--no-stem", action="store_true")
    args = parser.parse_args()
    stem = not args.no_stem
    pairs = make_pairs(args.pairs)

    start = time.perf_counter()
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=stem)
    theirs = [scorer.score(ref, hyp) for ref, hyp in pairs]
    rouge_score_s = time.perf_counter() - start

    start = time.perf_counter()
    corpus = Corpus(tuple(h for _, h in pairs), (tuple(r for r, _ in pairs),), "en")
    ours = Rouge().compute(corpus, MetricOptions(stem=stem))
    toolkit_s = time.perf_counter() - start

    for name in ROUGE_TYPES:
        expected = sum(s[name].fmeasure for s in theirs) / len(theirs) * 100
        assert abs(ours.scores[f"{name}.fmeasure"] - expected) < 1e-6, name

    print(f"{args.pairs} pairs, rouge1/2/L/Lsum, stemming {'on' if stem else 'off'}")
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"rouge-score: {rouge_score_s:.2f} s")
    print(f"toolkit:     {toolkit_s:.2f} s")
    print(f"speed-up:    {rouge_score_s / toolkit_s:.1f}x (same F-measures)")


if __name__ == "__main__":
    main()
