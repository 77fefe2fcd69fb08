"""Reading a province's rules file (verdict rules, tracking rules): safe YAML, errors that name the file and line."""

from __future__ import annotations

import yaml

from .errors import EcoZoningError


def load_rules_yaml(path: str, error: type[EcoZoningError], example: str) -> dict:
    """The mapping of a rules file that holds a 'rules' list, or `error` saying what is wrong and where."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise error(f"cannot read the rules file {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise error(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise error(f"{path}: a rules file needs a 'rules' list (see {example})")
    return data
