"""toolkit cache stats / clear."""

from __future__ import annotations

from typing import Optional

import typer

from toolkit.cli.common import app, print_json, user_errors

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
        print_json({"path": str(memory.path), "bytes": memory.size_bytes(), "segments": sum(s.segments for s in scopes),
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

    memory = TranslationMemory()
    removed = memory.clear(model)
    typer.echo(f"removed {removed} segments" if removed is not None else
               f"removed the corrupt translation memory {memory.path}; a new one is made when next used")

