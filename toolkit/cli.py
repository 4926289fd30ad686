"""The ``toolkit`` command: parses arguments, calls the library, formats results.

Heavy libraries (torch, transformers) are imported inside commands, never at module level,
so ``toolkit --help`` answers at once.
"""

from __future__ import annotations

import functools
from typing import Callable, Optional, TypeVar

import typer

from toolkit import __version__
from toolkit.errors import ToolkitError

F = TypeVar("F", bound=Callable)


def user_errors(command: F) -> F:
    """Turn a ToolkitError into one line on stderr and its exit code; Ctrl-C into exit 130."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ToolkitError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted: finished results are saved; run the same command again to resume", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


app = typer.Typer(
    name="toolkit",
    help="Summarise, translate and score multilingual news (English, Persian, Albanian and more).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"toolkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Summarise, translate and score multilingual news."""


def main() -> None:
    """Console entry point."""
    app()


# --------------------------------------------------------------------------- translate

def _progress_reporter(total: Callable[[], int | None], quiet: bool):
    """A rich progress bar on stderr (documents, sentences/s, ETA), or None when quiet or not a terminal."""
    import time

    from rich.console import Console

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("translating"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
        TextColumn("{task.fields[rate]:.1f} sentences/s"), TimeRemainingColumn(), console=console,
    )
    task = progress.add_task("translate", total=total(), rate=0.0)  # counted only when a bar is shown
    started = time.monotonic()
    sentences = 0

    def report(records: int, new_sentences: int) -> None:
        nonlocal sentences
        sentences += new_sentences
        rate = sentences / max(time.monotonic() - started, 1e-6)
        progress.update(task, advance=records, rate=rate)

    return progress, report


def _count_records(items: list[str], kind: str) -> int | None:
    from pathlib import Path

    if kind == "documents":
        return None if any(Path(i).is_dir() for i in items) else len(items)
    total = 0
    for item in items:
        with open(item, "rb") as f:
            total += sum(1 for line in f if line.strip())
    return total - (len(items) if kind == "table" else 0)


QUANTIZATION_HELP = "ct2 weights: int8, float16, float32... (env TOOLKIT_QUANTIZATION; default int8 on CPU, float16 on CUDA)."


@app.command()
@user_errors
def translate(
    inputs: list[str] = typer.Argument(..., help="Texts, files (.txt/.md/.jsonl/.csv/.tsv), folders, or - for stdin."),
    to: str = typer.Option(..., "--to", help="Target languages, comma-separated (fa,sq)."),
    source: str = typer.Option("en", "--from", help="Source language."),
    model: Optional[list[str]] = typer.Option(None, "--model", help="Model id or folder; LANG=MODEL per target (repeatable)."),
    out: Optional[str] = typer.Option(None, "--out", help="Output file or folder (resumable); default standard output."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines with provenance and text direction."),
    field: str = typer.Option("text", "--field", help="JSONL field to translate."),
    id_field: str = typer.Option("id", "--id-field", help="JSONL/CSV field that identifies a record."),
    column: str = typer.Option("text", "--column", help="CSV/TSV column to translate."),
    beams: int = typer.Option(1, "--beams", min=1, help="Beam size (1 = greedy)."),
    batch_tokens: Optional[int] = typer.Option(None, "--batch-tokens", min=16, help="Padded tokens per batch (env TOOLKIT_BATCH_TOKENS; default 2048 on CPU, 8192 on GPU)."),
    backend: str = typer.Option("auto", "--backend", help="Inference backend: auto (ct2 when it runs the model, else hf), ct2 or hf."),
    quantization: Optional[str] = typer.Option(None, "--quantization", help=QUANTIZATION_HELP),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads (env TOOLKIT_THREADS; default all cores this process may use)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Bypass the translation memory (finished segments are not looked up or stored)."),
    errors: str = typer.Option("strict", "--errors", help="Undecodable bytes: strict (stop) or replace."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Write bad records (malformed JSONL lines, empty or undecodable files in a folder) to a rejects file and go on."),
    restart: bool = typer.Option(False, "--restart", help="Discard an unfinished job's partial output and start again."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Translate texts, files, folders, JSONL or CSV into one or more languages."""
    from pathlib import Path

    from toolkit.errors import InputError
    from toolkit.io.inputs import InputOptions, classify
    from toolkit.languages import get_language, parse_language_list
    from toolkit.provenance import DecodingSettings
    from toolkit.settings import setting
    from toolkit.translate.factory import build_translator, parse_model_options
    from toolkit.translate.job import POOL_CHARS, JobOptions, run_translation_job
    from toolkit.translate.memory import TranslationMemory

    if errors not in ("strict", "replace"):
        raise InputError(f"--errors must be strict or replace, not '{errors}'")
    targets = parse_language_list(to)
    source = get_language(source).code
    input_set = classify(inputs, InputOptions(field=field, id_field=id_field, column=column, errors=errors, skip_bad=skip_bad))
    default_model, per_target = parse_model_options(model)
    decoding = DecodingSettings(beams=beams)
    memory = None if no_cache else TranslationMemory()
    translators = {
        t: build_translator(source, t, per_target.get(t, default_model), backend, decoding, memory=memory,
                            quantization=quantization, threads=threads)
        for t in targets
    }
    options = JobOptions(
        out=Path(out) if out else None, as_json=as_json, restart=restart,
        batch_tokens=setting("batch_tokens", batch_tokens, None, int),
        pool_chars=setting("pool_chars", None, POOL_CHARS, int),
    )
    progress, report = _progress_reporter(lambda: _count_records(input_set.items, input_set.kind), quiet)
    if progress:
        with progress:
            summary = run_translation_job(input_set, translators, options, report)
    else:
        summary = run_translation_job(input_set, translators, options)
    done = f"translated {summary.records} records into {', '.join(targets)} ({summary.sentences} distinct sentences)"
    _report_job(done if out and not quiet else None, summary.resumed, summary.rejected, summary.outputs, "records")
    cut = {t: n for t, n in summary.bound_reached.items() if n}
    if cut:
        counts = ", ".join(f"{t}: {n}" for t, n in cut.items())
        typer.echo(f"warning: {sum(cut.values())} translated sentences ({counts}) stopped at the output length bound "
                   "(2 x source tokens + 10) and may be cut short; this usually means the model looped: check them, "
                   "or try --beams 4", err=True)


def _report_job(done: str | None, resumed: int, rejected: int, outputs: list[str], noun: str) -> None:
    """On stderr: what a job to files did (``done``, when given) and where its rejects went."""
    if done:
        if resumed:
            done += f"; {resumed} were already done"
        typer.echo(f"{done}: {', '.join(outputs)}", err=True)
    if rejected:
        typer.echo(f"skipped {rejected} bad {noun}: see {outputs[-1]}", err=True)


# --------------------------------------------------------------------------- models

models_app = typer.Typer(help="The model catalogue, and models on this machine.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
@user_errors
def models_list(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Catalogue models per task and pair, and whether each is on this machine."""
    from toolkit.models.listing import catalogue_rows

    rows = catalogue_rows()
    if as_json:
        import json

        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("task", "pair", "model", "role", "licence", "size", "published", "here")
    for col in table.columns:
        col.no_wrap = True
    for r in rows:
        size = f"{r['download_mb']} MB" if r["download_mb"] else ""
        table.add_row(r["task"], r["pair"], r["model"], r["role"], r["license"], size, r["quality"], r["present"] or "-")
    console = Console()
    console.width = max(console.width, 150)
    console.print(table)
    typer.echo("Published figures with their test sets: toolkit models info MODEL")


@models_app.command("info")
@user_errors
def models_info(model_id: str = typer.Argument(..., help="Catalogue id, imported name or folder.")) -> None:
    """Everything known about one model: catalogue facts and where it is."""
    import json

    from toolkit.models.listing import model_info

    typer.echo(json.dumps(model_info(model_id), indent=2, ensure_ascii=False))


@models_app.command("import")
@user_errors
def models_import(
    folder: str = typer.Argument(..., help="A model folder (as written by save_pretrained or a hub snapshot)."),
    name: str = typer.Option(..., "--name", help="Name to register it under, e.g. the hub id Helsinki-NLP/opus-mt-en-sq."),
    copy: bool = typer.Option(False, "--copy", help="Copy the folder into toolkit's data folder instead of using it in place."),
) -> None:
    """Register a model folder so that --model NAME (and the catalogue default NAME) loads it offline."""
    from pathlib import Path

    from toolkit.models.store import import_model

    source = import_model(Path(folder), name, copy)
    typer.echo(f"imported {name} from {source.location} (revision {source.revision})")


# --------------------------------------------------------------------------- summarize, chain, prompts

BACKEND_HELP = ("Backend of the abstractive summariser and the translators: auto (ct2 when installed and it runs "
                "the model: BART, T5, Marian, M2M100, NLLB), ct2 or hf. --method llm always runs on hf.")


def _chain_options(source: str, method: str, summary_model: Optional[str], prompt: Optional[str],
                   max_words: Optional[int], sentences: Optional[int], model: Optional[list[str]], beams: int, steps,
                   backend: str = "auto", no_cache: bool = False, quantization: Optional[str] = None):
    from toolkit.chain import ChainOptions
    from toolkit.languages import get_language
    from toolkit.summarize import SummaryLength
    from toolkit.translate.factory import parse_model_options

    default_model, per_target = parse_model_options(model)
    return ChainOptions(
        steps=steps, source=None if source == "auto" else get_language(source).code, method=method,
        summary_model=summary_model, prompt=prompt, length=SummaryLength(max_words, sentences),
        translation_model=default_model, translation_models=per_target, beams=beams,
        backend=backend, quantization=quantization, translation_memory=not no_cache,
    )


def _print_result(result, as_json: bool) -> None:
    """JSON, or the summary alone, or each language's summary under a ``[lang]`` line."""
    import json

    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    texts = result.summary or result.translations
    for lang, text in texts.items():
        if len(texts) > 1:
            typer.echo(f"[{lang}]")
        typer.echo(text)


@app.command()
@user_errors
def summarize(
    article: str = typer.Argument(..., help="A .txt, .md or .html file, a text, or - for standard input."),
    method: str = typer.Option("abstractive", "--method", help="abstractive, extractive (offline, no model) or llm."),
    model: Optional[str] = typer.Option(None, "--model", help="Summarisation model id, imported name or folder."),
    max_words: Optional[int] = typer.Option(None, "--max-words", min=1, help="At most this many words (default 80; extractive: 3 sentences)."),
    sentences: Optional[int] = typer.Option(None, "--sentences", min=1, help="At most this many sentences."),
    to: Optional[str] = typer.Option(None, "--to", help="Also translate the summary into these languages (fa,sq)."),
    source: str = typer.Option("auto", "--from", help="The article's language, or auto to detect it."),
    prompt: Optional[str] = typer.Option(None, "--prompt", help="Prompt template name (toolkit prompts list) or file."),
    translation_model: Optional[list[str]] = typer.Option(None, "--translation-model", help="Translation model; LANG=MODEL per target."),
    backend: str = typer.Option("auto", "--backend", help=BACKEND_HELP),
    quantization: Optional[str] = typer.Option(None, "--quantization", help=QUANTIZATION_HELP),
    as_json: bool = typer.Option(False, "--json", help="JSON with the summaries by language and a manifest."),
) -> None:
    """Summarise one article; --to also translates the summary."""
    from toolkit.chain import plan_steps, run_chain

    options = _chain_options(source, method, model, prompt, max_words, sentences, translation_model, 1, plan_steps(None, to),
                             backend, quantization=quantization)
    run_chain([article], options, emit=lambda r: _print_result(r, as_json))


@app.command()
@user_errors
def chain(
    inputs: list[str] = typer.Argument(..., help="Articles: texts, files (.txt/.md/.html/.jsonl/.csv), folders, or -."),
    to: Optional[str] = typer.Option(None, "--to", help="Summary languages besides the source's (default: fa,sq)."),
    steps: Optional[str] = typer.Option(None, "--steps", help="Steps in order, e.g. translate:fa,summarize or translate:en,translate:sq."),
    source: str = typer.Option("auto", "--from", help="The articles' language, or auto to detect each."),
    method: str = typer.Option("abstractive", "--method", help="Summariser: abstractive, extractive or llm."),
    summary_model: Optional[str] = typer.Option(None, "--summary-model", help="Summarisation model id, imported name or folder."),
    model: Optional[list[str]] = typer.Option(None, "--model", help="Translation model; LANG=MODEL per target (repeatable)."),
    max_words: Optional[int] = typer.Option(None, "--max-words", min=1, help="Summary length in words (default 80)."),
    sentences: Optional[int] = typer.Option(None, "--sentences", min=1, help="Summary length in sentences."),
    prompt: Optional[str] = typer.Option(None, "--prompt", help="Prompt template name or file for the summariser."),
    beams: int = typer.Option(1, "--beams", min=1, help="Translation beam size."),
    backend: str = typer.Option("auto", "--backend", help=BACKEND_HELP),
    quantization: Optional[str] = typer.Option(None, "--quantization", help=QUANTIZATION_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help="Bypass the translation memory."),
    out: Optional[str] = typer.Option(None, "--out", help="JSONL output file (resumable); default standard output."),
    restart: bool = typer.Option(False, "--restart", help="Discard an unfinished job's partial output and start again."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Set bad articles aside in a rejects file and go on."),
) -> None:
    """Summarise articles and translate the summaries (or any order of steps); JSON lines per article."""
    from pathlib import Path

    from toolkit.chain import plan_steps, run_chain

    plan = plan_steps(steps, to, default_targets="fa,sq")
    options = _chain_options(source, method, summary_model, prompt, max_words, sentences, model, beams, plan,
                             backend, no_cache, quantization)
    emit = None if out else (lambda r: _print_result(r, True))
    report = run_chain(inputs, options, Path(out) if out else None, restart, skip_bad, emit)
    done = f"chained {len(report.results)} articles" if out else None
    _report_job(done, report.resumed, report.rejected, report.outputs, "articles")


prompts_app = typer.Typer(help="Prompt templates for instruction models and T5-style task prefixes.", no_args_is_help=True)
app.add_typer(prompts_app, name="prompts")


@prompts_app.command("list")
@user_errors
def prompts_list() -> None:
    """The shipped prompt templates: name, task, variables and what each is for."""
    from toolkit.templates import list_templates

    for t in list_templates():
        variables = ", ".join("{" + v + "}" for v in t.variables)
        typer.echo(f"{t.name:<22} {t.task or '-':<10} {variables:<48} {t.description}")


@prompts_app.command("show")
@user_errors
def prompts_show(name: str = typer.Argument(..., help="A template name from `toolkit prompts list`, or a file.")) -> None:
    """Print one template as the model will see it, before its variables are filled."""
    from toolkit.templates import load_template

    typer.echo(load_template(name).body)


# ---------------------------------------------------------------------------
# Speed (issue #5): ahead-of-time ct2 conversion and the translation memory.
# Library: toolkit/models/ct2.py, toolkit/translate/memory.py.
# ---------------------------------------------------------------------------

@models_app.command("convert")
@user_errors
def models_convert(
    model_id: str = typer.Argument(..., help="Catalogue id, imported name or folder."),
    quantization: Optional[str] = typer.Option(None, "--quantization", help="int8, int8_float16, float16, float32... (default int8 on CPU, float16 on CUDA)."),
    force: bool = typer.Option(False, "--force", help="Convert again even if a converted copy is cached."),
) -> None:
    """Convert a model for the ct2 backend now, instead of on first use."""
    from toolkit.models.ct2 import convert, ct2_device, default_quantization
    from toolkit.settings import setting

    chosen = setting("quantization", quantization, None, str) or default_quantization(ct2_device()[0])
    typer.echo(f"converted {model_id} ({chosen}): {convert(model_id, chosen, force)}")


cache_app = typer.Typer(help="The translation memory: finished segments, never computed twice.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("stats")
@user_errors
def cache_stats(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Segments stored per model, language pair and settings; the file and its size."""
    from toolkit.translate.memory import TranslationMemory

    memory = TranslationMemory()
    scopes = list(memory.stats())
    if as_json:
        _print_json({"path": str(memory.path), "bytes": memory.size_bytes(), "segments": sum(s.segments for s in scopes),
                     "scopes": [{**s.description, "segments": s.segments} for s in scopes]})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("model", "pair", "backend", "quantization", "beams", "segments")
    for s in scopes:
        d = s.description
        table.add_row(d["model"], d["pair"], d["backend"], d["quantization"] or "-", str(d["decoding"]["beams"]), str(s.segments))
    Console().print(table)
    typer.echo(f"{sum(s.segments for s in scopes)} segments, {memory.size_bytes() / 1e6:.1f} MB in {memory.path}")


@cache_app.command("clear")
@user_errors
def cache_clear(model: Optional[str] = typer.Option(None, "--model", help="Only this model's segments.")) -> None:
    """Delete the translation memory's segments (all, or one model's)."""
    from toolkit.translate.memory import TranslationMemory

    typer.echo(f"removed {TranslationMemory().clear(model)} segments")


# ---------------------------------------------------------------------------
# toolkit eval: score, compare, run (issue #4). Library: toolkit/eval/.
# ---------------------------------------------------------------------------

eval_app = typer.Typer(help="Score summaries and translations against references; compare systems; run suites.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")

_METRICS_HELP = "Comma-separated: rouge, bleu, chrf, chrf++, ter, semsim (default: all but semsim)."


def _eval_options(stem: bool, zwnj: str, normalize: bool, bleu_tokenize: Optional[str]):
    from toolkit.eval.metrics import MetricOptions

    return MetricOptions(stem=stem, zwnj=zwnj, normalize=normalize, bleu_tokenize=bleu_tokenize)


def _print_json(data: dict) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


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
    if as_json:
        _print_json(result.to_dict())
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
        _print_json({"comparisons": [c.to_dict() for c in comparisons], "bootstrap": Bootstrap(resamples, seed).describe()})
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
    model: list[str] = typer.Option([], "--model", help="Model for the chain: NAME (summariser) or LANG=NAME."),
    out: Optional[str] = typer.Option(None, "--out", help="Report directory (default: eval/reports/<suite>)."),
    metrics: Optional[str] = typer.Option(None, "--metrics", help=_METRICS_HELP + " Default: the suite's."),
    threshold: list[str] = typer.Option([], "--threshold", help="Override a check threshold: NAME=VALUE."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap resampling."),
    resamples: int = typer.Option(1000, "--bootstrap", min=10, help="Bootstrap resamples."),
    langs: Optional[str] = typer.Option(None, "--langs", help="Score only these of the suite's languages, e.g. en."),
    method: str = typer.Option("abstractive", "--method", help="Summariser of the chain: abstractive, extractive (offline) or llm."),
) -> None:
    """Run a suite: produce (or read) outputs, score every language, write report.json/.md/.html."""
    from pathlib import Path

    from rich.console import Console

    from toolkit.eval.display import checks_table, score_table
    from toolkit.eval.metrics import MetricOptions
    from toolkit.eval.report import write_reports
    from toolkit.eval.stats import Bootstrap
    from toolkit.eval.suite import run_suite

    models = dict(m.split("=", 1) if "=" in m else ("summarize", m) for m in model)
    from toolkit.languages import parse_language_list

    chosen = parse_language_list(langs) if langs else None
    result = run_suite(suite, outputs, models, metrics, MetricOptions(), Bootstrap(resamples, seed), threshold, chosen,
                       method)
    paths = write_reports(result, out or Path("eval/reports") / result.suite.name)
    console = Console()
    for lang, res in result.results.items():
        console.print(score_table(res, f"{result.suite.name}: {lang}"))
        console.print(checks_table(res))
    for path in paths:
        typer.echo(f"wrote {path}")
