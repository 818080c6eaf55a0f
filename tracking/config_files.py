"""Reading the shipped YAML configuration files, with one-line errors that name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load_yaml(path: Path, error: type[Exception]) -> Any:
    """The parsed file; `error` with one line (file, line, problem) when it cannot be read."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where else ""
        raise error(f"{path}:{line} is not valid YAML ({getattr(exc, 'problem', exc)})") from None
