"""Bad input is skipped or degraded with a reason, and the scan always completes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from terragon_tui.config.schema import scan_config
from terragon_tui.discovery import ScanCache, ScanConfig, scan

from .conftest import GitRepo, complex_function

GOOD = complex_function("ok", 12)


def _reasons(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(result.skipped)


def test_each_bad_file_is_skipped_with_its_reason(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "good.py": GOOD,
            "broken.py": "def f(:\n    pass\n",
            "binary.py": b"\x00\x01\x02 not text",
            "latin1.py": "# caf\xe9\nx = 1\n".encode("latin-1"),
            "huge.py": "x = 1\n" * 200_000,
            "parens.py": "x = " + "(" * 100_000 + "\n",
            "chain.py": "x = 1" + " + 1" * 100_000 + "\n",
            "unary.py": "x = " + "-" * 100_000 + "1\n",
        }
    )
    result = scan(git_repo.path, "full", workers=1, config=ScanConfig(size_limit=1 << 20))
    reasons = _reasons(result)
    assert reasons["broken.py"].startswith("syntax error at line 1")
    assert reasons["binary.py"] == "binary file"
    assert reasons["latin1.py"].startswith("not UTF-8 text")
    assert reasons["huge.py"].startswith("larger than the size limit")
    assert reasons["parens.py"].startswith("syntax error")  # too many nested parentheses
    assert reasons["chain.py"] == "too deeply nested to analyse (recursion limit)"
    assert reasons["unary.py"] == "too deeply nested to analyse (recursion limit)"
    assert "good.py" not in reasons
    assert any(f.path == "good.py" for f in result.findings)
    assert result.files_total == 8


def test_symlinks_out_of_the_repository_and_loops_are_skipped(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("# TODO: not ours\n")
    git_repo.write({"real.py": "# TODO: ours\n"})
    os.symlink(outside, git_repo.path / "leak.py")
    os.symlink("loop_b.py", git_repo.path / "loop_a.py")
    os.symlink("loop_a.py", git_repo.path / "loop_b.py")
    os.symlink("real.py", git_repo.path / "alias.py")
    os.symlink("missing.py", git_repo.path / "dangling.py")
    git_repo.commit({})
    result = scan(git_repo.path, "full", workers=1)
    reasons = _reasons(result)
    assert reasons["leak.py"] == "symlink points outside the repository"
    assert reasons["loop_a.py"] == reasons["loop_b.py"] == "symlink loop"
    assert reasons["dangling.py"] == "broken symlink"
    todo_paths = [f.path for f in result.findings if f.source == "todos"]
    assert todo_paths == ["real.py"]  # the in-repo alias is analysed once, at its target


def test_a_directory_that_is_not_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(GOOD + "# TODO: later\n")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "dep.py").write_text("# TODO: not ours\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.js").write_text("// TODO: not ours\n")
    result = scan(tmp_path, "full", workers=1)
    assert any("not a git repository" in note for note in result.notes)
    assert "hotspots" not in result.sources
    assert {f.path for f in result.findings if f.path} == {"app.py"}
    assert result.files_total == 1


def test_an_empty_repository(git_repo: GitRepo) -> None:
    result = scan(git_repo.path, "full", workers=1)
    assert result.files_total == 0
    assert any("no commits yet" in note for note in result.notes)
    git_repo.write({"new.py": GOOD})  # untracked, not ignored: still scanned
    assert scan(git_repo.path, "full", workers=1).files_total == 1


def test_a_shallow_clone(git_repo: GitRepo, tmp_path: Path) -> None:
    for n in range(4):
        git_repo.commit({"app.py": GOOD + f"V = {n}\n"})
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{git_repo.path}", str(clone)],
        check=True,
        capture_output=True,
    )
    result = scan(clone, "full", workers=1)
    assert any("shallow clone" in note for note in result.notes)
    assert any(f.source == "complexity" for f in result.findings)


def test_a_detached_head(git_repo: GitRepo) -> None:
    git_repo.commit({"app.py": GOOD})
    git_repo.commit({"app.py": GOOD + "V = 2\n"})
    git_repo.git("checkout", "-q", "--detach", "HEAD~1")
    result = scan(git_repo.path, "full", workers=1)
    assert any("detached HEAD" in note for note in result.notes)
    assert any(f.source == "complexity" for f in result.findings)


def test_scanned_code_is_never_run(git_repo: GitRepo, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    git_repo.commit(
        {
            "evil.py": f"open({str(marker)!r}, 'w').write('x')\n",
            "conftest.py": f"open({str(marker)!r}, 'w').write('x')\n",
            "setup.py": f"open({str(marker)!r}, 'w').write('x')\n",
        }
    )
    scan(git_repo.path, "full", workers=1)
    assert not marker.exists()


#: A Python file that does not parse, with a TODO, a secret and complex code above the error.
BROKEN = (
    "# TODO: finish the port\npassword = 'Tr0ub4dor&3-xkcd-horse'\n"
    + complex_function("tangled", 30)
    + "import subprocess\nsubprocess.call('ls', shell=True)\ndef g(:\n    pass\n"
)
BROKEN_LINE = BROKEN.count("\n") - 1


def test_a_file_that_does_not_parse_still_has_its_todos_and_secrets_read(
    git_repo: GitRepo,
) -> None:
    git_repo.commit({"app/broken.py": BROKEN, "app/ok.py": GOOD})
    result = scan(git_repo.path, "full", workers=1)
    sources = {f.source for f in result.findings if f.path == "app/broken.py"}
    assert sources == {"todos", "secrets", "lint"}  # no complexity or bandit without a tree
    (syntax_error,) = [
        f for f in result.findings if f.path == "app/broken.py" and f.source == "lint"
    ]
    assert (syntax_error.rule, syntax_error.line) == ("invalid-syntax", BROKEN_LINE)
    assert _reasons(result)["app/broken.py"] == (
        f"syntax error at line {BROKEN_LINE}: invalid syntax; complexity and security not analysed"
    )
    assert result.partial == {"app/broken.py": ["secrets", "todos"]}
    assert result.files_analysed == 2


def test_the_cache_keeps_a_partly_read_file_partly_read(git_repo: GitRepo) -> None:
    git_repo.commit({"app/broken.py": BROKEN})
    cache = ScanCache()
    security = scan(git_repo.path, "security", cache=cache, workers=1)
    assert security.partial == {"app/broken.py": ["secrets"]}
    assert _reasons(security)["app/broken.py"].endswith("; security not analysed")
    full = scan(git_repo.path, "full", cache=cache, workers=1)
    assert full.files_analysed == 1  # for complexity and TODOs, which the security scan left
    again = scan(git_repo.path, "full", cache=cache, workers=1)
    assert (again.files_analysed, again.files_cached) == (0, 1)
    for result in (full, again):
        assert result.partial == {"app/broken.py": ["secrets", "todos"]}
        assert _reasons(result)["app/broken.py"].endswith("; complexity and security not analysed")
    assert [f.fingerprint for f in again.findings] == [f.fingerprint for f in full.findings]
    architecture = scan(git_repo.path, "architecture", cache=cache, workers=1)
    assert architecture.partial == {}  # nothing of it could be read: skipped as before
    assert _reasons(architecture)["app/broken.py"] == (
        f"syntax error at line {BROKEN_LINE}: invalid syntax"
    )


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="3.14 parses `except A, B:`")
def test_a_file_in_newer_python_says_which_python_it_needs(git_repo: GitRepo) -> None:
    git_repo.commit(
        {"new.py": "try:\n    pass\nexcept ValueError, TypeError:  # TODO: x\n    pass\n"}
    )
    result = scan(git_repo.path, "full", workers=1)
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert _reasons(result)["new.py"] == (
        "syntax error at line 3: multiple exception types must be parenthesized "
        f"(uses syntax newer than Python {running}: `except` clauses naming several types "
        "without parentheses need 3.14); complexity and security not analysed"
    )
    assert [f.line for f in result.findings if f.source == "todos"] == [3]


def test_scan_json_lists_a_partly_read_file_with_what_read_it(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    (repo / "broken.py").write_text(BROKEN)
    result = cli("scan", "--json", "--no-cache", "-j", "1")
    assert result.code == 0, result.err
    skipped = {entry["path"]: entry for entry in json.loads(result.out)["skipped"]}
    assert skipped["broken.py"] == {
        "path": "broken.py",
        "reason": (
            f"syntax error at line {BROKEN_LINE}: invalid syntax; "
            "complexity and security not analysed"
        ),
        "analysed": ["secrets", "todos"],
    }
    human = cli("scan", "--no-cache", "-j", "1")
    assert "skipped 1 files (1 still read in part)" in human.out


def test_a_manifest_nested_100000_deep_is_left_unread_and_the_scan_completes(
    tmp_path: Path,
) -> None:
    from tests.hostile.repository import build

    hostile = build(tmp_path / "deep", vectors=["deep-nesting"])
    result = scan(hostile.root, "full", workers=1)
    assert "todos" in result.sources
    assert any(f.path == "app.py" for f in result.findings if f.source == "todos")


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"size_limit": 99999999999999999999}, "size_limit must be from 1 to 33,554,432"),
        ({"size_limit": 10**400}, "size_limit must be from 1 to 33,554,432"),
        ({"file_budget": 1e300}, "file_budget must be above 0 and at most 300"),
        ({"file_budget": 10**400}, "file_budget must be above 0 and at most 300"),
        ({"churn_days": 999999999999}, "churn_days must be from 1 to 18,250"),
        ({"hotspot_min_commits": 0}, "hotspot_min_commits must be from 1 to 100,000"),
        ({"knowledge_share": 10**400}, "knowledge_share is out of range"),
    ],
)
def test_each_scan_setting_is_checked_against_its_bounds_when_read(table, fragment) -> None:
    from terragon_tui.core.errors import ConfigError

    with pytest.raises(ConfigError, match=fragment):
        scan_config(table, where="pyproject.toml: [tool.terragon.scan]")


def test_the_largest_settings_allowed_are_taken() -> None:
    from terragon_tui.discovery.scan_config import BOUNDS

    config = scan_config({name: high for name, (_, high) in BOUNDS.items()})
    assert config.size_limit == 32 << 20
    assert config.churn_days == 50 * 365


def test_a_users_limits_lower_a_repositorys_settings_never_raise_them() -> None:
    config = ScanConfig(size_limit=30 << 20, file_budget=5.0)
    lowered, above = config.within({"size_limit": 1 << 20, "file_budget": 60.0})
    assert (lowered.size_limit, lowered.file_budget) == (1 << 20, 5.0)
    assert above == {"size_limit": 30 << 20}
