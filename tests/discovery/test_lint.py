"""Lint: ruff once per scan with the repository's rules, or the default bug rules, grouped."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from terragon_tui.discovery import lint, ruff_run
from terragon_tui.discovery.cache import ScanCache
from terragon_tui.discovery.runner import scan
from terragon_tui.discovery.scan_config import ScanConfig

from .conftest import GitRepo

#: A repository that configures ruff (and asks it to fix, which a scan must never do).
CONFIGURED = {
    "pyproject.toml": (
        '[project]\nname = "shop"\nversion = "1.0"\n\n'
        "[tool.ruff]\nline-length = 60\nfix = true\n\n"
        '[tool.ruff.lint]\nselect = ["F", "E501", "W291", "S"]\n'
    ),
    "shop/__init__.py": "",
    "shop/cart.py": (
        "import os\nimport sys\n\n\n"
        "def total(items):\n"
        "    return sum(item.price for item in items) + shipping_cost\n\n\n"
        "def describe(items):\n"
        '    return "the cart holds " + str(len(items)) + " items, " + "shipped tomorrow"\n'
    ),
    "shop/orders.py": "import json  \n\n\ndef load(text):\n    return eval(text)\n",
    "tests/test_cart.py": "import os\n\n\ndef test_nothing():\n    assert True\n",
}


def _lint_items(result) -> dict[tuple[str, str], object]:
    return {(f.rule, f.role): f for f in result.findings if f.source == "lint"}


def _count_ruff_runs(monkeypatch) -> list[list[str]]:
    """Record every `ruff check` the lint source starts, still running it."""
    runs: list[list[str]] = []
    real = subprocess.run

    def counting(command, *args, **kwargs):
        if "check" in command[1:2]:
            runs.append(list(command))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(ruff_run.subprocess, "run", counting)
    return runs


def _status(repo: GitRepo) -> str:
    return repo.git("status", "--porcelain", "--ignored")


def test_the_repositorys_ruff_configuration_chooses_the_rules(git_repo: GitRepo) -> None:
    git_repo.commit(CONFIGURED)
    result = scan(git_repo.path, "full", workers=1)
    items = _lint_items(result)
    assert set(items) == {
        ("F401", "production"),
        ("F401", "test"),
        ("F821", "production"),
        ("E501", "production"),
        ("W291", "production"),
    }  # S rules are bandit's: the security source reports eval, lint leaves it
    unused = items[("F401", "production")]
    assert unused.data["occurrences"] == 3 and unused.data["files"] == 2
    assert unused.data["fixable"] == 3
    assert unused.title == "ruff F401 unused-import: 3 places in 2 files (all fixable)"
    assert unused.data["config"] == "pyproject.toml"
    assert sorted((o.path, o.line) for o in unused.occurrences) == [
        ("shop/cart.py", 1),
        ("shop/cart.py", 2),
        ("shop/orders.py", 1),
    ]
    long_line = items[("E501", "production")]
    assert long_line.data["fixable"] == 0 and long_line.line == 10
    assert "Line too long" in long_line.title
    undefined = items[("F821", "production")]
    assert undefined.data["rule_class"] == "defect"
    assert "shipping_cost" in undefined.description
    assert undefined.impact > unused.impact > long_line.impact
    assert any(note.endswith("left to them: S (2)") for note in result.notes)  # eval, assert
    assert "lint" in result.sources
    assert _status(git_repo) == ""  # fix = true in the config changed nothing, cached nothing


def test_findings_in_tests_are_debt_that_does_not_ship(git_repo: GitRepo) -> None:
    git_repo.commit(CONFIGURED)
    items = _lint_items(scan(git_repo.path, "full", workers=1))
    shipped, in_tests = items[("F401", "production")], items[("F401", "test")]
    assert in_tests.title.endswith("(tests)")
    assert in_tests.impact == shipped.impact - 2 and in_tests.business_value == 1.0
    assert in_tests.time_criticality == 1.0
    assert in_tests.fingerprint != shipped.fingerprint


def test_without_configuration_only_the_default_bug_rules_run(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "app.py": (
                "import os\n\n\n"
                "def greet(name, seen=[]):\n"
                "    seen.append(name)\n"
                '    return "hello " + nmae + "; this line is far longer than any line length '
                'a style guide would allow, well past a hundred and twenty characters"\n'
            ),
            "broken.py": "def oops(:\n    pass\n",
        }
    )
    items = _lint_items(scan(git_repo.path, "full", workers=1))
    assert set(items) == {
        ("F821", "production"),
        ("B006", "production"),
        ("invalid-syntax", "production"),
    }  # no E501 for the long line, no F401 for the unused import
    assert items[("F821", "production")].data["config"] == lint.DEFAULT_CONFIG
    # ruff calls an undefined name a correctness error, a mutable default suspicious
    assert items[("F821", "production")].data["rule_class"] == "defect"
    assert items[("B006", "production")].data["rule_class"] == "warning"
    assert items[("invalid-syntax", "production")].data["rule_class"] == "defect"
    assert items[("invalid-syntax", "production")].path == "broken.py"


def test_a_stray_ruff_configuration_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "ruff.toml").write_text('[lint]\nselect = ["E501"]\nline-length = 10\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text("value = 'a string longer than ten'\nprint(undefined)\n")
    items = _lint_items(scan(repo, "full", workers=1))
    assert set(items) == {("F821", "production")}


def test_a_rescan_with_nothing_changed_does_not_run_ruff(git_repo: GitRepo, monkeypatch) -> None:
    git_repo.commit(CONFIGURED)
    runs = _count_ruff_runs(monkeypatch)
    cache = ScanCache()
    first = _lint_items(scan(git_repo.path, "full", workers=1, cache=cache))
    assert len(runs) == 1
    again = _lint_items(scan(git_repo.path, "full", workers=1, cache=cache))
    assert len(runs) == 1
    assert {key: item.fingerprint for key, item in again.items()} == {
        key: item.fingerprint for key, item in first.items()
    }
    git_repo.commit({"shop/orders.py": "import json\n"})
    changed = _lint_items(scan(git_repo.path, "full", workers=1, cache=cache))
    assert len(runs) == 2
    assert changed[("F401", "production")].data["occurrences"] == 3
    assert ("W291", "production") not in changed


def test_a_configuration_change_runs_ruff_again(git_repo: GitRepo, monkeypatch) -> None:
    git_repo.commit(CONFIGURED)
    runs = _count_ruff_runs(monkeypatch)
    cache = ScanCache()
    scan(git_repo.path, "full", workers=1, cache=cache)
    config = CONFIGURED["pyproject.toml"].replace('"E501", ', "")
    git_repo.commit({"pyproject.toml": config})
    items = _lint_items(scan(git_repo.path, "full", workers=1, cache=cache))
    assert len(runs) == 2
    assert ("E501", "production") not in items


def test_many_files_are_linted_in_chunks_with_the_same_result(
    git_repo: GitRepo, monkeypatch
) -> None:
    git_repo.commit({f"pkg/module_{n:02}.py": "import os\n" for n in range(12)})
    whole = _lint_items(scan(git_repo.path, "full", workers=1))
    monkeypatch.setattr(ruff_run, "ARGS_LIMIT", 60)
    runs = _count_ruff_runs(monkeypatch)
    chunked = _lint_items(scan(git_repo.path, "full", workers=1, config=ScanConfig()))
    assert len(runs) > 1
    assert all(sum(len(a) + 1 for a in run[run.index("--") + 1 :]) <= 60 for run in runs)
    assert whole.keys() == chunked.keys() == set()  # F401 is not a default bug rule
    git_repo.commit({"pyproject.toml": '[tool.ruff.lint]\nselect = ["F401"]\n'})
    chunked = _lint_items(scan(git_repo.path, "full", workers=1))
    assert chunked[("F401", "production")].data["occurrences"] == 12


def _fake_ruff(tmp_path: Path, monkeypatch, script: str) -> None:
    binary = tmp_path / "fake-ruff"
    binary.write_text(f"#!/bin/sh\n{script}\n")
    binary.chmod(0o755)
    monkeypatch.setattr(ruff_run, "ruff_binary", lambda: (str(binary), "0.0-fake"))


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("sleep 30", "ruff ran out of its 0.5 s budget"),
        ("echo 'error: something broke' >&2; exit 2", "ruff failed: error: something broke"),
        ("echo 'not json'", "ruff's output was not JSON"),
    ],
)
def test_ruff_that_cannot_finish_gives_up(
    git_repo: GitRepo, tmp_path: Path, monkeypatch, script: str, reason: str
) -> None:
    git_repo.commit(CONFIGURED)
    _fake_ruff(tmp_path, monkeypatch, script)
    result = scan(git_repo.path, "full", workers=1, config=ScanConfig(lint_budget=0.5))
    assert "lint" not in result.sources  # so the items it found before stay open
    assert any(reason in note for note in result.notes)
    assert result.timings["lint"] < 5


def test_ruff_missing_gives_up(git_repo: GitRepo, monkeypatch) -> None:
    git_repo.commit(CONFIGURED)

    def missing() -> tuple[str, str]:
        raise ruff_run.LintUnavailable("ruff is not installed (pip install ruff)")

    monkeypatch.setattr(ruff_run, "ruff_binary", missing)
    result = scan(git_repo.path, "full", workers=1)
    assert "lint" not in result.sources
    assert any("ruff is not installed" in note for note in result.notes)


@pytest.mark.parametrize("extend", ["../base.toml", "~/ruff.toml", "$HOME/ruff.toml"])
def test_a_configuration_extending_a_file_outside_the_repository_is_not_run(
    git_repo: GitRepo, monkeypatch, extend: str
) -> None:
    (git_repo.path.parent / "base.toml").write_text('[lint]\nselect = ["E"]\n')
    git_repo.commit({"app.py": "x = 1\n", "ruff.toml": f'extend = "{extend}"\n'})
    runs = _count_ruff_runs(monkeypatch)
    result = scan(git_repo.path, "full", workers=1)
    assert runs == []
    assert "lint" not in result.sources
    assert any("outside the repository" in note for note in result.notes)


def test_a_configuration_extending_one_inside_the_repository_is_honoured(
    git_repo: GitRepo,
) -> None:
    git_repo.commit(
        {
            "app.py": "import os\n",
            "ruff.toml": 'extend = "config/base.toml"\n',
            "config/base.toml": '[lint]\nselect = ["F401"]\n',
        }
    )
    items = _lint_items(scan(git_repo.path, "full", workers=1))
    assert set(items) == {("F401", "production")}


def test_an_inline_ignore_is_honoured(git_repo: GitRepo) -> None:
    git_repo.commit({"app.py": "print(nowhere)  # terragon: ignore[F821]\nprint(elsewhere)\n"})
    items = _lint_items(scan(git_repo.path, "full", workers=1))
    assert [o.line for o in items[("F821", "production")].occurrences] == [2]


def test_fixable_places_cost_one_fix_run_and_the_rest_grow_sub_linearly(
    git_repo: GitRepo,
) -> None:
    unused = "".join(f"import m{n}\n" for n in range(16))
    git_repo.commit(
        {
            "pyproject.toml": '[tool.ruff.lint]\nselect = ["F401", "E501"]\n',
            "a.py": unused + "".join(f"X{n} = '{'x' * 100}'\n" for n in range(16)),
        }
    )
    items = _lint_items(scan(git_repo.path, "full", workers=1))
    fixable, by_hand = items[("F401", "production")], items[("E501", "production")]
    assert fixable.estimated_hours == lint.FIX_RUN_HOURS
    assert fixable.risk < 0.3  # the auto-apply lane: one mechanical command
    assert by_hand.estimated_hours == pytest.approx(lint.WEIGHTS["style"].hours * 4)


def test_a_defect_rule_with_more_places_costs_more_while_it_stays(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "one.py": "print(missing)\n",
            "many.py": "".join(f"print(gone_{n})\n" for n in range(16)),
            "tests/test_one.py": "print(absent)\n",
        }
    )
    result = scan(git_repo.path, "full", workers=1)
    many = _lint_items(result)[("F821", "production")]
    in_tests = _lint_items(result)[("F821", "test")]
    assert many.data["occurrences"] == 17
    assert (many.business_value, many.risk_reduction) == (13.0, 20.0)  # two steps up from 5, 8
    assert in_tests.time_criticality == 1.0 and in_tests.risk_reduction == 3.0


def test_the_default_rules_are_stable_rules_of_the_installed_ruff() -> None:
    import json

    binary, _ = ruff_run.ruff_binary()
    listed = subprocess.run(
        [binary, "rule", "--all", "--output-format", "json"], capture_output=True, check=True
    )
    stable = {
        rule["code"]
        for rule in json.loads(listed.stdout)
        if not rule.get("preview") and "Stable" in (rule.get("status") or {"Stable": 1})
    }
    assert set(lint.DEFAULT_RULES) <= stable


def test_a_configuration_that_is_no_toml_is_not_run(git_repo: GitRepo, monkeypatch) -> None:
    git_repo.commit(
        {
            "app.py": "x = 1\n",
            "ruff.toml": "line-length = 90\n",
            "sub/pyproject.toml": "[tool.ruff\nextend = '/etc/passwd'\n",
        }
    )
    runs = _count_ruff_runs(monkeypatch)
    result = scan(git_repo.path, "full", workers=1)
    assert runs == []
    assert any("sub/pyproject.toml cannot be read as TOML" in note for note in result.notes)


def test_without_configuration_nested_ones_are_not_read(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "app.py": "print(nowhere)\n",
            "sub/pyproject.toml": "[tool.ruff\nbroken\n",
            "sub/more.py": "import os\n",
        }
    )
    result = scan(git_repo.path, "full", workers=1)
    assert "lint" in result.sources
    assert set(_lint_items(result)) == {("F821", "production")}


#: A model that names the class defined below it: Python 3.14 defers annotations, so this runs
#: there, and only an older Python would fail on it.
FORWARD_MODEL = (
    "class User:\n"
    "    items: list[Item]\n\n\n"
    "class Item:\n"
    "    owner: User\n\n\n"
    "def broken():\n"
    "    return undefined_here\n"
)


def test_each_project_is_checked_for_the_python_its_pyproject_names(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "backend/pyproject.toml": '[project]\nname = "api"\nrequires-python = ">=3.14,<4"\n',
            "backend/app/models.py": FORWARD_MODEL,
            "tools/pyproject.toml": '[tool.ruff]\ntarget-version = "py313"\n',
            "tools/models.py": FORWARD_MODEL,
            "scripts/models.py": FORWARD_MODEL,
        }
    )
    places = sorted(
        (place.path, place.line)
        for finding in scan(git_repo.path, "full", workers=1).findings
        if finding.source == "lint" and finding.rule == "F821"
        for place in finding.occurrences or [finding]
    )
    assert places == [
        ("backend/app/models.py", 10),  # the undefined name is still one on 3.14
        ("scripts/models.py", 2),  # no project says: ruff's own default version
        ("scripts/models.py", 10),
        ("tools/models.py", 2),  # 3.13 evaluates the annotation
        ("tools/models.py", 10),
    ]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ('[project]\nrequires-python = ">=3.14,<4.0"\n', "py314"),
        ('[project]\nrequires-python = "~=3.10"\n', "py310"),
        ('[project]\nrequires-python = ">3.9, !=3.10.*"\n', "py310"),
        ('[project]\nrequires-python = "==3.12.*"\n', "py312"),
        ('[project]\nrequires-python = ">=2.7, !=3.0.*"\n', "py37"),
        ('[project]\nrequires-python = ">=3.99"\n', "py314"),
        ('[project]\nrequires-python = "<3.13"\n', None),
        ('[project]\nrequires-python = ">=3.9"\n[tool.ruff]\ntarget-version = "py312"\n', "py312"),
        ('[project]\nname = "x"\n', None),
        ("[project\n", None),
    ],
)
def test_the_python_a_pyproject_names(text: str, target: str | None) -> None:
    assert ruff_run.python_target(text) == target
