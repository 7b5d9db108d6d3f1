"""Complexity source: radon CC per function, MI per file, `except*` counted, stable identity."""

from __future__ import annotations

import ast

import pytest
from radon.complexity import cc_visit
from radon.metrics import mi_rank, mi_visit

from terragon_tui.discovery import complexity
from terragon_tui.discovery.raw_metrics import raw_metrics

from .conftest import complex_function


def _measure(source: str) -> dict[str, object]:
    return complexity.measure(ast.parse(source), raw_metrics(source))


def test_a_function_over_rank_c_is_a_finding_with_radon_rank() -> None:
    source = complex_function("simple", 3) + complex_function("tangled", 24)
    found = complexity.findings("pkg/mod.py", _measure(source))
    assert [f.symbol for f in found] == ["tangled"]
    finding = found[0]
    assert finding.source == "complexity"
    assert finding.rule == "cyclomatic-complexity"
    assert finding.category == "technical-debt"
    assert finding.data["cc"] == 25 == cc_visit(source)[1].complexity
    assert finding.data["rank"] == "D"
    assert finding.line == 9


def test_remediation_grows_with_how_far_over_it_is() -> None:
    a = complexity.findings("m.py", _measure(complex_function("a", 12)))[0]
    b = complexity.findings("m.py", _measure(complex_function("b", 40)))[0]
    assert b.estimated_hours > a.estimated_hours
    assert b.debt_hours > a.debt_hours
    assert b.risk > a.risk


def test_threshold_is_configurable_by_rank() -> None:
    measured = _measure(complex_function("f", 12))  # CC 13, rank C
    assert complexity.findings("m.py", measured, min_rank="C")
    assert not complexity.findings("m.py", measured, min_rank="D")


def test_methods_and_closures_are_named_by_their_path() -> None:
    source = (
        "class Shop:\n    def buy(self, x):\n"
        + "".join(f"        if x == {n}:\n            return {n}\n" for n in range(12))
        + "    def outer(self):\n        "
        + complex_function("inner", 12).replace("\n", "\n        ")
        + "\n        return inner\n"
    )
    names = [row[0] for row in _measure(source)["functions"]]  # type: ignore[union-attr]
    assert "Shop.buy" in names
    assert "Shop.outer.inner" in names


def test_except_star_handlers_count_like_except() -> None:
    plain = (
        "def f():\n    try:\n        pass\n"
        "    except A:\n        pass\n    except B:\n        pass\n"
    )
    starred = plain.replace("except ", "except* ")
    assert cc_visit(starred)[0].complexity == 1  # what radon alone says
    assert _measure(plain)["functions"][0][4] == 3  # type: ignore[index]
    assert _measure(starred)["functions"][0][4] == 3  # type: ignore[index]
    assert _measure(starred)["total_cc"] == _measure(plain)["total_cc"]


def test_a_low_maintainability_file_is_a_finding() -> None:
    source = complex_function("huge", 300)
    measured = _measure(source)
    assert measured["mi"] <= 19
    found = complexity.findings("big.py", measured)
    files = [f for f in found if f.rule == "maintainability-index"]
    assert len(files) == 1
    assert files[0].symbol is None
    assert files[0].data["mi_rank"] in ("B", "C")


@pytest.mark.parametrize(
    ("source", "boundary", "rank"),
    [
        (complex_function("f", 78) + "X = 1\n" * 3, 19, "A"),  # MI 19.0033
        (complex_function("f", 130) + "X = 1\n" * 6 + "# note\n", 9, "B"),  # MI 9.0044
    ],
    ids=["just-over-19", "just-over-9"],
)
def test_the_maintainability_rank_is_radons_rank_of_the_unrounded_index(
    source: str, boundary: int, rank: str
) -> None:
    exact = mi_visit(source, multi=True)
    assert boundary < exact < boundary + 0.005  # rounded to two places it would be one rank worse
    measured = _measure(source)
    assert measured["mi"] == exact
    as_finding = [
        f
        for f in complexity.findings("m.py", measured, mi_max_rank="A")
        if f.rule == "maintainability-index"
    ]
    assert as_finding[0].data["mi_rank"] == mi_rank(exact) == rank


def test_a_file_just_above_the_b_ceiling_is_not_a_b_finding() -> None:
    measured = _measure(complex_function("f", 78) + "X = 1\n" * 3)  # MI 19.0033, rank A
    rules = {f.rule for f in complexity.findings("m.py", measured, mi_max_rank="B")}
    assert "maintainability-index" not in rules


def test_maintainable_file_is_not_a_finding() -> None:
    found = complexity.findings("ok.py", _measure('"""Doc."""\n\ndef f(x):\n    return x\n'))
    assert found == []


def test_fingerprint_survives_moving_the_function() -> None:
    before = complexity.findings("m.py", _measure(complex_function("f", 15)))[0]
    moved = "import os\n\n\n" + "X = 1\n" * 30 + complex_function("f", 15)
    after = complexity.findings("m.py", _measure(moved))[0]
    assert after.line != before.line
    assert after.fingerprint == before.fingerprint


def test_churn_raises_debt_interest() -> None:
    measured = _measure(complex_function("f", 15))
    calm = complexity.findings("m.py", measured, commits=0)[0]
    busy = complexity.findings("m.py", measured, commits=15)[0]
    assert calm.debt_interest == 1.0
    assert busy.debt_interest > 3.0
