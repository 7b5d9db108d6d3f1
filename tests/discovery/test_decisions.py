"""What the repository already decided: its bandit settings and `terragon: ignore` comments."""

from __future__ import annotations

import pytest

from terragon_tui.discovery import scan

from .conftest import GitRepo

RISKY = (
    "import random\nimport subprocess\n\n\n"
    "def run(command):\n"
    "    assert command\n"
    "    subprocess.call(command, shell=True)\n"
    "    return random.random()\n"
)


def rules(result) -> set[tuple[str, str]]:
    return {
        (o.path, f.rule) for f in result.findings if f.source == "security" for o in f.occurrences
    }


def test_without_settings_bandit_reports_everything(git_repo: GitRepo):
    git_repo.commit({"app.py": RISKY})
    assert rules(scan(git_repo.path, "security", workers=1)) >= {
        ("app.py", "B101"),
        ("app.py", "B311"),
        ("app.py", "B602"),
    }


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        (
            "pyproject.toml",
            '[tool.bandit]\nskips = ["B311", "B101"]\nexclude_dirs = ["scripts"]\n',
            "pyproject.toml [tool.bandit]",
        ),
        (".bandit", "[bandit]\nskips = B311,B101\nexclude = scripts\n", ".bandit [bandit]"),
        ("setup.cfg", "[bandit]\nskips = B311, B101\nexclude = ./scripts\n", "setup.cfg [bandit]"),
    ],
)
def test_the_repositorys_bandit_skips_and_excludes_are_honoured(
    git_repo: GitRepo, name, content, where
):
    git_repo.commit({"app.py": RISKY, "scripts/tool.py": RISKY, name: content})
    result = scan(git_repo.path, "security", workers=1)
    assert rules(result) == {("app.py", "B404"), ("app.py", "B602")}
    reasons = result.summary()["suppressed"]["by_reason"]
    assert reasons[f"skipped by {where} (skips)"] == 4  # B311 and B101, in both files
    assert reasons[f"excluded by {where}"] == 2  # what else scripts/tool.py has
    assert result.summary()["suppressed"]["count"] == sum(reasons.values())


def test_bandit_tests_keeps_only_those_checks(git_repo: GitRepo):
    git_repo.commit({"app.py": RISKY, "pyproject.toml": '[tool.bandit]\ntests = ["B602"]\n'})
    assert rules(scan(git_repo.path, "security", workers=1)) == {("app.py", "B602")}


def test_assert_used_skips_are_honoured(git_repo: GitRepo):
    git_repo.commit(
        {
            "app.py": "def f(x):\n    assert x\n    return x\n",
            "checks/verify.py": "def g(x):\n    assert x\n    return x\n",
            "pyproject.toml": '[tool.bandit.assert_used]\nskips = ["*/checks/*.py"]\n',
        }
    )
    assert rules(scan(git_repo.path, "security", workers=1)) == {("app.py", "B101")}


def test_an_inline_ignore_drops_the_named_rule_on_its_line_only(git_repo: GitRepo):
    git_repo.commit(
        {
            "app.py": (
                "import random\n\n"
                "A = random.random()  # terragon: ignore[B311]\n"
                "B = random.random()\n"
                "C = random.random()  # terragon: ignore[B105]\n"
                "# TODO: keep this one\n"
                "# TODO: not this one  terragon: ignore[todo]\n"
                "D = random.random()  # terragon: ignore\n"
            )
        }
    )
    result = scan(git_repo.path, "full", workers=1)
    [b311] = [f for f in result.findings if f.rule == "B311"]
    assert sorted(o.line for o in b311.occurrences) == [4, 5]
    [todo] = [f for f in result.findings if f.source == "todos"]
    assert [o.line for o in todo.occurrences] == [6]
    dropped = result.summary()["suppressed"]["items"]
    assert sorted((d["rule"], d["line"]) for d in dropped) == [
        ("B311", 3),
        ("B311", 8),
        ("todo", 7),
    ]
    assert {d["reason"] for d in dropped} == {"terragon: ignore on its line"}


def test_a_malformed_bandit_setting_is_ignored_not_fatal(git_repo: GitRepo):
    git_repo.commit({"app.py": RISKY, ".bandit": "this is not ini\n", "setup.cfg": "[metadata]\n"})
    assert ("app.py", "B311") in rules(scan(git_repo.path, "security", workers=1))
