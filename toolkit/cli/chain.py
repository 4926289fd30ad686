"""toolkit summarize and toolkit chain."""

from __future__ import annotations

from typing import Optional

import typer

from toolkit.cli import engine as ray_options
from toolkit.cli.common import (DOCUMENTS_HELP, FLAGGED_EXIT, QUANTIZATION_HELP, app, counted, report_flags, report_job,
                                 report_left_out, stops_on_sigterm, user_errors)

ERRORS_HELP = "Undecodable bytes: strict (stop) or replace."
BACKEND_HELP = ("Backend of the summariser (abstractive or llm) and the translators: auto (llama.cpp for an llm "
                "imported from a GGUF file when the llama extra is installed; else ct2 when installed and it runs the "
                "model's family; else hf), ct2, hf or llama.cpp (llm only).")


def _print_result(result, as_json: bool) -> None:
    """JSON, or the summary alone, or each language's summary under a ``[lang]`` line (flagged sentences
    as ``warning:`` lines on stderr)."""
    import json

    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    texts = result.summary or result.translations
    for lang, text in texts.items():
        if len(texts) > 1:
            typer.echo(f"[{lang}]")
        typer.echo(text)
    for lang, flagged in result.summary_flags.items():
        for item in flagged:
            why = "; ".join(f"{f['check']} {f['detail']}" for f in item["flags"])
            typer.echo(f"warning: summary sentence {item['sentence'] + 1} ({lang}) states what the article does not: {why}",
                       err=True)
    for lang, flagged in (result.flags or {}).items():
        for item in flagged:
            why = "; ".join(f"{f['check']} {f['detail']}" for f in item["flags"])
            typer.echo(f"warning: translated sentence {item['segment'] + 1} ({lang}) is flagged: {why}", err=True)


@app.command()
@user_errors
@stops_on_sigterm
def summarize(
    article: str = typer.Argument(..., help="A document file (.txt, .md, .html, .docx, .pdf... any kind docs/documents.md lists), a folder of them (a bad one is set aside, exit 2), a text, or - for standard input."),
    method: str = typer.Option("abstractive", "--method", help="abstractive, extractive (offline, no model) or llm."),
    summary_model: Optional[str] = typer.Option(None, "--summary-model", help="Summarisation model id, imported name or folder."),
    max_words: Optional[int] = typer.Option(None, "--max-words", min=1, help="At most this many words (default 80; extractive: 3 sentences)."),
    sentences: Optional[int] = typer.Option(None, "--sentences", min=1, help="At most this many sentences."),
    to: Optional[str] = typer.Option(None, "--to", help="Also translate the summary into these languages (fa,sq)."),
    source: str = typer.Option("auto", "--from", help="The article's language, or auto to detect it."),
    prompt: Optional[str] = typer.Option(None, "--prompt", help="Prompt template name (toolkit prompts list) or file."),
    model: Optional[list[str]] = typer.Option(None, "--model", help="Translation model (with --to): ID for every target, LANG=ID per target (repeatable)."),
    backend: str = typer.Option("auto", "--backend", help=BACKEND_HELP),
    quantization: Optional[str] = typer.Option(None, "--quantization", help=QUANTIZATION_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help="Bypass the translation memory (with --to)."),
    errors: str = typer.Option("strict", "--errors", help=ERRORS_HELP),
    as_json: bool = typer.Option(False, "--json", help="JSON with the summaries by language and a manifest."),
) -> None:
    """Summarise one article; --to also translates the summary."""
    from toolkit.chain import chain_options, plan_steps, run_chain

    options = chain_options(plan_steps(None, to), source, method, summary_model, prompt, max_words, sentences, model or (),
                            backend=backend, quantization=quantization, memory=not no_cache)
    report_left_out([article])
    report = run_chain([article], options, emit=lambda r: _print_result(r, as_json), errors=errors)
    report_job(None, report.resumed, report.set_aside, report.outputs, "article")
    report.set_aside.check(False, "fix them and run the same command again")  # summarize has no --skip-bad


@app.command()
@user_errors
@stops_on_sigterm
def chain(
    inputs: list[str] = typer.Argument(..., help=f"Articles: texts, {DOCUMENTS_HELP}, folders, or -."),
    to: Optional[str] = typer.Option(None, "--to", help="Summary languages besides the source's (default: fa,sq)."),
    steps: Optional[str] = typer.Option(None, "--steps", help="Steps in order, e.g. translate:fa,summarize or translate:en,translate:sq."),
    source: str = typer.Option("auto", "--from", help="The articles' language, or auto to detect each."),
    method: str = typer.Option("abstractive", "--method", help="Summariser: abstractive, extractive or llm."),
    summary_model: Optional[str] = typer.Option(None, "--summary-model", help="Summarisation model id, imported name or folder."),
    model: Optional[list[str]] = typer.Option(None, "--model", help="Translation model: ID for every target, LANG=ID per target (repeatable)."),
    max_words: Optional[int] = typer.Option(None, "--max-words", min=1, help="Summary length in words (default 80)."),
    sentences: Optional[int] = typer.Option(None, "--sentences", min=1, help="Summary length in sentences."),
    prompt: Optional[str] = typer.Option(None, "--prompt", help="Prompt template name or file for the summariser."),
    beams: int = typer.Option(1, "--beams", min=1, help="Translation beam size."),
    backend: str = typer.Option("auto", "--backend", help=BACKEND_HELP),
    quantization: Optional[str] = typer.Option(None, "--quantization", help=QUANTIZATION_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help="Bypass the translation memory."),
    no_protect: bool = typer.Option(False, "--no-protect", help="Send URLs, e-mails, @handles, placeholders and inline code to the model too (setting protect)."),
    glossary: Optional[str] = typer.Option(None, "--glossary", help="TSV/CSV of terms for the translations: header source<TAB>fa<TAB>sq..., = keeps the source term (setting glossary)."),
    no_flags: bool = typer.Option(False, "--no-flags", help="Do not check each translated segment; results carry no flags (setting flags)."),
    fail_on_flags: bool = typer.Option(False, "--fail-on-flags", help=f"Exit {FLAGGED_EXIT} (after writing everything) when any translated segment is flagged."),
    out: Optional[str] = typer.Option(None, "--out", help="JSONL output file (resumable); default standard output."),
    restart: bool = typer.Option(False, "--restart", help="Discard an unfinished job's partial output and start again."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Set bad articles aside in a rejects file and go on, exit 0. A bad document of an input folder is set aside without it too, and the command then exits 2."),
    column: str = typer.Option("text", "--column", help="CSV/TSV column holding the article."),
    errors: str = typer.Option("strict", "--errors", help=ERRORS_HELP),
    as_json: bool = typer.Option(True, "--json/--text", help="Standard output as JSON lines, one per article (default), or as text."),
    engine: str = ray_options.ENGINE,
    address: Optional[str] = ray_options.ADDRESS,
    actors: str = ray_options.ACTORS,
    cpus_per_actor: float = ray_options.CPUS,
    gpus_per_actor: float = ray_options.GPUS,
) -> None:
    """Summarise articles and translate the summaries (or any order of steps); JSON lines per article."""
    from pathlib import Path

    from toolkit import engines
    from toolkit.chain import chain_options, plan_steps

    plan = plan_steps(steps, to, default_targets="fa,sq")
    options = chain_options(plan, source, method, summary_model, prompt, max_words, sentences, model or (), beams,
                            backend, quantization, not no_cache, False if no_protect else None, glossary,
                            False if no_flags else None)
    emit = None if out else (lambda r: _print_result(r, as_json))
    cluster = ray_options.cluster_options(engine, address, actors, cpus_per_actor, gpus_per_actor)
    report_left_out(inputs)
    report = engines.chain(inputs, options, Path(out) if out else None, cluster, restart, skip_bad, emit, column, errors)
    done = f"chained {counted(len(report.results), 'article')}" if out else None
    report_job(done, report.resumed, report.set_aside, report.outputs, "article")
    report_flags(report.flags, "see each result's flags")
    report.set_aside.check(skip_bad)  # bad input (exit 2) before flags (exit 3)
    if report.flags.get("segments") and fail_on_flags:
        raise typer.Exit(FLAGGED_EXIT)

