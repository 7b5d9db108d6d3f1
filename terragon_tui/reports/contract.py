"""The JSON contract: every `--json` document's schema name and version, and its timestamps."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

#: Shape -> version of every JSON document the command line prints or writes. A change that
#: removes or renames a key, or changes what a value means, takes the next version.
SHAPES: dict[str, int] = {
    "items": 1,  # list: {"items": [item...]}
    "item": 1,  # show, suggest, edit of one item: the item's fields
    "next": 1,  # next: {"item": item or null}
    "edited": 1,  # edit of several items
    "closed": 1,  # defer, reject (also --dry-run)
    "completion": 1,  # complete
    "ignored": 1,  # ignore
    "undo": 1,  # undo
    "weights": 1,  # weights
    "scan": 1,  # scan
    "value": 1,  # report value
    "written": 1,  # report stakeholder -o, export issues: the file or folder written
    "delivery": 1,  # report delivery
    "calibration": 1,  # calibrate
    "calibration-undo": 1,  # calibrate --undo
    "doctor": 1,  # doctor
    "config": 1,  # config show: {"repository", "user_config", "settings": [...]}
    "repositories": 1,  # repos: {"repositories": [...]}
    "backup": 1,  # backup
    "restore": 1,  # restore
    "roadmap": 1,  # roadmap
    "apply": 1,  # apply
    "diff": 1,  # diff
    "check": 1,  # check
    "backlog": 1,  # export backlog --format json
    "issues": 1,  # issues.json of export issues
}


def schema_name(shape: str) -> str:
    """The value of the `schema` field of a `shape` document, e.g. `terragon.items/1`."""
    return f"terragon.{shape}/{SHAPES[shape]}"


def document(shape: str, fields: dict[str, Any] | None = None, /, **named: Any) -> dict[str, Any]:
    """A JSON document of `shape`: its `schema` first, then `fields` and the `named` keys."""
    return {"schema": schema_name(shape), **(fields or {}), **named}


def utc_timestamp(value: datetime) -> str:
    """`value` in UTC as ISO 8601 with `Z`; a naive value is UTC already (the store keeps UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def _timestamp_text(text: str) -> str:
    if _TIMESTAMP.fullmatch(text) is None:
        return text
    return utc_timestamp(datetime.fromisoformat(text))


def normalized(value: Any, key: str = "") -> Any:
    """`value` with every datetime, and every timestamp text under a `*_at` key, in UTC with
    `Z`; dates stay `YYYY-MM-DD`. Other text is left alone, whatever it looks like."""
    if isinstance(value, datetime):
        return utc_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return _timestamp_text(value) if key.endswith("_at") else value
    if isinstance(value, dict):
        return {k: normalized(v, k if isinstance(k, str) else "") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalized(v, key) for v in value]
    return value
