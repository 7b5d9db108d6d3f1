"""The places an item stands for: written by each scan, read by show, the TUI and exports."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, delete, func, insert, type_coerce
from sqlalchemy import select as core_select  # SQLModel's takes at most four columns
from sqlmodel import Session, col, or_, select

from ..core.vocabulary import OPEN_STATUSES
from ..discovery.finding import Finding
from ..store.models import Item, Occurrence
from .filters import places_by_item

#: Statuses that say a person decided about an item (open and resolved-by-scan do not).
DECIDED_STATUSES = frozenset({"done", "deferred", "rejected", "in-progress"})


#: A place as a comparable value: path, line, symbol, fingerprint and its data as JSON.
_Shape = tuple[str | None, int | None, str | None, str, str]


def _shape(path: str | None, line: int | None, symbol: str | None, fp: str, data: Any) -> _Shape:
    return (path, line, symbol, fp, json.dumps(data, sort_keys=True, default=str))


def _rows(item_id: int, finding: Finding) -> list[dict[str, Any]]:
    return [
        {
            "item_id": item_id,
            "path": place.path,
            "line": place.line,
            "symbol": place.symbol,
            "fingerprint": place.fingerprint,
            "data": dict(place.data),
        }
        for place in finding.occurrences
    ]


def sync_occurrences(
    session: Session, ids: Mapping[str, int], found: Mapping[str, Finding]
) -> None:
    """Make the stored occurrences of each found item (fingerprint -> item id) what the scan saw.

    Only items whose places changed are rewritten, so an unchanged rescan writes nothing.
    """
    if not ids:
        return
    stored: dict[int, set[_Shape]] = {item_id: set() for item_id in ids.values()}
    rows = session.execute(
        core_select(
            col(Occurrence.item_id),
            col(Occurrence.path),
            col(Occurrence.line),
            col(Occurrence.symbol),
            col(Occurrence.fingerprint),
            col(Occurrence.data),
        ).where(col(Occurrence.item_id).in_(list(ids.values())))
    )
    for item_id, path, line, symbol, fp, data in rows:
        stored[item_id].add(_shape(path, line, symbol, fp, data))
    changed, fresh = [], []
    for fingerprint, item_id in ids.items():
        finding = found[fingerprint]
        wanted = {
            _shape(p.path, p.line, p.symbol, p.fingerprint, p.data) for p in finding.occurrences
        }
        if wanted != stored[item_id]:
            changed.append(item_id)
            fresh.extend(_rows(item_id, finding))
    for start in range(0, len(changed), 500):  # keep each IN (...) list short
        session.execute(
            delete(Occurrence).where(col(Occurrence.item_id).in_(changed[start : start + 500]))
        )
    if fresh:
        session.execute(insert(Occurrence), fresh)


def decided_by_a_person(item: Item) -> bool:
    """Whether a person took a decision on the item: closed it, started it, or edited it."""
    return item.status in DECIDED_STATUSES or (
        item.status in OPEN_STATUSES and bool(item.edited_fields)
    )


@dataclass
class Regrouping:
    """Items of single findings that a group now stands for, from a store made before
    grouping: the untouched ones join their group, the decided ones stay as they are."""

    joining: dict[str, list[Item]]  # group fingerprint -> items now part of it
    kept_places: set[str]  # fingerprints of places whose item a person decided on


def regroup(known: Iterable[Item], found: Mapping[str, Finding]) -> Regrouping:
    """Sort out the known items whose fingerprint is now only a place of a found group."""
    group_of = {
        fp: group_fp
        for group_fp, finding in found.items()
        for place in finding.occurrences
        for fp in place.fingerprints
        if fp != group_fp
    }
    joining: dict[str, list[Item]] = {}
    kept: set[str] = set()
    for item in known:
        if item.fingerprint in found or item.fingerprint not in group_of:
            continue
        if decided_by_a_person(item):
            kept.add(item.fingerprint)
        elif item.status in OPEN_STATUSES:
            joining.setdefault(group_of[item.fingerprint], []).append(item)
    return Regrouping(joining, kept)


def without_places(found: dict[str, Finding], places: set[str]) -> dict[str, Finding]:
    """The found items without the places people decided on; a group left empty is gone."""
    if not places:
        return found
    kept: dict[str, Finding] = {}
    for fingerprint, finding in found.items():
        remaining = [p for p in finding.occurrences if not places.intersection(p.fingerprints)]
        if len(remaining) == len(finding.occurrences):
            kept[fingerprint] = finding
        elif remaining:
            finding.occurrences = remaining
            finding.data = {**finding.data, "occurrences": len(remaining)}
            kept[fingerprint] = finding
    return kept


def repository_occurrences(session: Session, repo_id: int) -> dict[int, list[Occurrence]]:
    """Every stored occurrence of a repository's items, by item id, in file and line order."""
    found: dict[int, list[Occurrence]] = {}
    rows = session.exec(
        select(Occurrence)
        .join(Item, col(Item.id) == col(Occurrence.item_id))
        .where(Item.repo_id == repo_id)
        .order_by(col(Occurrence.item_id), col(Occurrence.path), col(Occurrence.line))
    )
    for occurrence in rows:
        found.setdefault(occurrence.item_id, []).append(occurrence)
    return found


def occurrences_of(session: Session, item_ids: Iterable[int]) -> dict[int, list[Occurrence]]:
    """The stored occurrences of some items, by item id, in file and line order."""
    ids = list(item_ids)
    found: dict[int, list[Occurrence]] = {item_id: [] for item_id in ids}
    for start in range(0, len(ids), 500):
        rows = session.exec(
            select(Occurrence)
            .where(col(Occurrence.item_id).in_(ids[start : start + 500]))
            .order_by(col(Occurrence.path), col(Occurrence.line), col(Occurrence.id))
        )
        for occurrence in rows:
            found[occurrence.item_id].append(occurrence)
    return found


def load_places(session: Session, repo_id: int) -> dict[int, tuple[str, ...]]:
    """The paths of each item's occurrences other than its own `file_path` (a grouped item's
    many places), by item id, over the repository's items."""
    rows = session.exec(
        select(Occurrence.item_id, Occurrence.path)
        .join(Item, col(Item.id) == col(Occurrence.item_id))
        .where(
            Item.repo_id == repo_id,
            col(Occurrence.path).is_not(None),
            or_(col(Item.file_path).is_(None), col(Item.file_path) != col(Occurrence.path)),
        )
    ).all()
    return places_by_item(rows)


def grouped_counts(session: Session, repo_id: int) -> dict[int, int]:
    """How many occurrences each grouped item of a repository has (items with more than one)."""
    items = select(Item.id).where(Item.repo_id == repo_id)
    rows = session.execute(  # IN (subquery) lets SQLite count on the item_id index alone
        select(Occurrence.item_id, func.count())
        .where(col(Occurrence.item_id).in_(items))
        .group_by(col(Occurrence.item_id))
        .having(func.count() > 1)
    )
    return {item_id: count for item_id, count in rows}


def occurrence_rows(session: Session, item_id: int) -> list[Any]:
    """One item's occurrences as light rows (path, line, symbol, data), in file and line order.

    Plain rows, not ORM objects, and `data` left as the store gives it (JSON text on SQLite;
    `place_data` reads it): a group can have 100,000 places and only a screenful is shown.
    """
    return list(
        session.execute(
            select(
                Occurrence.path,
                Occurrence.line,
                Occurrence.symbol,
                type_coerce(Occurrence.data, String).label("data"),
            )
            .where(Occurrence.item_id == item_id)
            .order_by(col(Occurrence.path), col(Occurrence.line), col(Occurrence.id))
        ).all()
    )


def place_data(raw: str | dict[str, Any] | None) -> dict[str, Any]:
    """The measurements of a place read by `occurrence_rows`."""
    if isinstance(raw, str):
        data: dict[str, Any] = json.loads(raw)  # the JSON of a place's data: an object
        return data
    return raw or {}


def occurrence_preview(
    session: Session, item_id: int, limit: int
) -> tuple[list[Occurrence], tuple[int, int]]:
    """An item's first `limit` occurrences in file and line order, and (places, files) in all
    (those with a file): what a detail view shows of a large group without reading it whole."""
    first = list(
        session.exec(
            select(Occurrence)
            .where(Occurrence.item_id == item_id)
            .order_by(col(Occurrence.path), col(Occurrence.line), col(Occurrence.id))
            .limit(limit)
        )
    )
    places, files = session.execute(
        select(func.count(col(Occurrence.path)), func.count(func.distinct(Occurrence.path))).where(
            Occurrence.item_id == item_id
        )
    ).one()
    return first, (places, files)
