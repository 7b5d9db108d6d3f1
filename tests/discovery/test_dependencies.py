"""Dependency hygiene: unpinned and duplicated requirements, drift from pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from terragon_tui.discovery import dependencies


def _findings(tmp_path: Path, files: dict[str, str]) -> list:
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    return dependencies.manifest_findings(tmp_path, list(files))


def test_unpinned_requirements_are_one_finding_per_file(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        {
            "requirements.txt": "# base\nrich>=13\nrequests\nclick==8.1.7 --hash=sha256:abc\n"
            "-r other.txt\n./local-pkg\nflask @ https://example.com/flask.whl\n"
        },
    )
    unpinned = [f for f in found if f.rule == "unpinned-requirements"]
    assert len(unpinned) == 1
    assert unpinned[0].data["names"] == ["requests", "rich"]
    assert unpinned[0].category == "dependencies" and unpinned[0].source == "dependencies"


def test_a_requirement_listed_twice(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        {
            "requirements-dev.txt": "pytest==8.0\nPyTest==8.1\nnumpy==1; python_version<'3.12'\n"
            "numpy==2; python_version>='3.12'\n"
        },
    )
    duplicates = [f for f in found if f.rule == "duplicate-requirement"]
    assert [(f.symbol, f.line) for f in duplicates] == [("pytest", 2)]


def test_pyproject_and_requirements_drift(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["rich>=13", "click>=8,<9", '
            '"httpx"]\n',
            "requirements.txt": "rich==13.7.1\nclick==9.0.0\nattrs==23.1\n",
        },
    )
    drift = {f.symbol: f.data["kind"] for f in found if f.rule == "requirements-drift"}
    # attrs, listed and not declared, is no drift: an import of it is deptry's DEP001
    assert drift == {"httpx": "missing", "click": "conflict"}


def test_an_unparseable_line_is_reported(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"requirements.txt": "rich==13\nthis is not=valid\n"})
    assert [f.rule for f in found] == ["invalid-requirement"]
    assert found[0].line == 2


def test_a_dev_requirements_file_is_not_asked_to_pin(tmp_path):
    from terragon_tui.discovery import dependencies

    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "requirements-dev.txt").write_text("pytest\nruff\n")
    found = dependencies.manifest_findings(tmp_path, ["requirements.txt", "requirements-dev.txt"])
    assert [(f.rule, f.path) for f in found] == [("unpinned-requirements", "requirements.txt")]
