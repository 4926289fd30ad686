"""The OpenAPI description served at /spec, made from the route table (``toolkit.serve.app.ROUTES``)."""

from __future__ import annotations

_ERRORS = {str(code): {"description": text, "schema": {"$ref": "#/definitions/error"}}
           for code, text in ((400, "Invalid request"), (403, "Banned or invalid API key"),
                              (429, "Slow down"), (500, "Server error"))}
_CONSUMES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]


def _operation(route) -> dict:
    """A route's entry, under its first method: a POST with its form parameters and error responses."""
    method = route.methods[0].lower()
    if method != "post":
        return {method: {"summary": route.summary, "responses": {"200": {"description": route.result}}}}
    names = (*route.params, "api_key") if route.access else route.params
    params = [{"in": "formData", "name": n, "type": "string", "required": n in route.required} for n in names]
    return {method: {"summary": route.summary, "consumes": _CONSUMES, "parameters": params,
                     "responses": {"200": {"description": route.result}, **_ERRORS}}}


def openapi(routes) -> dict:
    from toolkit import __version__

    return {
        "swagger": "2.0",
        "info": {"title": "toolkit serve", "version": __version__,
                 "description": "LibreTranslate-compatible translation API, with summaries and chains."},
        "basePath": "/",
        "definitions": {"error": {"type": "object", "properties": {"error": {"type": "string"}}}},
        "paths": {r.path: _operation(r) for r in routes if r.summary},
    }
