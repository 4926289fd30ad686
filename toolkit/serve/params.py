"""Request parameters as LibreTranslate reads them: a JSON body, form data (urlencoded or
multipart) or the query string; errors as ``{"error": ...}`` with LibreTranslate's status codes."""

from __future__ import annotations

import json
from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"Invalid request: request body exceeds size limit ({limit} bytes)")
        self.limit = limit


class BodyTimeout(Exception):
    def __init__(self):
        super().__init__("Invalid request: request body not received in time")


def required(**values: Any) -> tuple:
    """The given values, in order; the first one missing (absent or empty) is a 400 naming it, as
    LibreTranslate's. Read every value before calling, so a parameter of the wrong type is named first."""
    for name, value in values.items():
        if not value:
            raise ApiError(400, f"Invalid request: missing {name} parameter")
    return tuple(values.values())


class Params:
    """``get`` gives a JSON value, or a form/query value (a list where a field is repeated)."""

    def __init__(self, values: dict[str, Any], is_json: bool, files: dict | None = None):
        self.values, self.is_json, self.files = values, is_json, files or {}

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name, default)
        return default if value is None else value

    def text(self, name: str) -> str | None:
        """A string parameter; lists and other JSON types are refused."""
        value = self.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str) and not self.is_json:
            return value[0]
        raise ApiError(400, f"Invalid request: {name} parameter must be a string")


async def read_params(request) -> Params:
    """The parameters of a request, whichever way they came."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    values: dict[str, Any] = {}
    for key in request.query_params:
        items = request.query_params.getlist(key)
        values[key] = items if len(items) > 1 else items[0]
    if content_type == "application/json":
        body = await request.body()
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise ApiError(400, f"Failed to decode JSON object: {exc}") from None
        except RecursionError:
            raise ApiError(400, "Failed to decode JSON object: nested too deeply") from None
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid JSON format")
        return Params(data, True)
    files = {}
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        for key in form:
            items = form.getlist(key)
            if any(hasattr(i, "filename") for i in items):
                files[key] = items[0]
                continue
            values[key] = items if len(items) > 1 else items[0]
    return Params(values, False, files)
