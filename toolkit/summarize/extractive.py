"""Extractive summaries with no model weights: LexRank over Unicode-aware word tokens.

Sentences are nodes; edges are the cosine similarity of their TF-IDF vectors (words normalised by
``toolkit.text.normalize``, the normaliser eval uses too, so Persian Arabic-script variants, ZWNJ
compounds and digits, and Albanian ë/ç, match as words do);
a PageRank with a mild lead bias (news puts the gist first) ranks them. The summary is the
best-ranked sentences, verbatim, in source order.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter

import numpy as np

from toolkit.errors import InputError
from toolkit.summarize.base import Chunking, Summary, SummaryLength
from toolkit.summarize.length import fit_length, word_limit
from toolkit.text.normalize import normalize, normalize_segment
from toolkit.text.segment import split_paragraphs, split_sentences

_DAMPING = 0.85
WINDOW = 48  # sentences compared with each sentence, before it and after it
_WORD = re.compile(r"\w+")
_JOINERS = str.maketrans("", "", "\u200c\u200d")  # ZWNJ and ZWJ: a compound is one word

_STOPWORDS = {
    "en": set("""a an the and or but if of in on at to for from by with as is are was were be been being it its
        this that these those he she they we you i his her their our your not no so than then there here which who
        whom whose what when where why how all any each both also has have had do does did will would can could
        should may might must said says about into over after before under between against during such said""".split()),
    "fa": set("""و در به از که این آن را با است برای تا بر یک هم نیز ها های شد شده می خود او ما شما آنها بود باشد
        کرد کرده کند کنند گفت وی اما یا اگر هر چه چون پس دیگر همه ای بی""".split()),
    "sq": set("""dhe e të në një për me që nga është ka u së i se si më ky kjo këtë ai ajo ata ato por ose nuk do
        janë kanë ishte kishte mund pas para tek te deri edhe apo cili cila""".split()),
}


def words(text: str, lang: str) -> list[str]:
    """Content words, case-folded and script-normalised; never ASCII-only."""
    tokens = _WORD.findall(normalize(text, lang).casefold().translate(_JOINERS))
    stop = _STOPWORDS.get(lang, set())
    return [t for t in tokens if t not in stop and not (t.isdigit() and len(t) == 1)]


_SENTENCE_END = re.compile(r"[.!?؟…。:;\"'”’»)\]]\s*$")


def article_sentences(text: str, lang: str) -> list[str]:
    """The article's sentences, verbatim, in order; headlines and headings (lines alone in their
    paragraph with no closing punctuation) are left out."""
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        lines = paragraph.splitlines()
        if len(lines) == 1 and not _SENTENCE_END.search(lines[0]):
            continue
        for line in lines:
            sentences.extend(split_sentences(line, lang))
    return sentences


def _similarity_band(bags: list[Counter], idf: dict[str, float], window: int) -> np.ndarray:
    """``band[i, k]``: cosine similarity of the TF-IDF vectors of sentences ``i`` and ``i + k - window``;
    0 on the diagonal and beyond the article's ends.

    From the postings of each word (the sentences that have it, in order): the products of the
    weights of postings ``t`` apart, for ``t`` up to ``window``, summed per sentence pair. Time and
    memory grow with the number of (word, sentence) entries times the window: linearly with the article.
    """
    n, width = len(bags), 2 * window + 1
    vocab: dict[str, int] = {}
    sentence, word, weight = [], [], []
    for i, bag in enumerate(bags):
        for token, count in bag.items():
            sentence.append(i)
            word.append(vocab.setdefault(token, len(vocab)))
            weight.append(count * idf[token])
    sentence_ids, word_ids, weights = np.array(sentence, dtype=np.int64), np.array(word), np.array(weight)
    norms = np.sqrt(np.bincount(sentence_ids, weights=weights ** 2, minlength=n))
    weights = weights / np.where(norms > 0, norms, 1.0)[sentence_ids]
    order = np.lexsort((sentence_ids, word_ids))
    sentence_ids, word_ids, weights = sentence_ids[order], word_ids[order], weights[order]
    band = np.zeros(n * width)
    for t in range(1, min(window, len(order) - 1) + 1):
        first, second = sentence_ids[:-t], sentence_ids[t:]
        pair = (word_ids[:-t] == word_ids[t:]) & (second - first <= window)
        if not pair.any():  # then no postings further apart are near enough either
            break
        i, j, product = first[pair], second[pair], weights[:-t][pair] * weights[t:][pair]
        band += np.bincount(i * width + (j - i + window), weights=product, minlength=n * width)
        band += np.bincount(j * width + (i - j + window), weights=product, minlength=n * width)
    return band.reshape(n, width)


def lexrank(sentences: list[str], lang: str, iterations: int = 100, window: int = WINDOW) -> list[float]:
    """One score per sentence: continuous LexRank with a teleport biased towards the lead.

    Edges join sentences at most ``window`` apart: an article of up to ``window + 1`` sentences
    (every usual news article) is ranked on its full similarity graph, a longer one on a band of
    it, so that ranking time and memory grow linearly, not quadratically, with its length."""
    n = len(sentences)
    if n == 0:
        return []
    bags = [Counter(words(s, lang)) for s in sentences]
    df = Counter(w for bag in bags for w in bag)
    idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}
    band = _similarity_band(bags, idf, window)
    out_weight = band.sum(axis=1)
    transition = band / np.where(out_weight > 0, out_weight, 1.0)[:, None]
    # incoming[k, j]: the weight of the edge into sentence j from sentence source[k, j] = j - (k - window).
    k = np.arange(2 * window + 1)[:, None]
    source = np.arange(n)[None, :] - (k - window)
    inside = (source >= 0) & (source < n)
    source = np.clip(source, 0, n - 1)
    incoming = np.where(inside, transition[source, np.broadcast_to(k, source.shape)], 0.0)
    dangling = out_weight == 0
    lead = 1.0 / np.sqrt(np.arange(1, n + 1))
    teleport = lead / lead.sum()
    scores = teleport
    for _ in range(iterations):
        new = (1 - _DAMPING) * teleport + _DAMPING * (scores[source] * incoming).sum(axis=0)
        # Sentences sharing no word with any other pass their weight on through the teleport.
        new += _DAMPING * scores[dangling].sum() * teleport
        if np.abs(new - scores).max() < 1e-9:
            return new.tolist()
        scores = new
    return scores.tolist()


class ExtractiveSummarizer:
    """Picks whole source sentences; works offline on any language sentencex segments."""

    method = "extractive"
    algorithm = "lexrank"

    def summarize(self, text: str, lang: str, length: SummaryLength) -> Summary:
        started = time.perf_counter()
        # An article that is all headline-like lines is taken as it is.
        sentences = article_sentences(text, lang) or split_sentences(" ".join(text.split()), lang)
        scores = lexrank(sentences, lang)
        ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
        chosen = self._choose(ranked, sentences, length)
        trimmed = False
        if chosen:
            summary = " ".join(sentences[i] for i in sorted(chosen))
        else:  # the default limit, and no sentence within it: the best one, cut between words
            summary, trimmed = fit_length(sentences[ranked[0]], lang, length)
        chunking = Chunking(input_tokens=len(text.split()), limit=len(text.split()))
        return Summary(summary, lang, self.method, None, chunking, algorithm=self.algorithm, trimmed=trimmed,
                       seconds=time.perf_counter() - started)

    @staticmethod
    def _choose(ranked: list[int], sentences: list[str], length: SummaryLength) -> list[int]:
        """The best-ranked sentences within ``length``, each text once: a sentence the article repeats
        (NFC, spacing and case aside) is taken at its best rank and the next-best different one follows."""
        limit = word_limit(length)
        chosen: list[int] = []
        seen: set[str] = set()
        budget = limit
        for i in ranked:
            key, size = normalize_segment(sentences[i]).casefold(), len(sentences[i].split())
            if key in seen or (limit is not None and size > budget):
                continue
            chosen.append(i)
            seen.add(key)
            if limit is not None:
                budget -= size
            elif len(chosen) == length.sentences:
                break
        if not chosen and length.max_words is not None:
            raise InputError(
                f"every sentence of the article is longer than the summary's {limit} words",
                "allow more words or ask for a number of sentences",
            )
        return chosen
