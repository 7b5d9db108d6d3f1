"""SARIF export: valid against the OASIS 2.1.0 schema, in the shape GitHub code scanning takes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from terragon_tui.backlog.scanning import scan_workspace
from terragon_tui.reports.backlog import export_backlog
from terragon_tui.reports.sarif import (
    FINGERPRINT_KEY,
    MAX_RESULTS,
    FlaggedItem,
    Place,
    sarif_log,
)

from ..conftest import git, suggest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The OASIS schema lives beside the project; TERRAGON_SARIF_SCHEMA points elsewhere.
SCHEMA_PATH = Path(
    os.environ.get(
        "TERRAGON_SARIF_SCHEMA", PROJECT_ROOT / "../shared/schemas/sarif-schema-2.1.0.json"
    )
)
RANDOM = "import random\n\n\ndef pick(items):\n    return random.choice(items)\n"
LEVELS = {"none", "note", "warning", "error"}


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA_PATH.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SCHEMA_PATH} (set TERRAGON_SARIF_SCHEMA)")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def github_problems(log: dict[str, Any]) -> list[str]:
    """What GitHub code scanning requires beyond the schema, each broken rule as a line."""
    problems = []
    if log.get("version") != "2.1.0" or not log.get("$schema"):
        problems.append("version 2.1.0 and $schema")
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        if not driver.get("name"):
            problems.append("tool.driver.name")
        rules = {rule["id"]: rule for rule in driver.get("rules", [])}
        for rule in rules.values():
            for part in ("shortDescription", "fullDescription", "help"):
                if not rule.get(part, {}).get("text"):
                    problems.append(f"rule {rule['id']}: {part}.text")
        if len(run["results"]) > MAX_RESULTS:
            problems.append(f"{len(run['results'])} results in one run")
        for result in run["results"]:
            if result.get("ruleId") not in rules:
                problems.append(f"ruleId {result.get('ruleId')!r} not among the rules")
            if not result.get("message", {}).get("text"):
                problems.append("message.text")
            if result.get("level") not in LEVELS:
                problems.append(f"level {result.get('level')!r}")
            if not result.get("locations"):
                problems.append("no location")
            for location in result.get("locations", []):
                physical = location["physicalLocation"]
                uri = physical["artifactLocation"]["uri"]
                if not uri or uri.startswith("/") or "\\" in uri or ":" in uri.split("/")[0]:
                    problems.append(f"uri {uri!r} is not relative with forward slashes")
                if physical.get("region", {}).get("startLine", 0) < 1:
                    problems.append("region.startLine below 1")
            prints = result.get("partialFingerprints", {})
            if not prints or not all(isinstance(v, str) for v in prints.values()):
                problems.append("partialFingerprints values must be strings")
    return problems


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return log["runs"][0]["results"]


@pytest.fixture
def scanned(ws, repo):
    """The demo repository with B311 in three files, a B101 and a suggestion without a file."""
    for n in range(3):
        (repo / f"m{n}.py").write_text(RANDOM)
    (repo / "check.py").write_text("def f(x):\n    assert x\n    return x\n")
    (repo / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "more")
    scan_workspace(ws, "security", workers=1)
    suggest(ws, "Write a threat model", "security", security_severity=9, impact=9)
    return ws


def test_the_backlog_export_is_valid_sarif_code_scanning_takes(scanned, validator):
    log = json.loads(export_backlog(scanned, "sarif"))
    validator.validate(log)
    assert github_problems(log) == []
    assert {r["ruleId"] for r in results(log)} >= {
        "security/B311",
        "security/B101",
        "user/suggested",
    }


def test_one_result_per_place_with_the_items_fingerprints_score_and_id(scanned):
    log = json.loads(export_backlog(scanned, "sarif"))
    b311 = [r for r in results(log) if r["ruleId"] == "security/B311"]
    assert len(b311) == 3
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in b311)
    assert uris == ["m0.py", "m1.py", "m2.py"]
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in b311} == {5}
    assert len({r["partialFingerprints"][FINGERPRINT_KEY] for r in b311}) == 3
    [item_id] = {r["properties"]["itemId"] for r in b311}
    assert item_id.startswith("SEC-")
    assert all(isinstance(r["properties"]["score"], float) for r in b311)
    rule = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "security/B311")
    assert rule["name"] == "blacklist"
    assert "pseudo-random" in rule["fullDescription"]["text"]


def test_fingerprints_stay_the_same_on_a_rescan(scanned):
    def prints() -> set[str]:
        log = json.loads(export_backlog(scanned, "sarif"))
        return {r["partialFingerprints"][FINGERPRINT_KEY] for r in results(log)}

    before = prints()
    scan_workspace(scanned, "security", workers=1, use_cache=False)
    assert prints() == before


def test_a_repository_wide_item_points_at_the_projects_config_file(scanned):
    log = json.loads(export_backlog(scanned, "sarif"))
    [threat] = [r for r in results(log) if r["ruleId"] == "user/suggested"]
    location = threat["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "pyproject.toml"
    assert location["region"]["startLine"] == 1
    assert "(repository-wide)" in threat["message"]["text"]
    assert threat["level"] == "error"  # severity 9 is high


def test_closed_items_are_left_out(ws):
    from terragon_tui.backlog.items import defer_item

    suggest(ws, "Kept", "feature")
    deferred = suggest(ws, "Deferred", "feature")
    defer_item(ws, deferred.key, reason="later")
    texts = [r["message"]["text"] for r in results(json.loads(export_backlog(ws, "sarif")))]
    assert len(texts) == 1 and texts[0].startswith("Kept")


def item(n: int, **fields: Any) -> FlaggedItem:
    values: dict[str, Any] = {
        "key": f"DEBT-{n:03}",
        "title": f"Item {n}",
        "description": "",
        "category": "technical-debt",
        "priority": "medium",
        "source": "todos",
        "rule": "todo",
        "score": 50.0 - n / 1000,
        "rank": n,
        "security_severity": 0.0,
        "places": (Place(f"src/m{n}.py", n + 1, f"print-{n}"),),
    }
    values.update(fields)
    return FlaggedItem(**values)


def test_past_the_limit_the_best_ranked_are_kept_and_the_run_says_how_many_went(validator):
    log = sarif_log([item(n) for n in range(1, 31)], limit=10)
    validator.validate(log)
    assert [r["properties"]["rank"] for r in results(log)] == list(range(1, 11))
    [note] = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("20 of 30 results left out")


def test_a_run_never_holds_more_results_than_code_scanning_accepts():
    places = tuple(Place(f"f{n}.py", 1, str(n)) for n in range(MAX_RESULTS + 5))
    log = sarif_log([item(1, places=places)])
    assert len(results(log)) == MAX_RESULTS
    [note] = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("5 of 25005 results left out")


@pytest.mark.parametrize(
    ("severity", "priority", "level"),
    [
        (9.0, "low", "error"),
        (6.0, "low", "warning"),
        (2.0, "high", "note"),
        (0.0, "high", "warning"),
        (0.0, "medium", "note"),
    ],
)
def test_level_follows_severity_then_priority(severity, priority, level):
    log = sarif_log([item(1, security_severity=severity, priority=priority)])
    assert results(log)[0]["level"] == level
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert ("security-severity" in rule["properties"]) == (severity > 0)


def test_hostile_text_and_paths_come_out_as_plain_relative_text(validator):
    hostile = item(
        1,
        title="\x1b]0;pwned\x07 [x](javascript:alert(1)) <b>",
        description="first *line*\nsecond",
        places=(Place("/abs/dir with space\\win.py", 0, "p"), Place("./a/b.py", None, "q")),
    )
    log = sarif_log([hostile])
    validator.validate(log)
    assert github_problems(log) == []
    text = json.dumps(log)
    assert "\x1b" not in text and "\\u001b" not in text and "\x07" not in text
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results(log)]
    assert uris == ["abs/dir%20with%20space/win.py", "a/b.py"]
    assert results(log)[0]["message"]["text"].endswith("[DEBT-001]: first *line*")
    markdown = log["runs"][0]["tool"]["driver"]["rules"][0]["help"]["markdown"]
    assert "<" not in markdown.replace("\\<", "")


def test_the_cli_writes_sarif_and_names_it_among_the_formats(cli, tmp_path):
    out = tmp_path / "backlog.sarif"
    assert cli("suggest", "--category", "feature", "--title", "Export it").code == 0
    done = cli("export", "backlog", "--format", "sarif", "-o", str(out))
    assert done.code == 0, done.err
    assert json.loads(out.read_text())["version"] == "2.1.0"
    wrong = cli("export", "backlog", "--format", "xml")
    assert wrong.code != 0 and "sarif" in wrong.err and len(wrong.err.strip().splitlines()) == 1


def test_places_sharing_a_print_get_distinct_ones_so_no_alert_swallows_another():
    shared = (Place("a.py", 3, "same"), Place("a.py", 9, "same"), Place("b.py", 1, "other"))
    log = sarif_log([item(1, places=shared)])
    assert [r["partialFingerprints"][FINGERPRINT_KEY] for r in results(log)] == [
        "same",
        "same/2",
        "other",
    ]


def test_diff_as_sarif_holds_what_the_branch_introduces(
    cli, repo, validator, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "shell.py").write_text(
        "import subprocess\n\n\ndef run(c):\n    return subprocess.call(c, shell=True)\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature")
    result = cli("diff", "main", "--format", "sarif", "-j", "1")
    assert result.code == 0, result.err
    log = json.loads(result.out)
    validator.validate(log)
    assert github_problems(log) == []
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"security/B602", "security/B404"}
    b602 = next(r for r in results if r["ruleId"] == "security/B602")
    assert b602["level"] == "error"
    location = b602["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "shell.py"
    assert location["region"]["startLine"] == 5
    assert b602["properties"]["itemId"].startswith("introduced:")
