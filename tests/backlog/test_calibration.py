"""`terragon calibrate`: ratios learned from completions, applied to open estimates, undone."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from terragon_tui.backlog.calibration import calibrate, undo_calibration
from terragon_tui.backlog.items import complete_item, edit_item
from terragon_tui.backlog.listing import ranked_backlog
from terragon_tui.core.errors import UsageError
from terragon_tui.scoring.components import job_size
from terragon_tui.store.models import Calibration, Item

from ..conftest import suggest
from ..reports.history import backdate


def estimate(ws, key: str) -> float:
    with ws.session() as session:
        return session.exec(select(Item).where(Item.key == key)).one().estimated_hours


@pytest.fixture
def learned(ws):
    """Completions: feature 2→3, 4→6, 2→3 h (ratio 12/8 = 1.5); one documentation 2→1 h
    from the `todos` source; a failed feature 10→1 h that must not count.

    Open: FEAT-005 (4 h), FEAT-006 (estimate set by a person), DOCS-002 (todos, 2 h),
    TEST-001 (1 h, no category evidence, source `user` has 3 completions at 1.5).
    """
    for hours, actual in ((2, 3), (4, 6), (2, 3)):
        key = suggest(ws, f"Feature {hours}/{actual}", "feature", estimated_hours=hours).key
        complete_item(ws, key, hours=actual)
    failed = suggest(ws, "Failed try", "feature", estimated_hours=10).key  # FEAT-004
    complete_item(ws, failed, hours=1, outcome="failed")
    suggest(ws, "Docs done", "documentation", estimated_hours=2)  # DOCS-001
    backdate(ws, "DOCS-001", source="todos")
    complete_item(ws, "DOCS-001", hours=1)
    suggest(ws, "Open feature", "feature", estimated_hours=4)  # FEAT-005
    suggest(ws, "Hand-estimated feature", "feature", estimated_hours=3)  # FEAT-006
    edit_item(ws, "FEAT-006", estimated_hours=10)
    suggest(ws, "Open docs", "documentation", estimated_hours=2)  # DOCS-002
    backdate(ws, "DOCS-002", source="todos")
    suggest(ws, "Open tests", "testing", estimated_hours=1)  # TEST-001
    return ws


def test_ratios_per_category_and_source_with_their_evidence(learned):
    result = calibrate(learned, dry_run=True)
    feature, docs = result.categories
    # feature: (3 + 6 + 3) / (2 + 4 + 2) = 12 / 8 = 1.5 over 3 completions; the failed one
    # (10 h estimated, 1 h actual) would make it 13 / 18 if it counted.
    assert (feature.name, feature.completions, feature.ratio, feature.strong) == (
        "feature",
        3,
        1.5,
        True,
    )
    # documentation: 1 / 2 = 0.5, but 1 completion < 3: weak, and says why.
    assert (docs.name, docs.completions, docs.ratio) == ("documentation", 1, 0.5)
    assert not docs.strong
    assert docs.reason == "only 1 completion, 3 needed: no change"
    # Sources: user = the three features (1.5, strong); todos = DOCS-001 (weak).
    assert [(s.name, s.completions, s.ratio, s.strong) for s in result.sources] == [
        ("user", 3, 1.5, True),
        ("todos", 1, 0.5, False),
    ]


def test_open_estimates_follow_the_ratio_and_so_do_job_size_and_score(learned):
    result = calibrate(learned)
    changes = {c.key: c for c in result.changes}
    # FEAT-005: 4 h × 1.5 = 6 h (job size 3 → 5); TEST-001: no testing evidence, so the
    # source `user` ratio applies: 1 h × 1.5 = 1.5 h (job size 1 → 2).
    assert {k: (c.before, c.after) for k, c in changes.items()} == {
        "FEAT-005": (4, 6),
        "TEST-001": (1, 1.5),
    }
    assert (changes["FEAT-005"].size_before, changes["FEAT-005"].size_after) == (3, 5)
    assert (job_size(1), job_size(1.5)) == (1, 2)
    assert changes["TEST-001"].evidence.group == "source"
    assert result.kept == ["FEAT-006"]  # a person set 10 h: kept
    assert result.uncovered == 1  # DOCS-002: weak category and weak source
    assert (estimate(learned, "FEAT-005"), estimate(learned, "DOCS-002")) == (6, 2)
    with learned.session() as session:
        scores = {r.item.key: r.score for r in ranked_backlog(learned, session)}
    assert scores["FEAT-005"] == pytest.approx(changes["FEAT-005"].score_after)
    assert changes["FEAT-005"].score_after < changes["FEAT-005"].score_before  # larger job


def test_the_run_is_recorded_and_calibrating_again_does_not_compound(learned):
    first = calibrate(learned)
    with learned.session() as session:
        run = session.get(Calibration, first.run_id)
    assert run is not None and run.min_completions == 3
    assert run.ratios["category"]["feature"]["ratio"] == 1.5
    assert {c["key"]: (c["base"], c["before"], c["after"]) for c in run.changes} == {
        "FEAT-005": (4, 4, 6),
        "TEST-001": (1, 1, 1.5),
    }
    again = calibrate(learned)
    assert again.changes == [] and again.run_id is None  # 4 × 1.5 is still 6, not 9
    assert estimate(learned, "FEAT-005") == 6


def test_evidence_from_a_calibrated_estimate_is_measured_against_its_base(learned):
    calibrate(learned)
    complete_item(learned, "FEAT-005", hours=6)  # estimated 6 after calibration, base 4
    (feature, *_rest) = calibrate(learned, dry_run=True).categories
    # (12 + 6) / (8 + 4) = 1.5 over 4 completions (against 6 h it would read 18 / 14).
    assert (feature.completions, feature.ratio) == (4, 1.5)


def test_dry_run_changes_nothing(learned):
    result = calibrate(learned, dry_run=True)
    assert result.changes and result.run_id is None
    assert estimate(learned, "FEAT-005") == 4
    with learned.session() as session:
        assert session.exec(select(Calibration)).all() == []


def test_too_few_completions_change_nothing_and_say_why(learned):
    result = calibrate(learned, min_completions=4)
    assert result.changes == [] and result.run_id is None
    assert result.categories[0].reason == "only 3 completions, 4 needed: no change"
    assert estimate(learned, "FEAT-005") == 4


def test_undo_restores_the_estimates_unless_changed_since(learned):
    calibrate(learned)
    edit_item(learned, "TEST-001", title="Open tests, renamed")  # estimate untouched
    undone = undo_calibration(learned)
    assert (undone.restored, undone.skipped) == (["FEAT-005", "TEST-001"], [])
    assert (estimate(learned, "FEAT-005"), estimate(learned, "TEST-001")) == (4, 1)
    with pytest.raises(UsageError, match="no calibration to undo"):
        undo_calibration(learned)
    calibrate(learned)
    edit_item(learned, "FEAT-005", estimated_hours=7)
    assert undo_calibration(learned).skipped == ["FEAT-005"]
    assert estimate(learned, "FEAT-005") == 7


def test_a_ratio_within_five_percent_confirms_the_estimates(ws):
    # 3 × (est. 10, actual 10.3): 30.9 / 30 = 1.03, within 5 %: factor 1, nothing changes.
    for n in range(3):
        complete_item(ws, suggest(ws, f"Done {n}", "feature", estimated_hours=10).key, hours=10.3)
    suggest(ws, "Open", "feature", estimated_hours=4)
    result = calibrate(ws)
    (feature,) = result.categories
    assert feature.ratio == pytest.approx(1.03) and feature.factor == 1.0
    assert feature.reason == "within 5% of the estimates: no change"
    assert result.changes == [] and result.uncovered == 0


def test_calibrated_estimates_go_back_to_their_base_once_the_ratio_is_near_1(learned):
    calibrate(learned)  # FEAT-005: 4 → 6
    # Three more 4 h features done in 2.9 h: (12 + 3 × 2.9) / (8 + 3 × 4) = 20.7 / 20 = 1.035,
    # within 5 %: the factor is 1 and FEAT-005 goes back to its base of 4 h.
    for n in range(3):
        key = suggest(learned, f"Quick {n}", "feature", estimated_hours=4).key
        complete_item(learned, key, hours=2.9)
    result = calibrate(learned)
    assert {c.key: (c.base, c.before, c.after) for c in result.changes}["FEAT-005"] == (4, 6, 4)


def test_an_empty_store_has_nothing_to_learn(ws):
    result = calibrate(ws)
    assert (result.categories, result.changes, result.run_id) == ([], [], None)
    with pytest.raises(UsageError, match="at least 1"):
        calibrate(ws, min_completions=0)


def test_cli_shows_evidence_changes_and_undo(learned, cli):
    result = cli("calibrate", "--dry-run")
    assert result.code == 0, result.err
    assert "only 1 completion, 3 needed" in result.out and "Dry run" in result.out
    assert "4 → 6" in result.out and "3 → 5" in result.out
    data = json.loads(cli("calibrate", "--json").out)
    assert data["run_id"] == 1 and data["ratios"]["source"]["user"]["ratio"] == 1.5
    assert [c["key"] for c in data["changes"]] == ["FEAT-005", "TEST-001"]
    result = cli("calibrate", "--undo")
    assert result.code == 0 and "restored 2 estimates" in result.out
    result = cli("calibrate", "--undo")
    assert result.code == 2 and "no calibration to undo" in result.err


def test_cli_on_an_empty_store_says_there_is_nothing_to_learn(cli):
    result = cli("calibrate")
    assert result.code == 0 and "No completed items yet" in result.out
    assert cli("calibrate", "--undo", "--dry-run").code == 2


def test_a_store_from_before_calibration_gains_the_table(tmp_path):
    from alembic import command

    from terragon_tui.store.engine import create_store_engine
    from terragon_tui.store.migrations_runner import _config
    from terragon_tui.store.opening import open_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_store_engine(url)
    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        config.attributes.pop("connection")
    assert "calibration" not in inspect(engine).get_table_names()
    engine.dispose()
    engine = open_engine(url)
    assert "calibration" in inspect(engine).get_table_names()
    engine.dispose()


def test_a_rescan_keeps_a_calibrated_estimate_while_its_finding_is_unchanged(ws):
    from .test_scans import scan, todo

    findings = [todo(f"m{n}.py", f"fix {n}") for n in range(5)]  # 1 h each, DEBT-001…005
    scan(ws, findings)
    for key in ("DEBT-001", "DEBT-002", "DEBT-003"):
        complete_item(ws, key, hours=2)  # they take twice as long
    calibrate(ws)
    assert estimate(ws, "DEBT-004") == estimate(ws, "DEBT-005") == 2

    outcome = scan(ws, findings)
    assert estimate(ws, "DEBT-004") == 2 and outcome.updated == []

    # A finding whose own estimate changed is a new base: the scan's number stands, and
    # the next calibration scales it.
    bigger = todo("m4.py", "fix 4")
    bigger.estimated_hours = 3
    scan(ws, [*findings[:4], bigger])
    assert estimate(ws, "DEBT-004") == 2 and estimate(ws, "DEBT-005") == 3
    calibrate(ws)
    assert estimate(ws, "DEBT-005") == 6
