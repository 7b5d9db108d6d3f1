"""The package's metadata: one version, written once, and the Pythons it is tested on."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import terragon_tui

PYPROJECT = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())


def test_the_version_is_written_once_in_the_package_and_read_by_the_build() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    dynamic = PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "terragon_tui.__version__"}
    assert version("terragon-tui") == terragon_tui.__version__


def test_the_classifiers_name_python_3_11_to_3_13_and_package_data_matches_files() -> None:
    classifiers = PYPROJECT["project"]["classifiers"]
    for minor in (11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    root = Path(terragon_tui.__file__).parent
    for pattern in PYPROJECT["tool"]["setuptools"]["package-data"]["terragon_tui"]:
        assert list(root.glob(pattern)), f"package-data {pattern!r} matches no file"
