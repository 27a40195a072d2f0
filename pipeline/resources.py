"""Strict loading of the rule and gazetteer files in ``models/``.

Knowledge lives in YAML files that linguists edit; code only reads them. A
file with a key the code does not know fails loudly with the file and key,
so a typo never silently disables a rule.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


class ModelError(ValueError):
    """A file in models/ is missing, malformed, or has an unknown key."""


def load_yaml(models_dir: Path | str, name: str) -> Any:
    """Parse ``models_dir/name``; errors name the file."""
    path = Path(models_dir) / name
    try:
        return _parse(path)
    except FileNotFoundError as err:
        raise ModelError(f"{path}: file not found") from err
    except yaml.YAMLError as err:
        raise ModelError(f"{path}: invalid YAML ({err})") from err


YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser is ten times faster


@lru_cache(maxsize=64)
def _parse(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YAML_LOADER)  # noqa: S506 (a safe loader)


def check_keys(entry: dict, allowed: set[str], required: set[str], where: str) -> None:
    """Reject unknown or missing keys of one entry of a models file."""
    if not isinstance(entry, dict):
        raise ModelError(f"{where}: expected a mapping, got {type(entry).__name__}")
    unknown = set(entry) - allowed
    if unknown:
        raise ModelError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    missing = required - set(entry)
    if missing:
        raise ModelError(f"{where}: missing key {sorted(missing)[0]!r}")


def section(data: Any, key: str, where: str, kind: type = list) -> Any:
    """``data[key]``, checked to be of ``kind``."""
    if not isinstance(data, dict) or key not in data:
        raise ModelError(f"{where}: missing key {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise ModelError(f"{where}: {key!r} must be a {kind.__name__}")
    return value


def models_fingerprint(models_dir: Path | str) -> str:
    """A hash of every file in models/, so caches know when rules changed."""
    digest = hashlib.sha256()
    root = Path(models_dir)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
