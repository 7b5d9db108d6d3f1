"""Bulk decisions from the command line: reject or defer by IDs, rule, path glob or source,
with one reason, undone together by one undo."""

from __future__ import annotations

import json

from ..conftest import git


def _scanned(cli, repo):
    """The demo repository with three B311 findings (two in tests/, one in src/) and a TODO."""
    (repo / "tests").mkdir(exist_ok=True)
    (repo / "src").mkdir(exist_ok=True)
    dice = "import random\n\n\ndef roll():\n    return random.random()\n"
    (repo / "tests" / "test_a.py").write_text(dice)
    (repo / "tests" / "test_b.py").write_text(dice.replace("roll", "toss"))
    (repo / "src" / "game.py").write_text(dice + "# TODO: seed it\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "dice")
    assert cli("scan").code == 0
    return {row["id"]: row for row in json.loads(cli("list", "--json", "-n", "1000").out)["items"]}


def test_reject_by_rule_and_path_closes_every_match_and_one_undo_reopens_them(cli, repo):
    before = _scanned(cli, repo)
    b311 = sorted(k for k, row in before.items() if row["rule"] == "B311")
    assert b311, before
    dry = json.loads(cli("reject", "--rule", "B311", "--dry-run", "--json", "-r", "x").out)
    assert dry["would_close"] == b311
    assert len(json.loads(cli("list", "--json", "-n", "1000").out)["items"]) == len(
        before
    )  # unchanged
    done = cli("reject", "--rule", "B311", "-r", "random is fine here")
    assert done.code == 0, done.err
    assert f"Rejected {len(b311)} item" in done.out or f"Rejected {b311[0]}" in done.out
    rows = {
        r["id"]: r for r in json.loads(cli("list", "--all", "--json", "-n", "1000").out)["items"]
    }
    assert {rows[k]["status"] for k in b311} == {"rejected"}
    assert all(rows[k]["status"] == "open" for k in before if k not in b311)
    undone = json.loads(cli("undo", "--json").out)
    assert undone["undone"] == "rejected"
    assert undone.get("ids", [undone["id"]]) == b311
    rows = {r["id"]: r for r in json.loads(cli("list", "--json", "-n", "1000").out)["items"]}
    assert set(b311) <= set(rows)


def test_many_ids_are_one_change_and_undo_says_how_many(cli, repo):
    before = _scanned(cli, repo)
    keys = sorted(before)[:3]
    done = cli("defer", *keys, "-r", "after the release")
    assert done.code == 0, done.err
    assert done.out.startswith(f"Deferred 3 items: {', '.join(keys)}")
    said = cli("undo")
    assert said.out.startswith(f"Undid the deferral of 3 items ({', '.join(keys)})")
    nothing = cli("undo")  # the three were one change: nothing of mine is left to undo
    assert nothing.code == 2 and "nothing to undo" in nothing.err


def test_a_path_glob_matches_a_groups_occurrences(cli, repo):
    before = _scanned(cli, repo)
    in_src = json.loads(cli("defer", "--path", "src/*", "--dry-run", "--json", "-r", "x").out)
    assert in_src["would_close"]
    assert all(before[key]["file"] in (None, "src/game.py") for key in in_src["would_close"]), (
        in_src
    )


def test_selectors_are_checked_before_anything_changes(cli, repo):
    before = _scanned(cli, repo)
    key = sorted(before)[0]
    both = cli("reject", key, "--rule", "B311", "-r", "x")
    assert both.code == 2 and "not both" in both.err
    none = cli("reject", "-r", "x")
    assert none.code == 2 and "name the items" in none.err
    nothing = cli("reject", "--rule", "NOPE", "-r", "x")
    assert nothing.code != 0 and "no open item matches --rule NOPE" in nothing.err
    no_reason = cli("reject", "--rule", "B311")
    assert no_reason.code == 2 and "reason" in no_reason.err
    closed = cli("reject", key, sorted(before)[1], "-r", "x")
    assert closed.code == 0
    again = cli("reject", key, sorted(before)[2], "-r", "x")  # the first is closed already
    assert again.code != 0
    rows = {r["id"]: r["status"] for r in json.loads(cli("list", "--all", "--json").out)["items"]}
    assert rows[sorted(before)[2]] == "open"  # all or nothing


def test_edit_with_several_ids_sets_the_same_fields_on_each_and_one_undo_reverts(cli, repo):
    before = _scanned(cli, repo)
    keys = sorted(before)[:2]
    done = cli("edit", *keys, "--priority", "critical", "--ease", "9")
    assert done.code == 0, done.err
    assert done.out.startswith(f"Updated 2 items: {', '.join(keys)}")
    rows = {r["id"]: r for r in json.loads(cli("list", "--json", "-n", "1000").out)["items"]}
    assert [(rows[k]["priority"], rows[k]["ease"]) for k in keys] == [("critical", 9)] * 2
    assert [rows[k]["title"] for k in keys] == [before[k]["title"] for k in keys]
    said = cli("undo")
    assert said.out.startswith(f"Undid the edit of 2 items ({', '.join(keys)})")
    rows = {r["id"]: r for r in json.loads(cli("list", "--json", "-n", "1000").out)["items"]}
    assert [rows[k]["priority"] for k in keys] == [before[k]["priority"] for k in keys]
    bad = cli("edit", keys[0], "NOPE-999", "--ease", "3")
    assert bad.code != 0 and "NOPE-999" in bad.err and len(bad.err.strip().splitlines()) == 1
