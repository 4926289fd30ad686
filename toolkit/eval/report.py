"""Suite reports: ``report.json`` (everything), ``report.md`` (tables) and a self-contained
``report.html`` whose plots are inline SVG drawn here (no scripts, fonts or files fetched)."""

from __future__ import annotations

import json
import os
import tempfile
from html import escape
from pathlib import Path
from typing import Any

from toolkit.errors import InputError
from toolkit.eval.checks import CHECK_NAMES
from toolkit.eval.score import EvalResult
from toolkit.eval.suite import SuiteResult, load_suite, run_suite
from toolkit.languages import get_language

DEFAULT_REPORTS = Path("eval/reports")

PLOT_KEYS = ("rouge1.fmeasure", "rouge2.fmeasure", "rougeL.fmeasure", "rougeLsum.fmeasure", "bleu", "chrf", "chrf++",
             "ter", "semsim", "semsim_src")
_COLORS = ("#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5")


def metric_rows(result: EvalResult) -> list[tuple[str, float, float, float]]:
    """(label, score, CI low, CI high) of each headline score: F-measure for ROUGE."""
    rows = []
    for key in PLOT_KEYS:
        if key in result.scores:
            ci = result.ci[key]
            rows.append((key.removesuffix(".fmeasure"), result.scores[key], ci.low, ci.high))
    return rows


def check_writable(folder: Path) -> None:
    """Create ``folder`` if needed and make sure files can be written in it: an InputError if not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-check-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"cannot write the report to {folder}: {exc.strerror or exc}",
                         "choose a folder you can write to") from None


def run_and_report(suite_path: str | Path, out_dir: str | Path | None = None,
                   **run_options: Any) -> tuple[SuiteResult, list[Path]]:
    """Run a suite (see ``run_suite``) and write its reports to ``out_dir`` (default
    ``eval/reports/<suite name>``), whose writability is checked before any model is loaded."""
    suite = load_suite(suite_path)
    out = Path(out_dir) if out_dir else DEFAULT_REPORTS / suite.name
    check_writable(out)
    result = run_suite(suite, **run_options)
    return result, write_reports(result, out)


def write_reports(result: SuiteResult, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / "report.html"]
    paths[0].write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(result), encoding="utf-8")
    paths[2].write_text(html(result), encoding="utf-8")
    return paths


def _failed(result: EvalResult) -> list[tuple[str, str, str]]:
    """(document, check, detail) of every failed check."""
    rows = []
    for doc_id, checks in zip(result.ids, result.checks or ()):
        rows.extend((doc_id, c.name, c.detail) for c in checks if c.passed is False)
    return rows


def markdown(result: SuiteResult) -> str:
    lines = [f"# Evaluation report: {result.suite.name}", "",
             f"{len(result.suite.articles)} articles; outputs from {result.origin}.", ""]
    for lang, res in result.results.items():
        lines += [f"## {get_language(lang).name} ({lang})", "", "| metric | score | 95% CI |", "|---|---:|---|"]
        lines += [f"| {name} | {score:.2f} | [{lo:.2f}, {hi:.2f}] |" for name, score, lo, hi in metric_rows(res)]
        lines += ["", "Signatures:", ""]
        lines += [f"- {name}: `{sig}`" for name, sig in res.signatures.items()]
        failed = _failed(res)
        lines += ["", f"### Failed checks ({len(failed)})", ""]
        if failed:
            lines += ["| document | check | detail |", "|---|---|---|"]
            lines += [f"| {d} | {c} | {detail} |" for d, c, detail in failed]
        else:
            lines.append("None.")
        keys = [k for k in PLOT_KEYS if k in res.per_doc]
        lines += ["", "### Per document", "", "| document | " + " | ".join(k.removesuffix(".fmeasure") for k in keys) + " |",
                  "|---|" + "---:|" * len(keys)]
        for i, doc_id in enumerate(res.ids):
            lines.append(f"| {doc_id} | " + " | ".join(f"{res.per_doc[k][i]:.1f}" for k in keys) + " |")
        lines.append("")
    return "\n".join(lines)


def _svg_scores(res: EvalResult) -> str:
    """Per-document scores as dots, one row per metric, with the corpus score and its 95% CI."""
    rows = metric_rows(res)
    width, left, row_h = 640, 110, 26
    height = row_h * len(rows) + 40
    x = lambda v: left + (width - left - 20) * max(0.0, min(v, 100.0)) / 100  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="score distributions"><style>text{{font:11px sans-serif}}</style>']
    for tick in range(0, 101, 20):
        parts.append(f'<line x1="{x(tick)}" x2="{x(tick)}" y1="10" y2="{height - 25}" stroke="#ddd"/>'
                     f'<text x="{x(tick)}" y="{height - 10}" text-anchor="middle">{tick}</text>')
    for r, (name, score, lo, hi) in enumerate(rows):
        y = 22 + r * row_h
        key = name if name in res.per_doc else f"{name}.fmeasure"
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{escape(name)}</text>')
        parts.append(f'<line x1="{x(lo)}" x2="{x(hi)}" y1="{y}" y2="{y}" stroke="#333" stroke-width="3"/>')
        for v in res.per_doc[key]:
            parts.append(f'<circle cx="{x(v):.1f}" cy="{y - 7}" r="3" fill="{_COLORS[0]}" fill-opacity="0.6"/>')
        parts.append(f'<circle cx="{x(score):.1f}" cy="{y}" r="4.5" fill="#d62728"><title>{score:.2f} '
                     f'[{lo:.2f}, {hi:.2f}]</title></circle>')
    return "".join(parts) + "</svg>"


def _svg_documents(result: SuiteResult, key: str) -> str:
    """One group of bars per document, one bar per language, for one score key."""
    langs = [lang for lang, res in result.results.items() if key in res.per_doc]
    ids = [a.id for a in result.suite.articles]
    bar, gap, left, plot_h = 12, 18, 40, 160
    width = left + len(ids) * (len(langs) * bar + gap) + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{plot_h + 90}" role="img" '
             f'aria-label="per-document {escape(key)}"><style>text{{font:11px sans-serif}}</style>']
    for tick in range(0, 101, 25):
        y = 10 + plot_h * (1 - tick / 100)
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y}" y2="{y}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4}" text-anchor="end">{tick}</text>')
    for d, doc_id in enumerate(ids):
        x0 = left + d * (len(langs) * bar + gap) + gap / 2
        for j, lang in enumerate(langs):
            v = result.results[lang].per_doc[key][d]
            h = plot_h * max(0.0, min(v, 100.0)) / 100
            parts.append(f'<rect x="{x0 + j * bar}" y="{10 + plot_h - h:.1f}" width="{bar - 1}" height="{h:.1f}" '
                         f'fill="{_COLORS[j % len(_COLORS)]}"><title>{escape(doc_id)} {lang}: {v:.1f}</title></rect>')
        parts.append(f'<text transform="translate({x0 + 4},{plot_h + 18}) rotate(35)">{escape(doc_id[:18])}</text>')
    for j, lang in enumerate(langs):
        parts.append(f'<rect x="{left + j * 60}" y="{plot_h + 72}" width="10" height="10" fill="{_COLORS[j]}"/>'
                     f'<text x="{left + j * 60 + 14}" y="{plot_h + 81}">{lang}</text>')
    return "".join(parts) + "</svg>"


def _checks_table(res: EvalResult) -> str:
    head = "".join(f"<th>{n}</th>" for n in CHECK_NAMES)
    body = []
    for doc_id, checks in zip(res.ids, res.checks or ()):
        cells = []
        for c in checks:
            state = {True: "pass", False: "fail", None: "na"}[c.passed]
            value = "n/a" if c.value is None else f"{c.value:.2f}"
            cells.append(f'<td class="{state}" title="{escape(c.detail)}">{value}</td>')
        body.append(f"<tr><th>{escape(doc_id)}</th>{''.join(cells)}</tr>")
    return f"<table><tr><th>document</th>{head}</tr>{''.join(body)}</table>"


_CSS = """body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
td.num{text-align:right}td.pass{background:#e3f4e1}td.fail{background:#fbd5d0;font-weight:bold}td.na{color:#999}
code{font-size:12px;word-break:break-all}.out{border-left:3px solid #ccc;padding:2px 8px;margin:4px 0}"""


def html(result: SuiteResult) -> str:
    s = result.suite
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(s.name)} evaluation</title>"
             f"<style>{_CSS}</style></head><body><h1>Evaluation report: {escape(s.name)}</h1>"
             f"<p>{len(s.articles)} articles; outputs from {escape(result.origin)}.</p>"]
    for key in ("chrf", "rougeL.fmeasure"):
        if any(key in r.per_doc for r in result.results.values()):
            parts.append(f"<h2>Per-document {escape(key.removesuffix('.fmeasure'))}</h2>{_svg_documents(result, key)}")
    for lang, res in result.results.items():
        language = get_language(lang)
        parts.append(f"<h2>{language.name} ({lang})</h2><table><tr><th>metric</th><th>score</th><th>95% CI</th>"
                     "<th>signature</th></tr>")
        for name, score, lo, hi in metric_rows(res):
            sig = res.signatures.get(name.split(".")[0], res.signatures.get(name, ""))
            parts.append(f'<tr><td>{escape(name)}</td><td class="num">{score:.2f}</td>'
                         f'<td>[{lo:.2f}, {hi:.2f}]</td><td><code>{escape(sig)}</code></td></tr>')
        parts.append("</table><h3>Score distributions</h3>" + _svg_scores(res))
        failed = _failed(res)
        parts.append(f"<h3>Checks ({len(failed)} failed)</h3>" + _checks_table(res))
        parts.append("<h3>Outputs</h3>")
        for article in s.articles:
            text = escape(result.outputs[article.id][lang])
            parts.append(f'<p><b>{escape(article.id)}</b></p><div class="out" lang="{lang}" '
                         f'dir="{language.direction}">{text}</div>')
    return "".join(parts) + "</body></html>\n"

