"""Every `--json` document follows the contract: a `schema` naming its shape, the data under
named keys, and every timestamp in UTC with `Z`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
import typer.main

from terragon_tui.cli.app import app
from terragon_tui.reports.contract import SHAPES, schema_name

from ..generators import project

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
#: Text that looks like a timestamp of any form, so none slips past the check above.
LOOKS_LIKE_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def _obj(*required: str, **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": properties}


_LIST = {"type": "array"}
_ITEM = _obj("id", "title", "score", "status", "created_at", "updated_at", "closed_at")
#: One small JSON Schema per shape: the top-level keys a script may rely on.
SHAPE_SCHEMAS: dict[str, dict[str, Any]] = {
    "items": _obj("items", items={"type": "array", "items": _ITEM}),
    "item": _obj("id", "title", "score", "status", "created_at", "updated_at", "closed_at"),
    "next": _obj("item", item={"anyOf": [_ITEM, {"type": "null"}]}),
    "edited": _obj("edited", "fields", edited=_LIST, fields=_LIST),
    "closed": _obj("status"),
    "completion": _obj("id", "actual_hours", "score", "completed_at"),
    "ignored": _obj("file", "setting", "entry", "closed", closed=_LIST),
    "undo": _obj("undone", "id", "title"),
    "weights": _obj(),
    "scan": _obj("new", "files_total", new=_LIST),
    "value": _obj("generated_at"),
    "written": _obj("written", written={"type": "string"}),
    "delivery": _obj(),
    "calibration": _obj(),
    "calibration-undo": _obj("undone", "restored", "skipped"),
    "doctor": _obj("store", "checks", checks=_LIST),
    "config": _obj("repository", "user_config", "settings", settings=_LIST),
    "repositories": _obj("repositories", repositories=_LIST),
    "backup": _obj("path"),
    "restore": _obj("store", "backup"),
    "roadmap": _obj("phases", phases=_LIST),
    "apply": _obj("id", "recipe", "diff", "dry_run"),
    "diff": _obj("base"),
    "check": _obj("failed"),
    "backlog": _obj("repository", "generated_at", "items", items={"type": "array", "items": _ITEM}),
    "issues": _obj("issues", issues=_LIST),
}


def json_commands() -> set[str]:
    """Every command of the app with a `--json` option, as its words (`report delivery`)."""

    def walk(command: click.Command, words: tuple[str, ...]) -> Iterator[str]:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, (*words, name))
        elif any("--json" in getattr(p, "opts", ()) for p in command.params):
            yield " ".join(words)

    return set(walk(typer.main.get_command(app), ()))


def test_every_shape_has_a_json_schema_and_a_version():
    assert set(SHAPE_SCHEMAS) == set(SHAPES)
    assert schema_name("items") == "terragon.items/1"
    assert schema_name("roadmap") == "terragon.roadmap/1"  # the name scripts already read


def _timestamps_in(value: Any, where: str = "$") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _timestamps_in(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _timestamps_in(inner, f"{where}[{n}]")
    elif isinstance(value, str) and LOOKS_LIKE_TIME.match(value):
        yield where, value


def _check(document: Any, shape: str, what: str) -> None:
    assert isinstance(document, dict), what
    assert document.get("schema") == schema_name(shape), what
    jsonschema.validate(document, SHAPE_SCHEMAS[shape])
    for where, stamp in _timestamps_in(document):
        assert TIMESTAMP.fullmatch(stamp), f"{what}: {where} = {stamp!r}"


@pytest.fixture
def generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Contract Tester")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "contract@example.com")
    return project(tmp_path / "generated", files=30)


# `backup` and `restore` are SQLite's; the shapes do not depend on the store, which the command
# tests cover on both databases.
@pytest.mark.sqlite_only
def test_every_json_output_follows_its_shape(cli, generated, tmp_path):
    def run(shape: str, *args: str) -> dict[str, Any]:
        result = cli(*args, repo_path=generated)
        assert result.code in (0, 1) and result.out, (args, result.err)
        document = json.loads(result.out)
        _check(document, shape, " ".join(args))
        return document

    covered: set[str] = set()

    def command(shape: str, *args: str) -> dict[str, Any]:
        words = [a for a in args if not a.startswith("-")]
        covered.update(" ".join(words[:n]) for n in (1, 2))
        return run(shape, *args, "--json")

    command("scan", "scan", "-j", "1")
    listed = command("items", "list", "--all")["items"]
    key = listed[0]["id"]
    command("next", "next")
    command("item", "show", key)
    command("weights", "weights")
    suggested = command("item", "suggest", "--title", "Write the guide", "-c", "documentation")
    command("item", "edit", suggested["id"], "--title", "Write the user guide")
    command("edited", "edit", suggested["id"], key, "--priority", "high")
    command("completion", "complete", suggested["id"], "--hours", "2")
    others = [row["id"] for row in listed[1:3]]
    command("closed", "defer", *others, "--dry-run")
    command("closed", "defer", *others, "-r", "later")
    command("closed", "reject", listed[3]["id"], "-r", "duplicate")
    command("undo", "undo")
    rule = next(row for row in listed if row["rule"] and row["status"] == "open")["rule"]
    command("ignored", "ignore", "--rule", rule, "-r", "not for us")
    command("value", "report", "value")
    command("written", "report", "stakeholder", "-o", str(tmp_path / "report.md"))
    command("delivery", "report", "delivery")
    command("calibration", "calibrate", "--dry-run", "-m", "1")
    command("calibration", "calibrate", "-m", "1")
    command("calibration-undo", "calibrate", "--undo")
    command("doctor", "doctor")
    command("config", "config", "show")
    command("repositories", "repos")
    backup = tmp_path / "store.backup"
    command("backup", "backup", str(backup))
    command("restore", "restore", str(backup), "--yes")
    command("roadmap", "roadmap")
    fixable = next(row["id"] for row in listed if row["rule"] == "missing-contributing")
    command("apply", "apply", fixable, "--dry-run")
    issues = tmp_path / "issues"
    command("written", "export", "issues", "-o", str(issues), "-n", "2")
    command("diff", "diff", "HEAD")
    command("check", "check", "--base", "HEAD")

    # not behind --json, but JSON of the same contract
    _check(json.loads((issues / "issues.json").read_text()), "issues", "issues.json")
    run("backlog", "export", "backlog", "--format", "json")
    run("diff", "diff", "HEAD", "--format", "json")
    run("value", "report", "value", "--format", "json")

    # a command given --json without a shape here fails the test until it has one
    assert json_commands() <= covered, json_commands() - covered
