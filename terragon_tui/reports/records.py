"""Items as plain records: the JSON and CSV shapes shared by `--json`, exports and reports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core.text import json_printable, printable
from ..scoring.scale import severity_word
from .contract import normalized, utc_timestamp

if TYPE_CHECKING:  # only what is recorded: `next --json` records without the store's models
    from ..backlog.ranked import Ranked
    from ..backlog.repositories import RepositorySummary
    from ..store.rows import StoredCompletion, StoredItem, StoredOccurrence

#: Columns of the CSV export, in order.
CSV_COLUMNS = (
    "rank",
    "id",
    "title",
    "score",
    "category",
    "priority",
    "status",
    "estimated_hours",
    "impact",
    "confidence",
    "ease",
    "risk",
    "lane",
    "source",
    "rule",
    "role",
    "severity",
    "file",
    "line",
    "occurrence_count",
    "file_count",
    "description",
)


def _iso(value: datetime | None) -> str | None:
    return utc_timestamp(value) if value else None


def measurements(item: StoredItem) -> dict[str, Any]:
    """What the scan measured for an item (CC, MI, ranks, severity and confidence words, CWE,
    secret type, churn, authors, occurrences...), so scripts need not parse titles."""
    return {key: value for key, value in (item.data or {}).items() if key != "role"}


def occurrence_record(occurrence: StoredOccurrence) -> dict[str, Any]:
    """One place an item stands for, as a JSON-ready dict."""
    return {
        "file": occurrence.path,
        "line": occurrence.line,
        "symbol": occurrence.symbol,
        "measurements": dict(occurrence.data or {}),
    }


def item_record(
    entry: Ranked[StoredItem], occurrences: Sequence[StoredOccurrence] | None = None
) -> dict[str, Any]:
    """One ranked item as a JSON-ready dict; with `occurrences`, the places it stands for."""
    item: StoredItem = entry.item
    data = item.data or {}
    record = {
        "rank": entry.rank,
        "id": item.key,
        "title": item.title,
        "description": item.description,
        "score": round(entry.score, 2),
        "category": item.category,
        "priority": item.priority,
        "status": item.status,
        "status_reason": item.status_reason,
        "estimated_hours": item.estimated_hours,
        "impact": item.impact,
        "confidence": item.confidence,
        "ease": item.ease,
        "risk": item.risk,
        "lane": entry.lane,
        "business_value": item.business_value,
        "time_criticality": item.time_criticality,
        "risk_reduction": item.risk_reduction,
        "debt_hours": item.debt_hours,
        "debt_interest": item.debt_interest,
        "security_severity": item.security_severity,
        "flags": {
            "security": item.is_security,
            "compliance": item.is_compliance,
            "performance": item.is_performance,
        },
        "business_value_text": item.business_value_text,
        "source": item.source,
        "rule": item.rule,
        "file": item.file_path,
        "line": item.line,
        "branch": item.branch,
        "issue_url": item.issue_url,
        "role": data.get("role") if item.source != "user" else None,
        "after": list(data.get("after", [])),
        "severity": severity_word(item.security_severity),
        "occurrence_count": int(data.get("occurrences", 1 if item.fingerprint else 0)),
        "file_count": int(data.get("files", 1 if item.file_path else 0)),
        "measurements": measurements(item),
        "edited_fields": list(item.edited_fields),
        "created_at": _iso(item.created_at),
        "updated_at": _iso(item.updated_at),
        "closed_at": _iso(item.closed_at),
    }
    if occurrences is not None:
        record["occurrences"] = [occurrence_record(o) for o in occurrences]
    return record


def repository_record(summary: RepositorySummary, current: bool = False) -> dict[str, Any]:
    """One repository of the store as a JSON-ready dict: where, how many open, the top item."""
    top = summary.top
    return {
        "name": summary.name,
        "path": summary.path,
        "exists": summary.exists,
        "current": current,
        "open_items": summary.open_items,
        "top": (
            {"id": top.item.key, "title": top.item.title, "score": round(top.score, 2)}
            if top is not None
            else None
        ),
        "last_scan_at": _iso(summary.last_scan_at),
        "problem": summary.problem,
    }


def completion_record(completion: StoredCompletion) -> dict[str, Any]:
    """One completion as a JSON-ready dict."""
    return {
        "actual_hours": completion.actual_hours,
        "estimated_hours": completion.estimated_hours,
        "impact_notes": completion.impact_notes,
        "outcome": completion.outcome,
        "score": round(completion.score, 2),
        "completed_at": _iso(completion.completed_at),
    }


def to_json(value: Any) -> str:
    """Pretty, stable JSON (non-ASCII kept readable, every control character escaped), every
    timestamp in UTC with `Z`."""
    text = json.dumps(normalized(value), indent=2, ensure_ascii=False, sort_keys=False)
    return json_printable(text)


def _csv_cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = printable(value)  # a CSV printed to a terminal must not drive it
    # A cell starting with = + - @ would run as a formula in a spreadsheet, and some
    # spreadsheets skip leading blanks before looking.
    if value[:1] in ("\t", "\r") or value.lstrip()[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def items_csv(entries: Iterable[Ranked[StoredItem]]) -> str:
    """Ranked items as CSV, one row each, formula-looking text defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        record = item_record(entry)
        record["file"], record["line"] = entry.item.file_path, entry.item.line
        writer.writerow(_csv_cell(record[column]) for column in CSV_COLUMNS)
    return buffer.getvalue()
