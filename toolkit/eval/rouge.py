"""ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum, the way rouge-score computes them, but faster.

Each text is tokenised once (cached, stems memoised) and its n-gram Counters are built once,
instead of once per ROUGE type. The longest common subsequence uses the bit-parallel algorithm
(Allison & Dix 1986; Hyyrö 2004): one big-integer row per token instead of a Python table, so
ROUGE-L is O(n·m/64) word operations. ROUGE-Lsum reads the LCS back from the same bit rows with
rouge-score's tie-breaking, so the union-LCS hits are identical.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from toolkit.eval.tokenize import Tokenizer

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    fmeasure: float


ZERO = PRF(0.0, 0.0, 0.0)


def _prf(hits: int, hyp_total: int, ref_total: int) -> PRF:
    precision = hits / max(hyp_total, 1)
    recall = hits / max(ref_total, 1)
    if precision + recall == 0:
        return ZERO
    return PRF(precision, recall, 2 * precision * recall / (precision + recall))


def _lcs_rows(ref: Sequence[str], hyp: Sequence[str]) -> list[int]:
    """Bit rows V_0..V_len(hyp): zero bits of V_j below bit i count LCS(ref[:i], hyp[:j])."""
    masks: dict[str, int] = {}
    for i, token in enumerate(ref):
        masks[token] = masks.get(token, 0) | (1 << i)
    full = (1 << len(ref)) - 1
    v = full
    rows = [v]
    for token in hyp:
        u = v & masks.get(token, 0)
        v = ((v + u) | (v - u)) & full
        rows.append(v)
    return rows


def lcs_length(ref: Sequence[str], hyp: Sequence[str]) -> int:
    if not ref or not hyp:
        return 0
    return len(ref) - _lcs_rows(ref, hyp)[-1].bit_count()


def lcs_indices(ref: Sequence[str], hyp: Sequence[str]) -> list[int]:
    """Positions in ``ref`` of one LCS, chosen as rouge-score's ``_backtrack_norec`` chooses."""
    rows = _lcs_rows(ref, hyp)

    def table(i: int, j: int) -> int:
        return i - (rows[j] & ((1 << i) - 1)).bit_count()

    i, j = len(ref), len(hyp)
    out = []
    while i > 0 and j > 0:
        if ref[i - 1] == hyp[j - 1]:
            out.append(i - 1)
            i -= 1
            j -= 1
        elif table(i, j - 1) > table(i - 1, j):
            j -= 1
        else:
            i -= 1
    out.reverse()
    return out


@dataclass(frozen=True)
class Prepared:
    """A text reduced to what ROUGE needs."""

    tokens: list[str]
    unigrams: Counter
    bigrams: Counter
    sentences: list[list[str]]


def prepare(text: str, tokenizer: Tokenizer) -> Prepared:
    tokens = tokenizer(text)
    return Prepared(tokens, Counter(tokens), Counter(zip(tokens, tokens[1:])), tokenizer.sentences(text))


def _overlap(ref: Counter, hyp: Counter) -> int:
    if len(hyp) < len(ref):
        ref, hyp = hyp, ref
    return sum(min(count, hyp[gram]) for gram, count in ref.items() if gram in hyp)


def _summary_lcs(ref_sents: list[list[str]], hyp_sents: list[list[str]]) -> PRF:
    """Summary-level LCS with rouge-score's (ROUGE 1.5.5's) guard against double counting."""
    ref_total = sum(map(len, ref_sents))
    hyp_total = sum(map(len, hyp_sents))
    if not ref_total or not hyp_total:
        return ZERO
    ref_left = Counter(token for s in ref_sents for token in s)
    hyp_left = Counter(token for s in hyp_sents for token in s)
    hits = 0
    for ref in ref_sents:
        union: set[int] = set()
        for hyp in hyp_sents:
            union.update(lcs_indices(ref, hyp))
        for i in sorted(union):
            token = ref[i]
            if hyp_left[token] > 0 and ref_left[token] > 0:
                hits += 1
                hyp_left[token] -= 1
                ref_left[token] -= 1
    return _prf(hits, hyp_total, ref_total)


def rouge_pair(ref: Prepared, hyp: Prepared) -> dict[str, PRF]:
    """All four ROUGE types of one hypothesis against one reference."""
    ref_n, hyp_n = len(ref.tokens), len(hyp.tokens)
    if ref_n and hyp_n:
        lcs = _prf(lcs_length(ref.tokens, hyp.tokens), hyp_n, ref_n)
    else:
        lcs = ZERO
    return {
        "rouge1": _prf(_overlap(ref.unigrams, hyp.unigrams), hyp_n, ref_n),
        "rouge2": _prf(_overlap(ref.bigrams, hyp.bigrams), max(hyp_n - 1, 0), max(ref_n - 1, 0)),
        "rougeL": lcs,
        "rougeLsum": _summary_lcs(ref.sentences, hyp.sentences),
    }


def rouge_multi(refs: Sequence[Prepared], hyp: Prepared) -> dict[str, PRF]:
    """Against several references, per type the reference with the highest F (as rouge-score)."""
    pairs = [rouge_pair(ref, hyp) for ref in refs]
    best = {}
    for name in ROUGE_TYPES:
        scores = [pair[name] for pair in pairs]
        best[name] = max(scores, key=lambda s: s.fmeasure) if scores else ZERO
    return best


def rouge_signature(tokenizer: Tokenizer, n_refs: int) -> str:
    return f"rouge|{tokenizer.signature}|lsum-split:sentencex|refs:{n_refs}|multi-ref:max-f|agg:mean"
