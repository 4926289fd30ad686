"""One settings path: argument > environment variable > config file > default.

The config file is TOML, at ``$TOOLKIT_CONFIG`` or ``<user config dir>/toolkit/config.toml``;
its keys are the setting names below (``cache_dir = "/data/toolkit"``, ``batch_tokens = 2048``).
Nothing is read or created at import time.
"""

from __future__ import annotations

import difflib
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

from toolkit.errors import ToolkitError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

T = TypeVar("T")

# Every setting (the keys a config file may have) -> its environment variable, None where it has none.
SETTINGS: dict[str, str | None] = {
    "cache_dir": "TOOLKIT_CACHE_DIR",
    "data_dir": "TOOLKIT_DATA_DIR",
    "batch_tokens": "TOOLKIT_BATCH_TOKENS",
    "pool_chars": "TOOLKIT_POOL_CHARS",
    "device": "TOOLKIT_DEVICE",
    "threads": "TOOLKIT_THREADS",
    "quantization": "TOOLKIT_QUANTIZATION",
    "dtype": "TOOLKIT_DTYPE",
    "max_document_mb": "TOOLKIT_MAX_DOCUMENT_MB",
    "summary_model": None,
    "public_url": None,
    "forwarded_allow_ips": None,
    "require_api_key": None,
    "protect": None,
    "glossary": None,
    "line_length": None,
    "flags": None,
}
# Settings that name a file or folder: ``~`` is expanded, and a relative path in the config file is
# read from the config file's folder (from an argument or the environment, from the current folder).
PATHS = frozenset({"cache_dir", "data_dir", "glossary"})


def config_path() -> Path:
    """``$TOOLKIT_CONFIG`` (which must name a file: a mistyped path is not silently ignored), else
    the user's config file (which may be absent)."""
    explicit = os.environ.get("TOOLKIT_CONFIG")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ToolkitError(f"the config file {path} named by TOOLKIT_CONFIG does not exist",
                               "create it, or unset TOOLKIT_CONFIG to use the default config file")
        return path
    from platformdirs import user_config_dir

    return Path(user_config_dir("toolkit")) / "config.toml"


@lru_cache(maxsize=8)
def _read_config(path: Path) -> dict[str, Any]:
    """The config file's settings; a key that is not a setting (a typo, a table) is refused, never
    silently ignored."""
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as f:
            config = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ToolkitError(f"cannot read config file {path}: {exc}", "fix or remove the file") from exc
    listed = "the settings are listed in docs/settings.md"
    for key, value in config.items():
        if key not in SETTINGS:
            kind = "table" if isinstance(value, dict) else "setting"
            close = difflib.get_close_matches(key, SETTINGS, n=1)
            raise ToolkitError(f"unknown {kind} {key!r} in config file {path}",
                               f"did you mean {close[0]!r}? {listed}" if close else listed)
        if isinstance(value, dict):
            raise ToolkitError(f"{key!r} is a table in config file {path}",
                               f"write it as a plain key at the top of the file: {key} = ...; {listed}")
    return config


def whole_number(minimum: int) -> Callable[[Any], int]:
    """A converter for counts: a whole number of at least ``minimum`` (``"0"`` is refused for a
    batch budget from the environment just as ``0`` is from a flag)."""

    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"must be a whole number of at least {minimum}")
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"must be a whole number of at least {minimum}") from None
        if number < minimum:
            raise ValueError(f"must be at least {minimum}")
        return number

    return convert


def true_or_false(value: Any) -> bool:
    """A converter for switches: a TOML boolean (or ``true``/``false`` from the environment)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError("must be true or false")


# Settings whose values are checked wherever they come from (argument, environment, config file).
CHECKS: dict[str, Callable[[Any], Any]] = {
    "batch_tokens": whole_number(16),
    "pool_chars": whole_number(1),
    "threads": whole_number(1),
    "max_document_mb": whole_number(1),
}


def setting(name: str, argument: T | None, default: T, convert: Callable[[Any], T] | None = None) -> T:
    """Resolve one setting: argument, then environment, then config file, then default. Values from
    any of the first three are converted (``convert``, else the setting's check in ``CHECKS``) and
    a bad one is refused naming where it came from."""
    if name not in SETTINGS:
        raise KeyError(f"{name!r} is not declared in toolkit.settings.SETTINGS")
    convert = convert or CHECKS.get(name) or (lambda v: v)
    env = SETTINGS[name]
    if argument is not None:
        source, raw = "argument", argument
    elif env and os.environ.get(env):
        source, raw = f"environment variable {env}", os.environ[env]
    else:
        config = _read_config(config_path())
        if name not in config:
            return default
        source, raw = f"config file {config_path()}", config[name]
    try:
        value = convert(raw)
        if name in CHECKS and convert is not CHECKS[name]:
            CHECKS[name](value)
    except (TypeError, ValueError) as exc:
        where = "" if source == "argument" else f" in {source}"
        raise ToolkitError(f"invalid value {raw!r} for {name}{where}", str(exc)) from None
    if name in PATHS:
        path = Path(str(value)).expanduser()
        folder = config_path().parent if source.startswith("config file") else Path()
        value = str(folder / path)  # type: ignore[assignment]
    return value


def check_settings() -> None:
    """Resolve every checked setting (``CHECKS``) once, so that a bad environment variable or config
    value stops a job before any model work, whichever backend would have read it; and the config
    file's keys, so that a mistyped one is refused even where every setting came from elsewhere."""
    _read_config(config_path())
    for name in CHECKS:
        setting(name, None, None)


def cache_dir() -> Path:
    """Where the toolkit keeps converted models and its translation memory."""
    from platformdirs import user_cache_dir

    return Path(setting("cache_dir", None, user_cache_dir("toolkit"), str))


def data_dir() -> Path:
    """Where imported models are registered (``toolkit models import``)."""
    from platformdirs import user_data_dir

    return Path(setting("data_dir", None, user_data_dir("toolkit"), str))
