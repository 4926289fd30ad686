"""Extractive summaries with no model weights: LexRank over Unicode-aware word tokens.

Sentences are nodes; edges are the cosine similarity of their TF-IDF vectors (words normalised so
Persian Arabic-script variants, ZWNJ compounds and digits, and Albanian ë/ç, match as words do);
a PageRank with a mild lead bias (news puts the gist first) ranks them. The summary is the
best-ranked sentences, verbatim, in source order.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter

from toolkit.errors import InputError
from toolkit.summarize.base import Chunking, Summary, SummaryLength
from toolkit.summarize.length import fit_length, word_limit
from toolkit.text.segment import split_paragraphs, split_sentences

_DAMPING = 0.85
_WORD = re.compile(r"[\w\u200c\u200d]+")
_FA_NORMAL = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا",
                            "\u200c": "", "\u200d": "", "ـ": ""})
_FA_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_DIACRITICS = re.compile(r"[\u064b-\u065f\u0670]")

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
    text = _DIACRITICS.sub("", text.casefold().translate(_FA_DIGITS))
    tokens = [t.translate(_FA_NORMAL) for t in _WORD.findall(text)]
    stop = _STOPWORDS.get(lang, set())
    return [t for t in tokens if t and t not in stop and not (t.isdigit() and len(t) == 1)]


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


def _cosine(a: Counter, b: Counter, idf: dict[str, float]) -> float:
    dot = sum(a[w] * b[w] * idf[w] ** 2 for w in a.keys() & b.keys())
    if not dot:
        return 0.0
    norm_a = math.sqrt(sum((c * idf[w]) ** 2 for w, c in a.items()))
    norm_b = math.sqrt(sum((c * idf[w]) ** 2 for w, c in b.items()))
    return dot / (norm_a * norm_b)


def lexrank(sentences: list[str], lang: str, iterations: int = 100) -> list[float]:
    """One score per sentence: continuous LexRank with a teleport biased towards the lead."""
    bags = [Counter(words(s, lang)) for s in sentences]
    n = len(sentences)
    df = Counter(w for bag in bags for w in bag)
    idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}
    sim = [[_cosine(bags[i], bags[j], idf) if i != j else 0.0 for j in range(n)] for i in range(n)]
    out_weight = [sum(row) for row in sim]
    lead = [1.0 / math.sqrt(i + 1) for i in range(n)]
    total = sum(lead)
    teleport = [w / total for w in lead]
    scores = teleport[:]
    for _ in range(iterations):
        new = [
            (1 - _DAMPING) * teleport[j]
            + _DAMPING * sum(scores[i] * sim[i][j] / out_weight[i] for i in range(n) if out_weight[i] and sim[i][j])
            for j in range(n)
        ]
        # Sentences sharing no word with any other pass their weight on through the teleport.
        dangling = _DAMPING * sum(scores[i] for i in range(n) if not out_weight[i])
        new = [v + dangling * teleport[j] for j, v in enumerate(new)]
        if max(abs(a - b) for a, b in zip(new, scores)) < 1e-9:
            return new
        scores = new
    return scores


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
        limit = word_limit(length)
        if limit is None:
            return ranked[: length.sentences]
        chosen: list[int] = []
        budget = limit
        for i in ranked:
            size = len(sentences[i].split())
            if size <= budget:
                chosen.append(i)
                budget -= size
        if not chosen and length.max_words is not None:
            raise InputError(
                f"every sentence of the article is longer than the summary's {limit} words",
                "allow more words or ask for a number of sentences",
            )
        return chosen
