"""The extractive summariser on long articles: time and memory for ~20 KB and ~200 KB, side by side.

Run by hand: ``python benchmarks/extractive_scale.py [--sizes 20,200] [--runs 3]``. The articles are
built from the shared news corpus (``shared/corpus``, beside the checkout): its paragraphs repeated,
each copy varied (sentences rotated, numbers changed, a copy number added) so that no two
sentences are the same. Each size is summarised ``--runs`` times (median, min and max printed),
the sizes taken in turn, then once more under ``tracemalloc`` for the peak of Python and NumPy allocations. The last line
is the ratio of the largest to the smallest article's median time; the goal is within 10x for a
10x longer article (linear), where an all-pairs similarity graph is 100x.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
import tracemalloc
from pathlib import Path

from toolkit.summarize.base import SummaryLength
from toolkit.summarize.extractive import ExtractiveSummarizer, article_sentences
from toolkit.text.clean import article_text
from toolkit.text.segment import split_paragraphs, split_sentences

CORPUS_FILE = "mehr-iran-albania-2022.txt"


def corpus_text() -> str:
    here = Path(__file__).resolve().parent.parent
    for folder in (here, *here.parents):
        path = folder / "shared" / "corpus" / CORPUS_FILE
        if path.is_file():
            return article_text(path.read_text("utf-8")).text
    raise SystemExit(f"shared/corpus/{CORPUS_FILE} not found beside the checkout")


def build_article(kilobytes: int) -> str:
    """Paragraphs of the corpus article, copied until ``kilobytes`` of UTF-8; each copy varied."""
    paragraphs = [[s for s in split_sentences(p, "en")] for p in split_paragraphs(corpus_text())]
    paragraphs = [p for p in paragraphs if p]
    out: list[str] = []
    size, copy = 0, 0
    while size < kilobytes * 1000:
        copy += 1
        for sentences in paragraphs:
            if size >= kilobytes * 1000:
                break
            shift = copy % len(sentences)
            rotated = sentences[shift:] + sentences[:shift]
            varied = [" ".join(f"{int(w) + copy}" if w.isdigit() else w for w in s.split()) for s in rotated]
            paragraph = f"In report {copy}, " + " ".join(varied)
            out.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(out)


def time_once(text: str) -> tuple[float, str]:
    start = time.perf_counter()
    summary = ExtractiveSummarizer().summarize(text, "en", SummaryLength())
    return time.perf_counter() - start, summary.text


def peak_memory(text: str) -> int:
    tracemalloc.start()
    ExtractiveSummarizer().summarize(text, "en", SummaryLength())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="20,200", help="Article sizes in KB, comma-separated.")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {platform.machine()}, {args.runs} runs each")
    texts = {kb: build_article(kb) for kb in (int(s) for s in args.sizes.split(","))}
    times: dict[int, list[float]] = {kb: [] for kb in texts}
    summaries = {}
    for _ in range(args.runs):  # sizes interleaved, so that a busy machine slows them alike
        for kb, text in texts.items():
            seconds, summaries[kb] = time_once(text)
            times[kb].append(seconds)
    medians = {}
    for kb, text in texts.items():
        medians[kb] = statistics.median(times[kb])
        sentences = len(article_sentences(text, "en"))
        print(f"{len(text.encode('utf-8')) / 1000:7.1f} KB {sentences:6d} sentences: median {medians[kb]:7.3f} s "
              f"(min {min(times[kb]):.3f}, max {max(times[kb]):.3f}), peak memory {peak_memory(text) / 1e6:6.1f} MB, "
              f"summary {len(summaries[kb].split())} words")
    small, large = min(medians), max(medians)
    if small != large:
        print(f"{large} KB / {small} KB: {medians[large] / medians[small]:.1f}x the time for "
              f"{large / small:.0f}x the text")


if __name__ == "__main__":
    main()
