"""Language identifiers side by side on the eval suite: accuracy, first call and time per text.

Run by hand: ``python benchmarks/langid_compare.py [--suite eval/suites/news-en-fa-sq.yaml]``.
Texts: every sentence of the suite's articles and of its reference summaries (en, fa, sq), the
whole reference summaries (the length of a system's output), and each sentence's first five
words (a headline, a truncated output). Each identifier chooses among the toolkit's languages
(``toolkit.languages.LANGUAGES``, where it knows them); each runs in a fresh process, so the first
call includes loading its models.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

IDENTIFIERS = {
    "py3langid (toolkit languages)": """
from py3langid.langid import MODEL_FILE, LanguageIdentifier
from toolkit.languages import LANGUAGES
ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
ident.set_languages([c for c in LANGUAGES if c in ident.nb_classes])
detect = lambda text: ident.classify(text)[0]
""",
    "lingua, all 75 languages": """
from lingua import LanguageDetectorBuilder
det = LanguageDetectorBuilder.from_all_languages().build()
def detect(text):
    found = det.detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None
""",
    "lingua (toolkit languages)": """
from lingua import IsoCode639_1, LanguageDetectorBuilder
from toolkit.languages import LANGUAGES
codes = [getattr(IsoCode639_1, c.upper()) for c in LANGUAGES if hasattr(IsoCode639_1, c.upper())]
det = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
def detect(text):
    found = det.detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None
""",
    "lingua (toolkit languages, low accuracy)": """
from lingua import IsoCode639_1, LanguageDetectorBuilder
from toolkit.languages import LANGUAGES
codes = [getattr(IsoCode639_1, c.upper()) for c in LANGUAGES if hasattr(IsoCode639_1, c.upper())]
det = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()
def detect(text):
    found = det.detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None
""",
}

RUNNER = """
import json, sys, time
items = json.loads(sys.stdin.read())
start = time.perf_counter()
{setup}
first = detect(items[0][1])
first_s = time.perf_counter() - start
start = time.perf_counter()
found = [detect(text) for _, text, _ in items]
all_s = time.perf_counter() - start
start = time.perf_counter()
again = [detect(text) for _, text, _ in items]
per_text_ms = (time.perf_counter() - start) * 1000 / len(items)
print(json.dumps({{"first_s": first_s, "all_s": all_s, "per_text_ms": per_text_ms, "found": found}}))
"""


def suite_texts(path: str) -> list[tuple[str, str, str]]:
    """(expected language, text, kind) for every text measured."""
    from toolkit.eval.suite import load_suite
    from toolkit.summarize.extractive import article_sentences
    from toolkit.text.segment import split_sentences

    suite = load_suite(path)
    items = []
    for article in suite.articles:
        for sentence in article_sentences(article.text, suite.source_lang):
            items.append((suite.source_lang, sentence, "sentence"))
        for lang, summary in article.references.items():
            items.append((lang, summary, "summary"))
            items.extend((lang, s, "sentence") for s in split_sentences(summary, lang))
    items += [(lang, " ".join(text.split()[:5]), "five words") for lang, text, kind in list(items) if kind == "sentence"]
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--suite", default="eval/suites/news-en-fa-sq.yaml")
    args = parser.parse_args()
    items = suite_texts(args.suite)
    kinds = ("sentence", "summary", "five words")
    counts = {k: sum(kind == k for _, _, kind in items) for k in kinds}
    print(f"{len(items)} texts: " + ", ".join(f"{counts[k]} {k}" for k in kinds))
    print("first call: load and detect one text; first pass: every text once (lazy models load); per text: a second pass")
    print(f"{'identifier':42} {'first call':>10} {'first pass':>10} {'per text':>9}  " + "  ".join(f"{k:>10}" for k in kinds) + "  wrong")
    for name, setup in IDENTIFIERS.items():
        done = subprocess.run([sys.executable, "-c", RUNNER.format(setup=setup)], input=json.dumps(items),
                              capture_output=True, text=True, check=True)
        result = json.loads(done.stdout)
        accuracy = []
        for k in kinds:
            pairs = [(lang, f) for (lang, _, kind), f in zip(items, result["found"]) if kind == k]
            accuracy.append(100 * statistics.mean(lang == f for lang, f in pairs))
        wrong = sorted({f"{lang}->{f}" for (lang, _, _), f in zip(items, result["found"]) if lang != f})
        print(f"{name:42} {result['first_s']:9.2f}s {result['all_s']:9.2f}s {result['per_text_ms']:7.2f}ms  "
              + "  ".join(f"{a:9.1f}%" for a in accuracy) + "  " + ", ".join(wrong))


if __name__ == "__main__":
    main()
