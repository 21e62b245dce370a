"""Settings of ``run`` from four places: command line over config file over environment over defaults.

The config file is ``openai-conformance.toml`` (top-level keys) or the
``[tool.openai-conformance]`` table of ``pyproject.toml``, found in the current
folder; keys are the long options without dashes (``max-examples = 50``).
Secrets come from the environment only: a key in a file is refused.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .._errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULTS: dict[str, Any] = {
    "base_url": None,
    "api_key": None,
    "compare_to": None,
    "compare_key": None,
    "header": [],
    "timeout": 10.0,
    "fault": [],
    "model": [],
    "spec": ["openai-1.1.0"],
    "operations": "",
    "tags": "",
    "include_deprecated": None,
    "modes": "positive,negative,examples,stateful",
    "checks": "",
    "exclude_checks": "",
    "max_examples": 20,
    "seed": 0,
    "strict_spec": False,
    "workers": 2,
    "shrink": True,
    "shard": "1/1",
    "max_requests": None,
    "max_time": None,
    "budget": "auto",
    "allow_destructive": False,
    "report_dir": "conformance-report",
    "formats": "html,json,junit,markdown",
    "keep_history": False,
    "quiet": False,
    "verbose": False,
    "color": "auto",
    "print_config": False,
}
ENVIRONMENT = {
    "base_url": "OPENAI_BASE_URL",
    "api_key": "OPENAI_API_KEY",
    "compare_key": "OPENAI_CONFORMANCE_COMPARE_KEY",
}
SECRETS = frozenset({"api_key", "compare_key"})
_MASKED = frozenset({"api_key", "compare_key", "header"})  # a header may carry a gateway's secret
_LISTS = frozenset({"header", "fault", "spec", "model"})
_FILE_ONLY_NOT = frozenset({"print_config"})
_UNSET_TYPES = {
    "max_requests": int,
    "max_time": float,
    "compare_to": str,
}  # settings whose default (None) names no type


def config_file(folder: Path) -> tuple[Path | None, dict[str, Any]]:
    """The config table that applies in ``folder``, and the file it came from."""
    own = folder / "openai-conformance.toml"
    if own.is_file():
        return own, _read(own)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        table = _read(pyproject).get("tool", {}).get("openai-conformance")
        if isinstance(table, dict):
            return pyproject, table
    return None, {}


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path.name}: not a readable TOML file ({str(exc).splitlines()[0]})") from None


def merge(args: argparse.Namespace, folder: Path) -> dict[str, str]:
    """Fill every unset option of ``args`` in place; returns option -> where its value came from."""
    path, table = config_file(folder)
    from_file = {key.replace("-", "_"): value for key, value in table.items()}
    unknown = sorted(set(from_file) - set(DEFAULTS) | set(from_file) & _FILE_ONLY_NOT)
    if unknown:
        raise UsageError(f"{path}: unknown setting {unknown[0].replace('_', '-')!r} (settings are run's long options)")
    secret = sorted(set(from_file) & SECRETS)
    if secret:
        raise UsageError(f"{path}: {secret[0].replace('_', '-')} is a secret: set it in the environment, not in a file")
    sources: dict[str, str] = {}
    for name, default in DEFAULTS.items():
        if getattr(args, name, None) is not None:
            sources[name] = "command line"
        elif name in from_file:
            setattr(args, name, _as_option(name, from_file[name], path))
            sources[name] = str(path.name if path else "config file")
        elif name in ENVIRONMENT and os.environ.get(ENVIRONMENT[name]):
            setattr(args, name, os.environ[ENVIRONMENT[name]])
            sources[name] = ENVIRONMENT[name]
        else:
            setattr(args, name, list(default) if isinstance(default, list) else default)
            sources[name] = "default"
    return sources


def _as_option(name: str, value: Any, path: Path | None) -> Any:
    """A file's value in the shape the command line gives it (lists for comma-separated options)."""
    default = DEFAULTS[name]
    if name in _LISTS:
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if isinstance(value, list) and isinstance(default, str):
        return ",".join(str(v) for v in value)
    expected = type(default) if default is not None else _UNSET_TYPES.get(name, type(value))
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise UsageError(f"{path}: {name.replace('_', '-')} should be {expected.__name__}, got {value!r}")
    return value


def describe(args: argparse.Namespace, sources: dict[str, str]) -> list[str]:
    """``--print-config``: one line per setting, secrets shown only as set or not."""
    lines = []
    for name in DEFAULTS:
        if name == "print_config":
            continue
        value = getattr(args, name)
        if name in _MASKED and value:
            value = "(set)"
        lines.append(f"{name.replace('_', '-'):<20} {value!r:<40} {sources[name]}")
    return lines
