"""toolkit prompts list / show."""

from __future__ import annotations

import typer

from toolkit.cli.common import app, user_errors

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

