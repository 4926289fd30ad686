"""The HTTP routes: LibreTranslate 1.9's API, plus /summarize and /chain. Starlette, run by uvicorn."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from toolkit.errors import ToolkitError
from toolkit.formats import FormatOptions, format_for, is_binary, output_name, parts_text
from toolkit.languages import LANGUAGES, get_language
from toolkit.serve.batcher import QueueFull
from toolkit.serve.config import ServeConfig
from toolkit.serve.files import SUFFIXES, FileStore, safe_name
from toolkit.serve.keys import KeyStore
from toolkit.serve.limits import RateLimiter
from toolkit.serve.params import ApiError, BodyTimeout, BodyTooLarge, Params, read_params, required
from toolkit.serve.service import TranslationService
from toolkit.translate.documents import lines_named
from toolkit.translate.flagged import checkers, segment_flags

STATIC = Path(__file__).parent / "static"


class _Json(JSONResponse):
    """UTF-8 JSON, not ASCII-escaped (Persian stays readable), as LibreTranslate's JSON_AS_ASCII=False."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error(status: int, message: str) -> Response:
    return _Json({"error": message}, status_code=status)


@dataclass
class _Access:
    client: str  # key id or address: whom the limits count
    char_limit: int


@dataclass(frozen=True)
class _Work:
    """A model route's request, read and validated: what the access check counts, and the work that
    runs once it passes."""

    params: Params
    run: Callable[[_Access], Awaitable[Response]]
    cost: int = 1  # requests it counts as against the client's rate limit
    chars: int | None = None  # characters against the client's character limit; None: not counted


@dataclass(frozen=True)
class _Translation:
    """A /translate request, read and validated."""

    texts: list[str]
    batch: bool  # q was a list: so is each answer
    source: str  # as asked: ``auto`` detects it
    target: str
    format: str
    alternatives: int
    protect: bool | None = None  # None: the server's
    glossary: object = None  # the request's {"source term": "target term"}, on top of the server's
    flags: bool = False  # each text's flagged segments in the answer


class Api:
    """Route handlers sharing the service, the key store, the limiter and the file store."""

    def __init__(self, service: TranslationService, config: ServeConfig):
        self.service, self.config = service, config
        self.keys = KeyStore(config.keys_db) if config.api_keys or config.require_api_key else None
        self.limiter = RateLimiter()
        self.files = FileStore(config.file_ttl_s, config.file_store_limit) if config.files else None

    # ------------------------------------------------------------------ access
    def access(self, request: Request, params: Params, cost: int = 1) -> _Access:
        """LibreTranslate's access check: a given key must exist, and be given when keys are required;
        requests per minute per key or address."""
        record = None
        key = params.text("api_key")
        if self.keys is not None and key:
            record = self.keys.lookup(key)
            if record is None:
                raise ApiError(403, "Invalid API key")
        elif self.config.require_api_key:
            raise ApiError(400, "Please contact the server operator to get an API key")
        client = f"key:{record.id}" if record else f"ip:{request.client.host if request.client else '-'}"
        limit = record.req_limit if record else self.config.req_limit
        if not self.limiter.allow(client, limit, cost):
            raise ApiError(429, f"Slowdown: {limit} per 1 minute")
        char_limit = record.char_limit if record and record.char_limit is not None else self.config.char_limit
        return _Access(client, char_limit)

    def route(self, endpoint: Endpoint) -> Route:
        """The starlette route of a row of ``ROUTES``, its handler bound to this ``Api``."""
        handler = endpoint.handler.__get__(self)
        return Route(endpoint.path, self.checked(handler) if endpoint.access else handler,
                     methods=list(endpoint.methods), name=endpoint.handler.__name__)

    def checked(self, parse: Callable[[Request], Awaitable[_Work]]) -> Callable[[Request], Awaitable[Response]]:
        """The endpoint of a model route (``access=True`` in ``ROUTES``): ``parse`` reads and validates
        the request, then the access check (key, requests per minute, characters) passes or refuses it
        before its work runs."""

        async def endpoint(request: Request) -> Response:
            work = await parse(request)
            access = self.access(request, work.params, work.cost)
            if work.chars is not None:
                self._check_chars(work.chars, access)
            return await work.run(access)

        return endpoint

    def _language(self, code, allowed: list[str]) -> str:
        code = str(code).lower()
        if code not in allowed:
            raise ApiError(400, f"{code} is not supported")
        return code

    def _detect(self, texts: list[str]) -> list[dict]:
        from toolkit.text.langid import rank_languages

        text = " ".join(texts)
        ranked = rank_languages(text, self.service.languages) if _translatable(text) else []
        if not ranked:  # as LibreTranslate: English with no confidence
            return [{"confidence": 0.0, "language": "en"}]
        return [{"confidence": round(p * 100, 1), "language": code} for code, p in ranked]

    def _source(self, source: str, texts: list[str]) -> tuple[str, dict]:
        """A request's source language and its ``detectedLanguage``. ``auto`` detects it; when detection
        is unsure or names a language the server does not translate from (short texts: "Hello." looks
        Albanian), the configured source, with the confidence detection gave it."""
        if source.lower() != "auto":
            src = self._language(source, self.service.sources)
            return src, {"confidence": 100.0, "language": src}
        ranked = self._detect(texts)
        if ranked[0]["language"] in self.service.sources and ranked[0]["confidence"] >= _SURE:
            return ranked[0]["language"], ranked[0]
        fallback = self.config.source
        confidence = next((d["confidence"] for d in ranked if d["language"] == fallback), 0.0)
        return fallback, {"confidence": confidence, "language": fallback}

    async def _run(self, coro):
        """Await service work; a full queue is LibreTranslate's 429, a library error a 400."""
        try:
            return await coro
        except QueueFull as exc:
            raise ApiError(429, f"Slowdown: server busy, {exc.limit} requests already waiting") from None
        except ToolkitError as exc:
            raise ApiError(400, exc.render(hint=False)) from None

    # ------------------------------------------------------------------ LibreTranslate routes
    async def translate(self, request: Request) -> _Work:
        params = await read_params(request)
        job = self._parse_translation(params)
        return _Work(params, partial(self._translate, job), max(1, len(job.texts)) if job.batch else 1,
                     sum(map(len, job.texts)))

    def _parse_translation(self, params: Params) -> _Translation:
        q, source, target = params.get("q"), params.text("source"), params.text("target")
        text_format = params.text("format") or "text"
        required(q=q, source=source, target=target)
        try:
            alternatives = max(0, int(params.get("alternatives", 0)))
        except (TypeError, ValueError, OverflowError):
            raise ApiError(400, "Invalid request: alternatives parameter is not a number") from None
        if self.config.alternatives_limit != -1 and alternatives > self.config.alternatives_limit:
            raise ApiError(400, f"Invalid request: alternatives parameter must be <= {self.config.alternatives_limit}")
        batch = isinstance(q, list)
        texts = q if batch else [q]
        if not all(isinstance(t, str) for t in texts):
            raise ApiError(400, "Invalid request: q parameter must be a string or a list of strings")
        if not params.is_json:
            texts = ["\n".join(t.splitlines()) for t in texts]  # line endings as LibreTranslate counts them
        if batch and self.config.batch_limit != -1 and len(texts) > self.config.batch_limit:
            raise ApiError(400, f"Invalid request: request ({len(texts)}) exceeds text limit ({self.config.batch_limit})")
        flags = bool(_switch(params, "flags"))
        if flags and alternatives:
            raise ApiError(400, "Invalid request: flags are given for translations without alternatives")
        return _Translation(texts, batch, source, target, text_format, alternatives, _switch(params, "protect"),
                            _glossary(params), flags)

    async def _translate(self, job: _Translation, access: _Access) -> Response:
        src, tgt, detected = self._check_translation(job)
        translated, alts, flags = await self._dispatch_translation(job, src, tgt)
        result: dict = {"translatedText": translated if job.batch else translated[0]}
        if job.source.lower() == "auto":
            result["detectedLanguage"] = [detected] * len(job.texts) if job.batch else detected
        if job.alternatives:
            result["alternatives"] = alts if job.batch else alts[0]
        if job.flags:
            result["flags"] = flags if job.batch else flags[0]
        return _Json(result)

    def _check_translation(self, job: _Translation) -> tuple[str, str, dict]:
        """The source (detected where ``auto``), the target and ``detectedLanguage``; refuses a
        language, format or pair the server does not serve."""
        src, detected = self._source(job.source, job.texts)
        tgt = self._language(job.target, self.service.languages)
        if job.format not in ("text", "html"):
            raise ApiError(400, f"{job.format} format is not supported")
        self._check_pair(src, tgt)
        return src, tgt, detected

    async def _dispatch_translation(self, job: _Translation, src: str,
                                    tgt: str) -> tuple[list[str], list[list[str]], list[list[dict]]]:
        """Each text's translation, alternatives and flagged segments (when asked), from the service's
        queue for the pair."""
        texts, none = job.texts, [[] for _ in job.texts]
        if not any(_translatable(t) for t in texts):
            return list(texts), none, none
        try:
            protection = self.config.protection(tgt, job.protect, job.glossary)
        except ToolkitError as exc:
            raise ApiError(400, f"Invalid request: {exc.render(hint=False)}") from None
        if job.format == "html":  # as a web page: whole sentences, tags as codes; no alternatives (LibreTranslate)
            from toolkit.formats.html import HtmlDocument

            documents = await self._run(self.service.written(src, tgt, [HtmlDocument(t) for t in texts], protection,
                                                             markup=True))
        elif job.alternatives:
            hypotheses = await self._run(self.service.alternatives(src, tgt, texts, job.alternatives + 1, protection))
            return ([h[0] for h in hypotheses], [list(dict.fromkeys(a for a in h[1:] if a and a != h[0])) for h in hypotheses],
                    none)
        else:
            documents = await self._run(self.service.documents(src, tgt, texts, protection))
        return [d.text for d in documents], none, _flagged(documents, src, tgt, protection) if job.flags else none

    def _check_pair(self, src: str, tgt: str) -> None:
        try:
            self.service.pair(src, tgt)
        except ToolkitError as exc:
            raise ApiError(400, exc.render(hint=False)) from None

    async def detect(self, request: Request) -> _Work:
        params = await read_params(request)
        [q] = required(q=params.get("q"))
        texts = q if isinstance(q, list) else [q]
        if not all(isinstance(t, str) for t in texts):
            raise ApiError(400, "Invalid request: q parameter must be a string or a list of strings")

        async def run(access: _Access) -> Response:
            return _Json(self._detect(texts))

        return _Work(params, run)

    async def languages(self, request: Request) -> Response:
        return _Json([{"code": code, "name": get_language(code).name, "targets": self.service.targets_of(code)}
                      for code in self.service.languages])

    async def frontend_settings(self, request: Request) -> Response:
        c = self.config
        target = c.targets[0]
        return _Json({
            "charLimit": c.char_limit,
            "frontendTimeout": c.frontend_timeout_ms,
            "apiKeys": self.keys is not None,
            "keyRequired": c.require_api_key,
            "suggestions": c.suggestions,
            "filesTranslation": c.files,
            "supportedFilesFormat": list(SUFFIXES) if c.files else [],
            "language": {"source": {"code": "auto", "name": "Auto Detect"},
                         "target": {"code": target, "name": get_language(target).name}},
            # the toolkit's own: text direction of each language, for pages that show RTL output
            "directions": {code: LANGUAGES[code].direction for code in self.service.languages},
            "summaryMethods": list(c.summary_methods),
        })

    async def health(self, request: Request) -> Response:
        return _Json({"status": "ok"})

    async def metrics(self, request: Request) -> Response:
        in_model = sum(p.batcher.running for p in self.service.pairs.values() if p.batcher)
        return Response(self.service.metrics.render(self.service.queue_depth(), in_model),
                        media_type="text/plain; version=0.0.4; charset=utf-8")

    async def spec(self, request: Request) -> Response:
        from toolkit.serve.spec import openapi

        return _Json(openapi(ROUTES))

    async def translate_file(self, request: Request) -> _Work:
        if self.files is None:
            raise ApiError(403, "Files translation are disabled on this server.")
        params = await read_params(request)
        upload, source, target = required(file=params.files.get("file"), source=params.text("source"),
                                          target=params.text("target"))
        if not upload.filename:
            raise ApiError(400, "Invalid request: empty file")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise ApiError(400, "Invalid request: file format not supported")
        raw = await upload.read()
        fmt = format_for(upload.filename)
        try:
            text = "" if is_binary(fmt) else raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiError(400, "Invalid request: the file is not UTF-8 text") from None
        try:
            parsed = fmt.read(raw if is_binary(fmt) else text, safe_name(upload.filename), FormatOptions()) if fmt else None
        except ToolkitError as exc:
            raise ApiError(400, f"Invalid request: {exc.render(hint=False)}") from None
        files, char_limit, flags = self.files, self.config.char_limit, bool(_switch(params, "flags"))

        async def run(access: _Access) -> Response:
            src, _ = self._source(source, [text or parts_text(parsed)])
            tgt = self._language(target, self.service.languages)
            self._check_pair(src, tgt)
            if parsed is not None:  # a document of a format: its parts translated, written back into one of its kind
                [document] = await self._run(self.service.written(src, tgt, [parsed], markup=fmt.markup))
            else:
                [document] = await self._run(self.service.documents(src, tgt, [text], markdown=suffix == ".md"))
                document = lines_named(document)
            name = files.save(output_name(upload.filename), document.text)
            # Never from the request's Host header: the configured public URL, else a path on this server.
            path = request.app.url_path_for("download_file", filename=name)
            base = self.config.public_url.rstrip("/") if self.config.public_url else request.scope.get("root_path", "")
            result: dict = {"translatedFileUrl": base + path}
            if flags:
                [result["flags"]] = _flagged([document], src, tgt, self.config.protection(tgt))
            return _Json(result)

        chars = sum(len(p.text) for p in parsed.parts) if parsed is not None else len(text)  # cue timings are not text
        return _Work(params, run, max(1, chars // char_limit) if char_limit > 0 else 1, chars)

    async def download_file(self, request: Request) -> Response:
        if self.files is None:
            raise ApiError(400, "Files translation are disabled on this server.")
        name = request.path_params["filename"]
        path = self.files.path(name)
        if path is None:
            raise ApiError(400, "Invalid filename")
        return FileResponse(path, filename=name.split(".", 1)[1])

    async def suggest(self, request: Request) -> _Work:
        if not self.config.suggestions:
            raise ApiError(403, "Suggestions are disabled on this server.")
        params = await read_params(request)

        async def run(access: _Access) -> Response:
            q, s, source, target = required(**{name: params.text(name) for name in ("q", "s", "source", "target")})
            src = self._language(source, self.service.sources)
            tgt = self._language(target, self.service.languages)
            await self._run(self.service.suggest(src, tgt, q, s, access.client))
            return _Json({"success": True})

        return _Work(params, run)

    # ------------------------------------------------------------------ the toolkit's own
    async def summarize(self, request: Request) -> _Work:
        from toolkit.chain import default_steps

        params = await read_params(request)
        q, source = self._article(params)
        targets = self._targets(params.get("target"))
        steps = default_steps([t for t in targets if t != source])
        return _Work(params, self._chain_run(params, q, source, steps, "summarize"), chars=len(q))

    async def chain(self, request: Request) -> _Work:
        from toolkit.chain import plan_steps

        params = await read_params(request)
        q, source = self._article(params)
        steps, target = params.text("steps"), params.get("target")
        if steps and target:
            raise ApiError(400, "Invalid request: give steps or target, not both")
        try:
            plan = plan_steps(steps, ",".join(self._targets(target)) if target else None,
                              default_targets=",".join(self.config.targets))
        except ToolkitError as exc:
            raise ApiError(400, f"Invalid request: {exc.render(hint=False)}") from None
        return _Work(params, self._chain_run(params, q, source, plan, "chain"), chars=len(q))

    def _chain_run(self, params: Params, q: str, source: str, steps, work: str) -> Callable[[_Access], Awaitable[Response]]:
        """The work of a summary or chain request, once its access check passed."""

        async def run(access: _Access) -> Response:
            self._check_steps(steps, source)
            return _Json(await self._run(self.service.chain(self._chain_options(params, steps, source), q, work)))

        return run

    def _article(self, params: Params) -> tuple[str, str]:
        [q] = required(q=params.text("q"))
        return q, self._source(params.text("source") or "auto", [q])[0]

    def _targets(self, value) -> list[str]:
        codes = value if isinstance(value, list) else str(value or "").split(",")
        codes = [str(c).strip().lower() for c in codes if str(c).strip()] or list(self.config.targets)
        return list(dict.fromkeys(self._language(code, self.service.languages) for code in codes))

    def _check_steps(self, steps, source: str) -> None:
        """Refuse a chain that needs a model the operator did not configure (the chain would load one,
        even download it): each translation, from where ``toolkit.chain`` takes it, must be a served pair."""
        from toolkit.translate.pivot import source_for

        stage = [source]
        for step in steps:
            if step.kind == "summarize":
                stage = stage[-1:]
                continue
            target = self._language(step.lang, self.service.languages)
            if target not in stage:
                self._check_pair(source_for(stage), target)
                stage.append(target)

    @staticmethod
    def _check_chars(chars: int, access: _Access) -> None:
        """The request's characters (a list's or a file's, all together) against the client's limit."""
        if access.char_limit != -1 and chars > access.char_limit:
            raise ApiError(400, f"Invalid request: request ({chars}) exceeds text limit ({access.char_limit})")

    def _chain_options(self, params: Params, steps, source: str | None):
        from toolkit.chain import chain_options

        def number(name: str) -> int | None:
            value = params.get(name)
            if value in (None, ""):
                return None
            try:
                number = int(value)
            except (TypeError, ValueError, OverflowError):
                raise ApiError(400, f"Invalid request: {name} parameter is not a number") from None
            if number < 1:
                raise ApiError(400, f"Invalid request: {name} parameter must be >= 1")
            return number

        c = self.config
        method = params.text("method") or c.summary_method
        if method not in c.summary_methods:
            raise ApiError(400, f"{method} method is not supported")
        models = [*([c.model] if c.model else []), *(f"{t}={m}" for t, m in c.models.items())]
        options = chain_options(tuple(steps), source or "auto", method, c.summary_model if method == "abstractive" else None,
                                None, number("max_words"), number("sentences"),
                                models if any(step.kind == "translate" for step in steps) else (), c.decoding.beams,
                                c.backend, c.quantization, c.translation_memory, c.protect)
        return replace(options, glossary=c.glossary)  # the server's glossary, not the settings file's

    async def index(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@dataclass(frozen=True)
class Endpoint:
    """One route: its path, methods and ``Api`` handler, and how /spec describes it (a route without a
    ``summary`` is left out there). Its metrics' ``endpoint`` label is its path up to a path parameter."""

    path: str
    handler: Callable
    methods: tuple[str, ...] = ("GET",)
    summary: str = ""
    result: str = ""  # the 200 response
    params: tuple[str, ...] = ()  # form parameters, all strings (``api_key`` is added where ``access``)
    required: tuple[str, ...] = ()
    access: bool = False  # model work: the handler returns a ``_Work`` and ``Api.checked`` checks its access


# The service's routes: each drives its starlette route, its metrics label and its /spec entry.
ROUTES = (
    Endpoint("/", Api.index),
    Endpoint("/translate", Api.translate, ("POST",), "Translate text",
             "translatedText (a string, or a list for a list q); detectedLanguage when source is auto; "
             "alternatives when asked; flags (each text's flagged segments) when asked",
             ("q", "source", "target", "format", "alternatives", "protect", "glossary", "flags"),
             ("q", "source", "target"),
             access=True),
    Endpoint("/detect", Api.detect, ("POST",), "Detect the language of text", "a list of {confidence, language}",
             ("q",), ("q",), access=True),
    Endpoint("/translate_file", Api.translate_file, ("POST",),
             "Translate a file (text, Markdown, HTML, subtitles, PO, XLIFF, office documents, EPUB) into one of the same kind",
             "translatedFileUrl; flags (the file's flagged segments, each naming its part) when asked",
             ("file", "source", "target", "flags"), ("file", "source", "target"), access=True),
    Endpoint("/suggest", Api.suggest, ("POST",),
             "Suggest a better translation (kept for the operator's review, served once accepted)", "success",
             ("q", "s", "source", "target"), ("q", "s", "source", "target"), access=True),
    Endpoint("/summarize", Api.summarize, ("POST",), "Summarise an article into one or more languages",
             "the JSON of `toolkit summarize --json`", ("q", "source", "target", "method", "max_words", "sentences"),
             ("q",), access=True),
    Endpoint("/chain", Api.chain, ("POST",), "Run steps (summarize, translate:LANG) over an article",
             "the JSON of `toolkit chain`", ("q", "source", "steps", "target", "method", "max_words", "sentences"),
             ("q",), access=True),
    Endpoint("/languages", Api.languages, ("GET", "POST"), "Supported languages", "code, name, targets"),
    Endpoint("/frontend/settings", Api.frontend_settings, summary="Frontend settings", result="settings"),
    Endpoint("/health", Api.health, summary="Health check", result="status"),
    Endpoint("/metrics", Api.metrics, summary="Prometheus metrics", result="text exposition"),
    Endpoint("/download_file/{filename}", Api.download_file, summary="Download a translated file", result="the file"),
    Endpoint("/spec", Api.spec),
)
STATIC_PATH = "/static"  # the page's files (a mount, not a route)
_EXACT = {r.path for r in ROUTES if "{" not in r.path}
_PREFIXES = (*(r.path.split("{")[0] for r in ROUTES if "{" in r.path), STATIC_PATH + "/")

_SURE = 50.0  # the least confidence (percent) with which a detected source language is taken


def _switch(params: Params, name: str) -> bool | None:
    """A true/false parameter (JSON boolean, or "true"/"false" in a form); None when absent."""
    value = params.get(name)
    if isinstance(value, list) and len(value) == 1 and not params.is_json:
        value = value[0]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ApiError(400, f"Invalid request: {name} parameter must be true or false")


def _glossary(params: Params) -> object:
    """A request's glossary: a JSON object, or one as a string in a form; checked by ``ServeConfig.protection``."""
    value = params.get("glossary")
    if isinstance(value, list) and len(value) == 1 and not params.is_json:
        value = value[0]
    if isinstance(value, str):
        import json

        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, 'Invalid request: glossary parameter must be a JSON object {"term": "translation"}') from None
    return value


def _flagged(documents: list, source: str, target: str, protection) -> list[list[dict]]:
    """Each translated document's flagged segments (``segment_flags``), checked now: the service's
    translations run no checks, so a request that asks for none pays for none."""
    check = checkers(source, {target: protection})[target]
    return [segment_flags(d, check) for d in documents]


def _translatable(text: str) -> bool:
    """False for text with nothing to translate (emoji, punctuation, digits, spaces), as LibreTranslate."""
    return any(c.isalpha() for c in text)


# On every response, errors included (413 and 500 are made outside the CORS middleware).
_HEADERS = [(b"access-control-allow-origin", b"*"), (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
            (b"content-security-policy", b"default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
                                         b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'")]


class _Guard:
    """Outermost ASGI layer: 503 while shutting down, the body size limit and read timeout, CORS and
    security headers on every response, and per-route metrics."""

    def __init__(self, app, config: ServeConfig, state: dict, metrics):
        self.app, self.config, self.state, self.metrics = app, config, state, metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500

        async def send_status(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                names = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *((n, v) for n, v in _HEADERS if n not in names)]}
            await send(message)

        try:
            if self.state.get("draining"):
                return await _error(503, "Service is shutting down")(scope, receive, send_status)
            limit = self.config.body_limit
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and length.isdigit() and int(length) > limit:
                return await _error(413, str(BodyTooLarge(limit)))(scope, receive, send_status)
            seen, body_done = 0, False
            deadline = time.monotonic() + self.config.read_timeout_s

            async def limited_receive():
                nonlocal seen, body_done
                if body_done:  # after the body: waits for a disconnect, for as long as it takes
                    return await receive()
                try:
                    message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    raise BodyTimeout() from None
                body_done = not message.get("more_body", False)
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
                return message

            self.state["in_flight"] += 1  # what a SIGTERM waits for (toolkit.serve.server)
            try:
                await self.app(scope, limited_receive, send_status)
            finally:
                self.state["in_flight"] -= 1
        finally:
            self.metrics.observe_request(_endpoint(scope["path"]), status, time.perf_counter() - started)


def _endpoint(path: str) -> str:
    """The ``endpoint`` label of a request's metrics: its route's, else ``other``."""
    if path in _EXACT:
        return path
    for prefix in _PREFIXES:
        if path.startswith(prefix):
            return prefix.rstrip("/")
    return "other"


def create_app(service: TranslationService, config: ServeConfig) -> _Guard:
    """The ASGI application over a loaded ``service``; its micro-batchers start with the app."""
    from contextlib import asynccontextmanager

    api = Api(service, config)
    state: dict = {"draining": False, "in_flight": 0}

    async def api_error(request, exc: ApiError):
        return _error(exc.status, exc.message)

    async def http_error(request, exc: HTTPException):
        return _error(exc.status_code, exc.detail)

    async def too_large(request, exc: BodyTooLarge):
        return _error(413, str(exc))

    async def too_slow(request, exc: BodyTimeout):
        response = _error(408, str(exc))
        response.headers["connection"] = "close"  # the rest of the body is not waited for
        return response

    async def server_error(request, exc: Exception):
        return _error(500, f"Cannot translate text: {exc}")

    @asynccontextmanager
    async def lifespan(app):
        service.start()
        yield
        await service.close()
        if api.files:
            api.files.remove_all()

    routes = [*map(api.route, ROUTES), Mount(STATIC_PATH, StaticFiles(directory=STATIC), name="static")]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Authorization", "Content-Type"], expose_headers=["Authorization"],
                             max_age=60 * 60 * 24 * 20)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={ApiError: api_error, HTTPException: http_error, BodyTooLarge: too_large,
                                        BodyTimeout: too_slow, Exception: server_error})
    return _Guard(app, config, state, service.metrics)
