"""toolkit serve: the HTTP service, its API keys (toolkit serve keys add|list|remove) and the
suggestions users sent (toolkit serve suggestions list|accept|reject)."""

from __future__ import annotations

from typing import Optional

import typer

from toolkit.cli.common import QUANTIZATION_HELP, app, user_errors

serve_app = typer.Typer(help="A LibreTranslate-compatible HTTP service with a web page; and its API keys.",
                        no_args_is_help=False)
keys_app = typer.Typer(help="API keys for --api-keys (stored hashed in SQLite).", no_args_is_help=True)
serve_app.add_typer(keys_app, name="keys")
suggestions_app = typer.Typer(help="Corrections sent to /suggest: kept for review, served only once accepted.",
                              no_args_is_help=True)
serve_app.add_typer(suggestions_app, name="suggestions")
app.add_typer(serve_app, name="serve")


@serve_app.callback(invoke_without_command=True)
@user_errors
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default localhost only)."),
    port: int = typer.Option(5000, "--port", min=0, max=65535, help="Port."),
    to: str = typer.Option("fa,sq", "--to", help="Target languages, comma-separated."),
    source: str = typer.Option("en", "--from", help="Source language."),
    model: Optional[list[str]] = typer.Option(None, "--model", help="Model id or folder; LANG=MODEL per target (repeatable)."),
    backend: str = typer.Option("auto", "--backend", help="Inference backend: auto, ct2 or hf."),
    quantization: Optional[str] = typer.Option(None, "--quantization", help=QUANTIZATION_HELP),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads (env TOOLKIT_THREADS)."),
    beams: int = typer.Option(1, "--beams", min=1, help="Beam size (1 = greedy)."),
    api_keys: bool = typer.Option(False, "--api-keys", help="Check API keys (toolkit serve keys add); a wrong key gets 403."),
    require_api_key: bool = typer.Option(False, "--require-api-key", help="Serve only requests with a valid key (implies --api-keys; settings file: require_api_key)."),
    req_limit: int = typer.Option(-1, "--req-limit", min=-1, help="Requests per minute per client without a key (-1: no limit)."),
    char_limit: int = typer.Option(20000, "--char-limit", min=-1, help="Characters per request: a list's or a file's added up (-1: no limit)."),
    batch_limit: int = typer.Option(1000, "--batch-limit", min=-1, help="Texts per request when q is a list (-1: no limit)."),
    batch_tokens: Optional[int] = typer.Option(None, "--batch-tokens", min=16, help="Padded tokens per model batch (env TOOLKIT_BATCH_TOKENS; default 2048 per parallel ct2 translator (one per core) on CPU, 8192 on GPU)."),
    batch_wait_ms: float = typer.Option(20.0, "--batch-wait-ms", min=0, help="How long a micro-batch waits for more requests."),
    queue_limit: int = typer.Option(256, "--queue-limit", min=1, help="Requests waiting per worker thread (one per language pair, one for summaries and chains), every route, before 429."),
    body_limit: int = typer.Option(1_000_000, "--body-limit", min=1024, help="Request body size limit in bytes."),
    summary_model: Optional[str] = typer.Option(None, "--summary-model", help="Summarisation model (id, imported name or folder) for abstractive summaries; without one, extractive only (settings file: summary_model)."),
    public_url: Optional[str] = typer.Option(None, "--public-url", help="The URL clients reach the server at, behind a reverse proxy (https://host/prefix), for translatedFileUrl; default a relative URL (settings file: public_url)."),
    forwarded_allow_ips: Optional[str] = typer.Option(None, "--forwarded-allow-ips", help="Proxies (comma-separated addresses, or *) whose X-Forwarded-For names the client for the limits (default 127.0.0.1,::1; settings file: forwarded_allow_ips)."),
    read_timeout: float = typer.Option(30.0, "--read-timeout", min=0.1, help="Seconds a request's headers, then its body, may take to arrive."),
    keep_alive_timeout: float = typer.Option(5.0, "--keep-alive-timeout", min=0.1, help="Seconds an idle connection stays open."),
    suggestions: bool = typer.Option(False, "--suggestions", help="Accept /suggest corrections, kept for review (toolkit serve suggestions)."),
    no_files: bool = typer.Option(False, "--no-files", help="Disable /translate_file."),
    file_store_limit: int = typer.Option(100_000_000, "--file-store-limit", min=0, help="Bytes of translated files kept for download; past it the oldest are deleted."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Bypass the translation memory."),
    no_protect: bool = typer.Option(False, "--no-protect", help="Send URLs, e-mails, @handles, placeholders and inline code to the model too, unless a request asks (setting protect)."),
    glossary: Optional[str] = typer.Option(None, "--glossary", help="Server-wide TSV/CSV of terms: header source<TAB>fa<TAB>sq..., = keeps the source term (setting glossary); a request may add its own."),
) -> None:
    """Serve translation (LibreTranslate's API), summaries and chains over HTTP, with a web page at /."""
    if ctx.invoked_subcommand:
        return
    from toolkit.languages import get_language, parse_language_list
    from toolkit.provenance import DecodingSettings
    from toolkit.serve.config import ServeConfig
    from toolkit.serve.server import serve as run_server
    from toolkit.settings import setting, true_or_false
    from toolkit.translate.factory import models_for
    from toolkit.translate.glossary import job_glossary

    source, targets = get_language(source).code, parse_language_list(to)
    config = ServeConfig(
        source=source, targets=tuple(targets), models=models_for(source, targets, model),
        backend=backend, quantization=quantization, threads=setting("threads", threads, None, int),
        decoding=DecodingSettings(beams=beams), translation_memory=not no_cache,
        protect=setting("protect", False if no_protect else None, True, true_or_false),
        glossary=job_glossary(glossary, targets),
        batch_tokens=setting("batch_tokens", batch_tokens, None, int), batch_wait_ms=batch_wait_ms,
        queue_limit=queue_limit, req_limit=req_limit, char_limit=char_limit, batch_limit=batch_limit,
        body_limit=body_limit, api_keys=api_keys, suggestions=suggestions, files=not no_files,
        require_api_key=setting("require_api_key", require_api_key or None, False, true_or_false),
        summary_model=setting("summary_model", summary_model, None, str),
        public_url=setting("public_url", public_url, None, str),
        forwarded_allow_ips=setting("forwarded_allow_ips", forwarded_allow_ips, None, str), read_timeout_s=read_timeout, keep_alive_s=keep_alive_timeout,
        file_store_limit=file_store_limit,
    )
    typer.echo(f"loading models for {', '.join(f'{s}-{t}' for s, t in config.pairs)}...", err=True)
    run_server(config, host, port)


@keys_app.command("add")
@user_errors
def keys_add(
    req_limit: int = typer.Option(120, "--req-limit", min=1, help="Requests per minute with this key."),
    char_limit: Optional[int] = typer.Option(None, "--char-limit", min=1, help="Characters per request (default: the server's)."),
) -> None:
    """Make a new API key; it is printed once (only its hash is stored)."""
    from toolkit.serve.keys import KeyStore

    key, record = KeyStore().add(req_limit, char_limit)
    typer.echo(key)
    typer.echo(f"id {record.id}: {record.req_limit} requests per minute", err=True)


@keys_app.command("list")
@user_errors
def keys_list() -> None:
    """The keys' ids and limits (keys themselves are not stored)."""
    import datetime

    from toolkit.serve.keys import KeyStore

    for record in KeyStore().list():
        created = datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        chars = record.char_limit if record.char_limit is not None else "server's"
        typer.echo(f"{record.id}\t{record.req_limit} req/min\t{chars} chars\t{created}")


@keys_app.command("remove")
@user_errors
def keys_remove(key: str = typer.Argument(..., help="The key, or its id from `toolkit serve keys list`.")) -> None:
    """Remove an API key."""
    from toolkit.errors import ToolkitError
    from toolkit.serve.keys import KeyStore

    if not KeyStore().remove(key):
        raise ToolkitError(f"no API key '{key}'", "see toolkit serve keys list")
    typer.echo("removed", err=True)


@suggestions_app.command("list")
@user_errors
def suggestions_list() -> None:
    """The suggestions waiting for review: id, pair, sender, time, then the sentence and the suggestion."""
    import datetime

    from toolkit.serve.suggestions import SuggestionStore

    for s in SuggestionStore().list():
        created = datetime.datetime.fromtimestamp(s.created, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        typer.echo(f"{s.id}\t{s.source}-{s.target}\t{s.client}\t{created}\n\tq: {s.q!r}\n\ts: {s.s!r}")


@suggestions_app.command("accept")
@user_errors
def suggestions_accept(ids: list[int] = typer.Argument(..., help="Ids from `toolkit serve suggestions list`.")) -> None:
    """Move suggestions into the translation memory: the server and the CLI answer with them from then on."""
    from toolkit.serve.suggestions import SuggestionStore

    typer.echo(f"accepted {len(SuggestionStore().accept(ids))}", err=True)


@suggestions_app.command("reject")
@user_errors
def suggestions_reject(ids: list[int] = typer.Argument(..., help="Ids from `toolkit serve suggestions list`.")) -> None:
    """Delete suggestions unused."""
    from toolkit.serve.suggestions import SuggestionStore

    typer.echo(f"rejected {len(SuggestionStore().reject(ids))}", err=True)
