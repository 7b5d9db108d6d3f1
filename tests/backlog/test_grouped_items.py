"""Grouped items in the backlog: their occurrences follow each scan, people act on the group,
and a store from before grouping keeps every decision a person made."""

from __future__ import annotations

from sqlalchemy import insert, text

from terragon_tui.backlog.items import complete_item, edit_item, reject_item, suggest_item
from terragon_tui.backlog.listing import list_items, show_item
from terragon_tui.backlog.scanning import scan_workspace
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.store.models import Item, utcnow

from ..conftest import git

RANDOM = "import random\n\n\ndef pick(items):\n    return random.choice(items)\n"


def commit(repo, files: dict[str, str], remove: tuple[str, ...] = ()) -> None:
    for name, content in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(content)
    for name in remove:
        (repo / name).unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")


def b311(ws):
    return [e.item for e in list_items(ws, include_closed=True) if e.item.rule == "B311"]


def places(ws, key):
    return sorted((o.path, o.line) for o in show_item(ws, key).occurrences)


def test_a_rescan_follows_the_places_and_resolves_the_group_when_the_last_goes(ws, repo):
    commit(repo, {f"m{n}.py": RANDOM for n in range(3)})
    scan_workspace(ws, "security", workers=1)
    [group] = b311(ws)
    assert places(ws, group.key) == [("m0.py", 5), ("m1.py", 5), ("m2.py", 5)]
    commit(repo, {"m3.py": RANDOM}, remove=("m0.py",))
    again = scan_workspace(ws, "security", workers=1)
    assert again.outcome.new == [] and group.key in again.outcome.updated
    assert places(ws, group.key) == [("m1.py", 5), ("m2.py", 5), ("m3.py", 5)]
    assert scan_workspace(ws, "security", workers=1).outcome.updated == []  # nothing moved
    commit(repo, {}, remove=("m1.py", "m2.py", "m3.py"))
    last = scan_workspace(ws, "security", workers=1)
    assert group.key in last.outcome.resolved
    assert show_item(ws, group.key).ranked.item.status == "resolved-by-scan"


def test_a_rejected_group_stays_rejected_and_keeps_following_its_places(ws, repo):
    commit(repo, {"a.py": RANDOM, "b.py": RANDOM})
    scan_workspace(ws, "security", workers=1)
    [group] = b311(ws)
    reject_item(ws, group.key, reason="random is fine for shuffling demo data")
    commit(repo, {"c.py": RANDOM})
    outcome = scan_workspace(ws, "security", workers=1).outcome
    assert outcome.new == [] and outcome.reopened == []
    detail = show_item(ws, group.key)
    assert detail.ranked.item.status == "rejected"
    assert len(detail.occurrences) == 3


def test_completing_a_group_completes_every_place_at_once(ws, repo):
    commit(repo, {"a.py": RANDOM, "b.py": RANDOM})
    scan_workspace(ws, "security", workers=1)
    [group] = b311(ws)
    complete_item(ws, group.key, hours=1.5, impact="secrets.choice everywhere")
    assert [i.status for i in b311(ws)] == ["done"]


def test_a_store_from_before_grouping_keeps_every_decision(repo, db_url):
    from alembic import command

    from terragon_tui.discovery import scan
    from terragon_tui.store.migrations_runner import migrate

    commit(repo, {f"m{n}.py": RANDOM for n in range(5)})
    [found] = [f for f in scan(repo, "security", workers=1).findings if f.rule == "B311"]
    singles = found.occurrences  # what the scanner reported one by one before grouping

    ws = open_workspace(repo, db_url)
    migrate(ws.engine, command.downgrade, "0004")  # before occurrences
    with ws.engine.begin() as conn:
        conn.execute(
            insert(Item),
            [
                dict(
                    repo_id=ws.repo_id,
                    key=f"SEC-{n + 1:03}",
                    title=f"B311 blacklist in {place.path}:{place.line}",
                    category="security",
                    source="security",
                    rule="B311",
                    fingerprint=place.fingerprint,
                    file_path=place.path,
                    line=place.line,
                    security_severity=3.0,
                    is_security=True,
                    edited_fields=[],
                    data={},
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
                for n, place in enumerate(singles)
            ],
        )
        conn.execute(
            text("INSERT INTO item_sequence (repo_id, prefix, last) VALUES (:r, 'SEC', 5)"),
            {"r": ws.repo_id},
        )
    ws.close()

    ws = open_workspace(repo, db_url)  # upgrades to occurrences
    reject_item(ws, "SEC-001", reason="seeded on purpose")
    edit_item(ws, "SEC-002", title="Use secrets.choice for the invite codes")
    complete_item(ws, "SEC-003", hours=1, impact="fixed")
    user = suggest_item(ws, category="security", title="Pin the base image")
    assert show_item(ws, "SEC-004").occurrences[0].fingerprint == singles[3].fingerprint

    outcome = scan_workspace(ws, "security", workers=1).outcome
    [group_key] = [k for k in outcome.new if k.startswith("SEC")]
    status = {i.key: i.status for i in b311(ws)}
    assert status == {
        "SEC-001": "rejected",
        "SEC-002": "open",
        "SEC-003": "done",
        "SEC-004": "resolved-by-scan",
        "SEC-005": "resolved-by-scan",
        group_key: "open",
    }
    assert show_item(ws, "SEC-002").ranked.item.title == "Use secrets.choice for the invite codes"
    assert show_item(ws, "SEC-004").ranked.item.status_reason == (
        f"grouped into {group_key} with the other places of its rule"
    )
    # the group stands for the two places nobody had decided on
    assert places(ws, group_key) == sorted((p.path, p.line) for p in singles[3:])
    assert show_item(ws, user.key).ranked.item.security_severity == 6.0

    again = scan_workspace(ws, "security", workers=1).outcome
    assert again.new == [] and again.resolved == [] and again.reopened == []
    ws.close()


def test_a_person_security_item_made_before_severities_keeps_its_boost(repo, db_url):
    from alembic import command

    from terragon_tui.store.migrations_runner import migrate

    ws = open_workspace(repo, db_url)
    key = suggest_item(ws, category="security", title="Rotate keys", security_severity=0).key
    migrate(ws.engine, command.downgrade, "0004")
    ws.close()
    ws = open_workspace(repo, db_url)
    detail = show_item(ws, key)
    assert detail.ranked.item.security_severity == 6.0
    assert detail.breakdown.boosts == (("security", 2.5),)
    ws.close()
