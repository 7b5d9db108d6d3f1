"""`terragon roadmap`: phases and next actions as tables and JSON, and its bad input."""

from __future__ import annotations

import json


def test_roadmap_plans_the_open_items_by_the_capacity_given(cli):
    for title, hours in (("Activate CI", "6"), ("Pin dependencies", "3"), ("Split core", "30")):
        assert (
            cli(
                "suggest",
                "--category",
                "feature",
                "--title",
                title,
                "--hours",
                hours,
                "--impact",
                "8",
            ).code
            == 0
        )
    result = cli("roadmap", "--hours-per-week", "10", "--weeks-per-phase", "1", "--json")
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    assert plan["schema"] == "terragon.roadmap/1"
    assert plan["capacity"] == {
        "hours_per_week": 10.0,
        "weeks_per_phase": 1,
        "origin": "given on the command line",
    }
    assert plan["hours"] == 39 and plan["weeks"] == 4
    placed = [item for phase in plan["phases"] for item in phase["items"]]
    assert sum(item["estimated_hours"] for item in placed) == 39
    assert [p["phase"] for p in plan["phases"]] == sorted(p["phase"] for p in plan["phases"])
    assert plan["next_actions"]["immediate"][0]["id"] == placed[0]["id"]

    table = cli("roadmap", "--hours-per-week", "10")
    assert table.code == 0
    assert "Capacity: 10 hours a week, 2-week phases (given on the command line)" in table.out
    assert "Immediate (next 24 hours)" in table.out


def test_roadmap_of_an_empty_backlog_and_bad_capacities(cli):
    empty = cli("roadmap")
    assert empty.code == 0 and "No open items to plan" in empty.out
    bad = cli("roadmap", "--hours-per-week", "500")
    assert bad.code == 2
    assert bad.err.strip() == "terragon: error: --hours-per-week must be from 0.5 to 168, got 500"


def test_edit_after_links_an_item_to_another_for_the_roadmap(cli):
    keys = []
    for title in ("Activate CI", "Scan in CI"):
        made = cli("suggest", "--category", "feature", "--title", title, "--json")
        keys.append(json.loads(made.out)["id"])
    first, second = keys
    linked = cli("edit", second, "--after", first, "--json")
    assert linked.code == 0, linked.err
    assert json.loads(linked.out)["after"] == [first]
    assert (
        cli("edit", first, "--after", second)
        .err.strip()
        .startswith(f"terragon: error: {first} cannot come after {second}: the links would loop")
    )
    plan = json.loads(cli("roadmap", "--json").out)
    placed = [item["id"] for phase in plan["phases"] for item in phase["items"]]
    assert placed.index(first) < placed.index(second)
    assert cli("edit", first, second, "--after", first).code == 2  # one ID only
    cleared = cli("edit", second, "--after", "")
    assert cleared.code == 0 and "comes after no other item" in cleared.out
    cli("undo")  # the clearing
    assert json.loads(cli("show", second, "--json").out)["after"] == [first]
