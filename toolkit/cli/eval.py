"""toolkit eval score / compare / run / check."""

from __future__ import annotations

from typing import Optional

import typer

from toolkit.cli.common import app, print_json, user_errors

eval_app = typer.Typer(help="Score summaries and translations against references; compare systems; run suites; "
                            "check translations without references.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")

_METRICS_HELP = "Comma-separated: rouge, bleu, chrf, chrf++, ter, semsim (default: all but semsim)."


def _eval_options(stem: bool, zwnj: str, normalize: bool, bleu_tokenize: Optional[str]):
    from toolkit.eval.metrics import MetricOptions

    return MetricOptions(stem=stem, zwnj=zwnj, normalize=normalize, bleu_tokenize=bleu_tokenize)



@eval_app.command("score")
@user_errors
def eval_score(
    hyp: str = typer.Option(..., "--hyp", help="System outputs: one document per line, or JSONL with --field."),
    ref: list[str] = typer.Option(..., "--ref", help="Reference file; repeat for several references."),
    src: Optional[str] = typer.Option(None, "--src", help="Source documents, for reference-free checks and semsim_src."),
    lang: str = typer.Option("en", "--lang", help="Language of outputs and references."),
    src_lang: Optional[str] = typer.Option(None, "--src-lang", help="Language of the sources (default: --lang)."),
    metrics: Optional[str] = typer.Option(None, "--metrics", help=_METRICS_HELP),
    field: Optional[str] = typer.Option(None, "--field", help="JSONL field holding the text (a.b for nested)."),
    task: str = typer.Option("summary", "--task", help="summary or translation: sets the check thresholds."),
    threshold: list[str] = typer.Option([], "--threshold", help="Override a check threshold: NAME=VALUE."),
    checks: bool = typer.Option(True, "--checks/--no-checks", help="Run the reference-free checks."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap resampling."),
    resamples: int = typer.Option(1000, "--bootstrap", min=10, help="Bootstrap resamples for the 95% intervals."),
    stem: bool = typer.Option(True, "--stem/--no-stem", help="Porter-stem English ROUGE tokens (as rouge-score)."),
    zwnj: str = typer.Option("join", "--zwnj", help="Persian ZWNJ in ROUGE tokens: join (drop it) or keep."),
    normalize: bool = typer.Option(True, "--normalize/--no-normalize", help="Language normalisation before sacrebleu."),
    bleu_tokenize: Optional[str] = typer.Option(None, "--bleu-tokenize", help="sacrebleu tokenizer (13a, intl, char...)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Score outputs against references (ROUGE, BLEU, chrF, chrF++, TER, semantic similarity)."""
    from toolkit.eval.checks import Thresholds
    from toolkit.eval.score import CheckConfig, score_files
    from toolkit.eval.stats import Bootstrap

    check_config = CheckConfig(Thresholds.for_task(task).with_overrides(threshold), src_lang) if checks else None
    result = score_files(hyp, ref, lang, src, field, metrics, _eval_options(stem, zwnj, normalize, bleu_tokenize),
                         Bootstrap(resamples, seed), check_config)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        print_json(result.to_dict())
        return
    from rich.console import Console

    from toolkit.eval.display import checks_table, score_table, signature_lines

    console = Console()
    console.print(score_table(result, f"{hyp}: {len(result.ids)} documents, {lang}, {result.n_refs} reference(s)"))
    for line in signature_lines(result):
        console.print(line, soft_wrap=True, markup=False, highlight=False)
    if result.checks is not None:
        console.print(checks_table(result))


@eval_app.command("compare")
@user_errors
def eval_compare(
    systems: list[str] = typer.Argument(..., help="Output files of the systems; the first is the baseline."),
    ref: list[str] = typer.Option(..., "--ref", help="Reference file; repeat for several references."),
    lang: str = typer.Option("en", "--lang", help="Language of outputs and references."),
    metrics: Optional[str] = typer.Option(None, "--metrics", help=_METRICS_HELP),
    field: Optional[str] = typer.Option(None, "--field", help="JSONL field holding the text."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap resampling."),
    resamples: int = typer.Option(1000, "--bootstrap", min=10, help="Bootstrap resamples."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Paired bootstrap resampling between systems: per metric the difference, its 95% CI and p-value."""
    from toolkit.errors import InputError
    from toolkit.eval.compare import compare_systems
    from toolkit.eval.metrics import MetricOptions, parse_metrics
    from toolkit.eval.stats import Bootstrap

    if len(systems) < 2:
        raise InputError("compare needs at least two systems", "pass SYS_A SYS_B ...")
    comparisons = compare_systems(systems, ref, lang, parse_metrics(metrics), MetricOptions(), Bootstrap(resamples, seed),
                                  field)
    if as_json:
        print_json({"comparisons": [c.to_dict() for c in comparisons], "bootstrap": Bootstrap(resamples, seed).describe()})
        return
    from rich.console import Console

    from toolkit.eval.display import comparison_table

    console = Console()
    for comparison in comparisons:
        console.print(comparison_table(comparison))


@eval_app.command("run")
@user_errors
def eval_run(
    suite: str = typer.Argument(..., help="Suite file, e.g. eval/suites/news-en-fa-sq.yaml."),
    outputs: Optional[str] = typer.Option(None, "--outputs", help="Produced outputs (JSONL or a directory of JSON)."),
    summary_model: Optional[str] = typer.Option(None, "--summary-model", help="Summarisation model of the chain (default: the catalogue's)."),
    model: list[str] = typer.Option([], "--model", help="Translation model of the chain: LANG=ID per target, or ID for every target."),
    out: Optional[str] = typer.Option(None, "--out", help="Report directory (default: eval/reports/<suite>)."),
    metrics: Optional[str] = typer.Option(None, "--metrics", help=_METRICS_HELP + " Default: the suite's."),
    threshold: list[str] = typer.Option([], "--threshold", help="Override a check threshold: NAME=VALUE."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap resampling."),
    resamples: int = typer.Option(1000, "--bootstrap", min=10, help="Bootstrap resamples."),
    langs: Optional[str] = typer.Option(None, "--langs", help="Score only these of the suite's languages, e.g. en."),
    method: str = typer.Option("abstractive", "--method", help="Summariser of the chain: abstractive, extractive (offline) or llm."),
) -> None:
    """Run a suite: produce (or read) outputs, score every language, write report.json/.md/.html."""
    from rich.console import Console

    from toolkit.eval.display import checks_table, score_table
    from toolkit.eval.report import run_and_report
    from toolkit.eval.stats import Bootstrap

    result, paths = run_and_report(suite, out, outputs=outputs, summary_model=summary_model, models=model, metrics=metrics,
                                   bootstrap=Bootstrap(resamples, seed), overrides=threshold, langs=langs, method=method)
    console = Console()
    for lang, res in result.results.items():
        console.print(score_table(res, f"{result.suite.name}: {lang}"))
        console.print(checks_table(res))
    for path in paths:
        typer.echo(f"wrote {path}")


@eval_app.command("check")
@user_errors
def eval_check(
    src: str = typer.Option(..., "--src", help="Source segments, one per line (or JSONL with --field)."),
    hyp: str = typer.Option(..., "--hyp", help="Their translations, line-aligned with --src."),
    src_lang: str = typer.Option("en", "--src-lang", help="Language of the sources."),
    lang: str = typer.Option(..., "--lang", help="Language of the translations."),
    field: Optional[str] = typer.Option(None, "--field", help="JSONL field holding the text (a.b for nested)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Check each translated line without a reference: numbers, names, omission, untranslated, language,
    repetition, length. Reports flagged lines; exits 0 whatever it finds."""
    from toolkit.eval.segment_checks import check_files

    report = check_files(src, hyp, src_lang, lang, field)
    if as_json:
        print_json(report.to_dict())
        return
    from rich.console import Console

    from toolkit.eval.display import flag_counts_table, flagged_lines_table

    console = Console()
    if report.flagged():
        console.print(flagged_lines_table(report))
    console.print(flag_counts_table(report, f"{hyp}: {len(report.flagged())} of {len(report.ids)} lines flagged "
                                            f"({report.source_lang}->{report.lang})"))
