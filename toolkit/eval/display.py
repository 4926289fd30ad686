"""Rich tables for the ``toolkit eval`` commands."""

from __future__ import annotations

from rich.table import Table

from toolkit.eval.compare import SystemComparison
from toolkit.eval.score import EvalResult
from toolkit.eval.segment_checks import SegmentReport


def score_table(result: EvalResult, title: str) -> Table:
    from toolkit.eval.report import metric_rows

    table = Table(title=title)
    for column in ("metric", "score", "95% CI", "P", "R"):
        table.add_column(column, justify="right" if column in ("score", "P", "R") else "left")
    for name, score, lo, hi in metric_rows(result):
        is_rouge = f"{name}.precision" in result.scores
        p = f"{result.scores[f'{name}.precision']:.2f}" if is_rouge else ""
        r = f"{result.scores[f'{name}.recall']:.2f}" if is_rouge else ""
        table.add_row(name, f"{score:.2f}", f"[{lo:.2f}, {hi:.2f}]", p, r)
    return table


def signature_lines(result: EvalResult) -> list[str]:
    """One line per distinct signature, naming the metrics that share it."""
    signatures: dict[str, list[str]] = {}
    for name, signature in result.signatures.items():
        signatures.setdefault(signature, []).append(name)
    return [f"{'/'.join(names)}: {signature}" for signature, names in signatures.items()]


def checks_table(result: EvalResult) -> Table:
    table = Table(title="Checks (reference-free)")
    for column in ("check", "failed", "documents"):
        table.add_column(column)
    applicable = {c.name for checks in result.checks or () for c in checks if c.passed is not None}
    for name, ids in result.failures().items():
        if name in applicable:
            shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
            table.add_row(name, f"{len(ids)}/{len(result.ids)}", shown)
    return table


def comparison_table(comparison: SystemComparison) -> Table:
    table = Table(title=f"{comparison.system} vs {comparison.baseline} (paired bootstrap)")
    for column in ("metric", "baseline", "system", "delta", "95% CI of delta", "p"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for d in comparison.differences:
        table.add_row(d.key.removesuffix(".fmeasure"), f"{d.baseline:.2f}", f"{d.system:.2f}", f"{d.delta:+.2f}",
                      f"[{d.interval.low:+.2f}, {d.interval.high:+.2f}]", f"{d.p_value:.4f}")
    return table


def flagged_lines_table(report: SegmentReport) -> Table:
    table = Table(title="Flagged lines")
    for column in ("line", "check", "detail", "translation"):
        table.add_column(column, overflow="fold")
    for i in report.flagged():
        flags = report.flags[i]
        table.add_row(report.ids[i], "\n".join(f.check for f in flags), "\n".join(f.detail for f in flags),
                      report.translations[i])
    return table


def flag_counts_table(report: SegmentReport, title: str) -> Table:
    table = Table(title=title)
    table.add_column("check")
    table.add_column("flagged lines", justify="right")
    for check, count in report.counts().items():
        table.add_row(check, str(count))
    return table
