"""The OpenAPI description served at /spec."""

from __future__ import annotations


def _params(*names: str, required: tuple[str, ...] = ()) -> list[dict]:
    return [{"in": "formData", "name": n, "type": "string", "required": n in required} for n in names]


def _post(summary: str, params: list[dict], result: str) -> dict:
    errors = {str(code): {"description": text, "schema": {"$ref": "#/definitions/error"}}
              for code, text in ((400, "Invalid request"), (403, "Banned or invalid API key"),
                                 (429, "Slow down"), (500, "Server error"))}
    return {"post": {"summary": summary, "consumes": ["application/json", "application/x-www-form-urlencoded",
                                                       "multipart/form-data"],
                     "parameters": params, "responses": {"200": {"description": result}, **errors}}}


def openapi() -> dict:
    from toolkit import __version__

    return {
        "swagger": "2.0",
        "info": {"title": "toolkit serve", "version": __version__,
                 "description": "LibreTranslate-compatible translation API, with summaries and chains."},
        "basePath": "/",
        "definitions": {"error": {"type": "object", "properties": {"error": {"type": "string"}}}},
        "paths": {
            "/translate": _post("Translate text", _params("q", "source", "target", "format", "alternatives", "api_key",
                                                          required=("q", "source", "target")),
                                "translatedText (a string, or a list for a list q); detectedLanguage when source "
                                "is auto; alternatives when asked"),
            "/detect": _post("Detect the language of text", _params("q", "api_key", required=("q",)),
                             "a list of {confidence, language}"),
            "/translate_file": _post("Translate a .txt, .md or .html file", _params("file", "source", "target", "api_key",
                                                                                  required=("file", "source", "target")),
                                     "translatedFileUrl"),
            "/suggest": _post("Suggest a better translation (kept for the operator's review, served once accepted)",
                              _params("q", "s", "source", "target", "api_key", required=("q", "s", "source", "target")),
                              "success"),
            "/summarize": _post("Summarise an article into one or more languages",
                                _params("q", "source", "target", "method", "max_words", "sentences", "api_key",
                                        required=("q",)),
                                "the JSON of `toolkit summarize --json`"),
            "/chain": _post("Run steps (summarize, translate:LANG) over an article",
                            _params("q", "source", "steps", "target", "method", "max_words", "sentences", "api_key",
                                    required=("q",)),
                            "the JSON of `toolkit chain`"),
            "/languages": {"get": {"summary": "Supported languages", "responses": {"200": {"description": "code, name, targets"}}}},
            "/frontend/settings": {"get": {"summary": "Frontend settings", "responses": {"200": {"description": "settings"}}}},
            "/health": {"get": {"summary": "Health check", "responses": {"200": {"description": "status"}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition"}}}},
            "/download_file/{filename}": {"get": {"summary": "Download a translated file",
                                                  "responses": {"200": {"description": "the file"}}}},
        },
    }
