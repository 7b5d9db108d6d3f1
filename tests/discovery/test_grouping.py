"""Grouping: a rule that fires many times is one item with its occurrences, split by path role."""

from __future__ import annotations

import math

from terragon_tui.discovery import scan

from .conftest import GitRepo, complex_function

RANDOM = "import random\n\n\ndef pick(items):\n    return random.choice(items)\n"
SHELL = (
    "import subprocess\n\n\ndef run(command):\n    return subprocess.call(command, shell=True)\n"
)


def by_rule(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_one_rule_in_many_places_is_one_item_with_every_place(git_repo: GitRepo):
    git_repo.commit({f"app/m{n}.py": RANDOM for n in range(12)} | {"app/two.py": RANDOM * 2})
    [item] = by_rule(scan(git_repo.path, "security", workers=1).findings, "B311")
    assert len(item.occurrences) == 14
    assert {o.path for o in item.occurrences} == {f"app/m{n}.py" for n in range(12)} | {
        "app/two.py"
    }
    assert item.title == "B311 blacklist: 14 places in 13 files"
    assert item.data["occurrences"] == 14 and item.data["files"] == 13
    assert item.path is None and item.line is None
    # sub-linear: base (2 h a bandit finding) × √14, not 14 × 2 h
    assert item.estimated_hours == round(2.0 * math.sqrt(14), 2)


def test_production_and_test_occurrences_are_separate_items(git_repo: GitRepo):
    git_repo.commit({"app/a.py": RANDOM, "app/b.py": RANDOM, "tests/test_a.py": RANDOM})
    items = {
        f.role: f for f in by_rule(scan(git_repo.path, "security", workers=1).findings, "B311")
    }
    assert set(items) == {"production", "test"}
    assert len(items["production"].occurrences) == 2 and len(items["test"].occurrences) == 1
    assert items["production"].fingerprint != items["test"].fingerprint


def test_high_severity_findings_stay_items_of_their_own(git_repo: GitRepo):
    git_repo.commit({"app/a.py": SHELL, "app/b.py": SHELL})
    shells = by_rule(scan(git_repo.path, "security", workers=1).findings, "B602")
    assert len(shells) == 2 and all(len(f.occurrences) == 1 for f in shells)
    assert {f.path for f in shells} == {"app/a.py", "app/b.py"}


def test_several_identical_findings_at_one_place_are_one_occurrence(git_repo: GitRepo):
    git_repo.commit({"app/dice.py": "import random\n\nROLL = (random.random(), random.random())\n"})
    [item] = by_rule(scan(git_repo.path, "security", workers=1).findings, "B311")
    assert len(item.occurrences) == 1
    # both findings' identities are kept, so decisions on either are found again
    assert len(item.occurrences[0].fingerprints) == 2


def test_complex_functions_are_grouped_per_file_unless_far_over(git_repo: GitRepo):
    source = "\n\n".join(
        [complex_function("a", 14), complex_function("b", 12), complex_function("huge", 45)]
    )
    git_repo.commit({"core.py": source, "other.py": complex_function("c", 11)})
    found = [
        f
        for f in scan(git_repo.path, "full", workers=1).findings
        if f.rule == "cyclomatic-complexity"
    ]
    by_path = {}
    for f in found:
        by_path.setdefault(f.path, []).append(f)
    group = next(f for f in by_path["core.py"] if len(f.occurrences) == 2)
    alone = next(f for f in by_path["core.py"] if f.symbol == "huge")
    assert group.title == "Reduce the complexity of 2 functions in core.py (CC 15, 13)"
    # excess over 10: 5 + 3 = 8 points; 1 h + 15 min a point
    assert group.data["total_excess"] == 8 and group.estimated_hours == 3.0
    assert group.debt_hours == 3.0
    assert [row[0] for row in group.data["functions"]] == ["a", "b"]
    assert alone.data["rank"] == "F" and len(alone.occurrences) == 1
    assert len(by_path["other.py"]) == 1


def test_todo_comments_are_grouped_per_tag_and_file(git_repo: GitRepo):
    git_repo.commit(
        {
            "a.py": "# TODO: one\n# TODO: two\n# FIXME: three\nx = 1\n",
            "b.py": "# TODO: four\nx = 2\n",
        }
    )
    found = [f for f in scan(git_repo.path, "full", workers=1).findings if f.source == "todos"]
    shapes = sorted((f.path, f.rule, len(f.occurrences)) for f in found)
    assert shapes == [("a.py", "fixme", 1), ("a.py", "todo", 2), ("b.py", "todo", 1)]
    pair = next(f for f in found if len(f.occurrences) == 2)
    assert pair.title == "2 TODO comments in a.py"
    assert [o.data["text"] for o in pair.occurrences] == ["one", "two"]


def test_a_group_keeps_its_identity_as_places_come_and_go(git_repo: GitRepo):
    git_repo.commit({"app/a.py": RANDOM})
    [first] = by_rule(scan(git_repo.path, "security", workers=1).findings, "B311")
    git_repo.commit({"app/b.py": RANDOM, "app/c.py": RANDOM})
    [second] = by_rule(scan(git_repo.path, "security", workers=1).findings, "B311")
    assert first.fingerprint == second.fingerprint
    assert len(second.occurrences) == 3


def test_the_same_high_code_repeated_in_a_file_is_one_item_that_keeps_its_identity(
    git_repo: GitRepo,
):
    one = "import subprocess\n\n\ndef a(c):\n    return subprocess.call(c, shell=True)\n"
    git_repo.commit({"app/run.py": one})
    [alone] = by_rule(scan(git_repo.path, "security", workers=1).findings, "B602")
    twice = one + "\n\ndef b(c):\n    return subprocess.call(c, shell=True)\n"
    other = "\n\ndef c(x):\n    return subprocess.call(x + ' -v', shell=True)\n"
    git_repo.commit({"app/run.py": twice + other})
    found = by_rule(scan(git_repo.path, "security", workers=1).findings, "B602")
    same = next(f for f in found if len(f.occurrences) == 2)
    assert same.fingerprint == alone.fingerprint  # the item it always was, now with its copy
    assert (
        same.title
        == "B602 subprocess_popen_with_shell_equals_true: the same code in 2 places in run.py"
    )
    assert [o.line for o in same.occurrences] == [5, 9]
    assert same.security_severity == 9.0
    assert len(found) == 2  # different code is a decision of its own


def test_knowledge_concentration_is_one_item_naming_the_owners(git_repo: GitRepo):
    from .conftest import complex_function

    ann, bob = "Ann Example <ann@example.com>", "Bob Example <bob@example.com>"
    for n in range(4):
        git_repo.commit(
            {"core.py": complex_function("f", 20 + n), "api.py": complex_function("g", 20 + n)},
            author=ann,
        )
    git_repo.commit({"notes.py": "x = 1\n"}, author=bob)
    found = [f for f in scan(git_repo.path, "full", workers=1).findings if f.source == "hotspots"]
    [owners] = [f for f in found if f.rule == "knowledge-concentration"]
    assert sorted(o.path for o in owners.occurrences) == ["api.py", "core.py"]
    assert (
        owners.title
        == "Knowledge concentration: 2 hot files each mostly by one author (Ann Example: 2)"
    )
    assert len([f for f in found if f.rule == "hotspot"]) == 2  # each hotspot its own
