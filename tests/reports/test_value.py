"""`terragon report value`: every figure of a known history, per month, week and quarter."""

from __future__ import annotations

import json
from datetime import date

import pytest

from terragon_tui.core.errors import UsageError
from terragon_tui.core.periods import check_period, period_of, periods_between
from terragon_tui.reports.value import value_report
from terragon_tui.reports.value_render import EMPTY, value_json, value_markdown

from .history import NOW, at, known_history

# The known history (tests/reports/history.py), "now" = 2026-03-18:
#
#   item       category        est  created     closed       how                 actual value
#   FEAT-001   feature          2   2026-01-05  2026-01-20   done                3      10
#   FEAT-002   feature          4   2026-01-10  2026-02-03   done                6      20
#   SEC-001    security         5   2026-02-01  2026-02-25   done                5      30
#   FEAT-003   feature          2   2026-03-01  2026-03-12   done, outcome failed 4     (40) 0
#   DOCS-001   documentation    3   2026-02-10  -            open (source todos)
#   SEC-002    security         8   2026-03-02  -            open (source security)
#   TEST-001   testing          1   2026-01-15  2026-03-05   deferred
#   DEBT-001   technical-debt   2   2025-12-20  2026-03-10   resolved by a scan (source todos)


@pytest.fixture
def history(ws):
    return known_history(ws)


def monthly(ws):
    return value_report(ws, "month", since=date(2026, 1, 1), now=NOW)


def test_each_month_counts_completions_hours_and_value(history):
    jan, feb, mar = monthly(history).periods
    assert [p.period.label for p in (jan, feb, mar)] == ["2026-01", "2026-02", "2026-03"]
    # January: FEAT-001 only: 2 h estimated, 3 h actual, 3 / 2 = 1.5, value 10.
    assert (jan.completed, jan.estimated_hours, jan.actual_hours) == (1, 2, 3)
    assert jan.ratio == pytest.approx(1.5)
    assert jan.score == 10
    # February: FEAT-002 and SEC-001: 4 + 5 = 9 h estimated, 6 + 5 = 11 h actual,
    # 11 / 9 = 1.2222, value 20 + 30 = 50.
    assert (feb.completed, feb.estimated_hours, feb.actual_hours) == (2, 9, 11)
    assert feb.ratio == pytest.approx(11 / 9)
    assert feb.score == 50
    assert feb.by_category == {"feature": 1, "security": 1}
    # March: FEAT-003 failed: its hours count (2 est., 4 actual, 2.0), its value does not.
    assert (mar.completed, mar.estimated_hours, mar.actual_hours) == (1, 2, 4)
    assert mar.ratio == pytest.approx(2.0)
    assert mar.score == 0


def test_each_month_counts_discovered_resolved_and_the_open_backlog(history):
    jan, feb, mar = monthly(history).periods
    # January: FEAT-001, FEAT-002, TEST-001 created (DEBT-001 was created in December).
    # Resolved: FEAT-001. Open on Feb 1: FEAT-002 (4 h), TEST-001 (1 h), DEBT-001 (2 h) = 7 h.
    assert (jan.discovered, jan.resolved, jan.open_items, jan.open_hours) == (3, 1, 3, 7)
    # February: SEC-001, DOCS-001 created; FEAT-002 and SEC-001 done.
    # Open on Mar 1: TEST-001 (1), DEBT-001 (2), DOCS-001 (3) = 6 h.
    assert (feb.discovered, feb.resolved, feb.open_items, feb.open_hours) == (2, 2, 3, 6)
    # March: FEAT-003, SEC-002 created; FEAT-003 done + DEBT-001 resolved by scan = 2;
    # TEST-001 deferred. Open now: DOCS-001 (3) + SEC-002 (8) = 11 h.
    assert (mar.discovered, mar.resolved, mar.resolved_by_scan, mar.set_aside) == (2, 2, 1, 1)
    assert (mar.open_items, mar.open_hours) == (2, 11)


def test_totals_categories_and_sources_over_the_window(history):
    report = monthly(history)
    total = report.totals()
    # 1 + 2 + 1 = 4 completions; 2 + 9 + 2 = 13 h estimated; 3 + 11 + 4 = 18 h actual.
    assert (total.completed, total.estimated_hours, total.actual_hours) == (4, 13, 18)
    assert total.ratio == pytest.approx(18 / 13)
    assert total.score == 60  # 10 + 20 + 30; the failed one counts nothing
    assert (total.discovered, total.resolved, total.set_aside) == (7, 5, 1)
    assert (total.open_items, total.open_hours) == (2, 11)
    # feature: FEAT-001/002/003: 2+4+2 = 8 h est., 3+6+4 = 13 h actual, value 10+20 = 30;
    # security: SEC-001: 5 / 5, value 30. Equal value: by name.
    rows = [
        (c.category, c.completed, c.estimated_hours, c.actual_hours, c.score)
        for c in report.categories()
    ]
    assert rows == [("feature", 3, 8, 13, 30), ("security", 1, 5, 5, 30)]
    # Discovered in the window: five suggestions, DOCS-001 (todos) and SEC-002 (security):
    # 5/7 = 71.4 %, 1/7 = 14.3 % each, in the order the items were added.
    assert report.source_shares() == [
        ("User Suggestions", 5, pytest.approx(5 / 7)),
        ("Static Analysis", 1, pytest.approx(1 / 7)),
        ("Security Scanning", 1, pytest.approx(1 / 7)),
    ]


def test_weeks_split_the_same_history(history):
    report = value_report(history, "week", since=date(2026, 2, 23), now=NOW)
    labels = [p.period.label for p in report.periods]
    assert labels == ["2026-W09", "2026-W10", "2026-W11", "2026-W12"]
    w09, w10, w11, w12 = report.periods
    # W09 (Feb 23 - Mar 1): SEC-001 done (value 30); FEAT-003 created on Sunday Mar 1.
    assert (w09.completed, w09.score, w09.discovered) == (1, 30, 1)
    # Open on Mon Mar 2 00:00: DOCS-001 3 + TEST-001 1 + DEBT-001 2 + FEAT-003 2 = 8 h.
    assert (w09.open_items, w09.open_hours) == (4, 8)
    # W10: SEC-002 created, TEST-001 deferred; W11: FEAT-003 failed, DEBT-001 resolved.
    assert (w10.discovered, w10.set_aside, w10.completed) == (1, 1, 0)
    assert (w11.completed, w11.resolved, w11.actual_hours, w11.score) == (1, 2, 4, 0)
    assert (w12.completed, w12.open_items, w12.open_hours) == (0, 2, 11)


def test_a_quarter_holds_the_whole_window(history):
    (q1,) = value_report(history, "quarterly", since=date(2026, 1, 1), now=NOW).periods
    assert q1.period.label == "2026-Q1"
    assert (q1.completed, q1.estimated_hours, q1.actual_hours, q1.score) == (4, 13, 18, 60)


def test_without_since_the_report_starts_at_the_first_activity(history):
    report = value_report(history, "month", now=NOW)
    # DEBT-001 was created on 2025-12-20: December to March.
    assert [p.period.label for p in report.periods] == ["2025-12", "2026-01", "2026-02", "2026-03"]
    december = report.periods[0]
    assert (december.discovered, december.completed, december.open_items) == (1, 0, 1)


def test_a_period_with_no_data_shows_zeros_and_no_ratio(history):
    report = value_report(history, "month", since=date(2025, 10, 1), now=NOW)
    october = report.periods[0]
    assert (october.completed, october.discovered, october.open_items, october.score) == (
        0,
        0,
        0,
        0,
    )
    assert october.ratio is None
    assert "| 2025-10 | 0 | 0 | 0 | – | 0.0 | 0 | 0 | 0 | 0 |" in value_markdown(report)


def test_an_empty_store_says_so(ws):
    report = value_report(ws, "week", now=NOW)
    assert report.is_empty and len(report.periods) == 1
    assert EMPTY in value_markdown(report)
    assert value_json(report)["empty"] is True


def test_markdown_escapes_titles_and_notes(history):
    text = value_markdown(monthly(history))
    assert "<script>" not in text and "\x1b" not in text
    assert "\\<script\\>alert" in text and "\\x1b\\[31m" in text
    assert "\\[x\\]\\(http://evil\\)" in text


def test_json_carries_every_figure(history):
    data = value_json(monthly(history))
    assert data["totals"]["actual_to_estimated"] == round(18 / 13, 4)
    assert data["periods"][1]["completed_by_category"] == {"feature": 1, "security": 1}
    assert data["periods"][2]["value_delivered"] == 0
    assert data["completed"][0]["impact_notes"].startswith("<script>")  # data stays raw in JSON


def test_bad_period_and_dates_are_usage_errors(ws):
    with pytest.raises(UsageError, match="unknown period"):
        value_report(ws, "fortnight")
    with pytest.raises(UsageError, match="in the future"):
        value_report(ws, "month", since=date(2026, 4, 1), now=NOW)


def test_periods_are_calendar_weeks_months_and_quarters():
    assert period_of("week", at(3, 1)).start == at(2, 23, hour=0)  # Sunday -> Monday before
    assert period_of("quarter", at(11, 30)).label == "2026-Q4"
    assert period_of("month", at(12, 31)).end == at(1, 1, year=2027, hour=0)
    assert len(periods_between("month", date(2025, 11, 5), date(2026, 2, 1))) == 4
    assert check_period("Monthly") == "month"


def test_cli_prints_tables_markdown_and_json(history, cli, tmp_path):
    result = cli("report", "value", "--since", "2026-01-01")
    assert result.code == 0, result.err
    assert "Per month" in result.out and "Total" in result.out
    result = cli("report", "value", "--period", "quarter", "--since", "2026-01-01", "--json")
    assert json.loads(result.out)["periods"][0]["actual_hours"] == 18
    out = tmp_path / "VALUE.md"
    result = cli("report", "value", "--since", "2026-01-01", "-o", str(out))
    assert result.code == 0 and out.read_text().startswith("# 📈 Value Report: demo-repo")


def test_cli_bad_input_is_one_line_and_exit_2(cli):
    for args in (("--since", "yesterday"), ("--period", "day"), ("--format", "pdf")):
        result = cli("report", "value", *args)
        assert result.code == 2 and result.err.count("\n") == 1, result.err


def test_cli_on_an_empty_store(cli):
    result = cli("report", "value")
    assert result.code == 0 and "No activity" in result.out
