"""Replacing a file in one step (core.files): the old file or the new one, with the right
permissions, and nothing left behind when it fails."""

from __future__ import annotations

import os
import stat

import pytest

from terragon_tui.core.files import replace_file


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_what_the_umask_leaves(tmp_path):
    old = os.umask(0o027)
    try:
        replace_file(tmp_path / "report.md", b"# report\n")
    finally:
        os.umask(old)
    assert (tmp_path / "report.md").read_bytes() == b"# report\n"
    assert _mode(tmp_path / "report.md") == 0o640


def test_a_replaced_file_keeps_its_permissions_and_gets_the_bytes_as_given(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b"old\n")
    path.chmod(0o600)
    replace_file(path, b"[tool.x]\r\nkey = 1\r\n")
    assert path.read_bytes() == b"[tool.x]\r\nkey = 1\r\n"
    assert _mode(path) == 0o600


def test_a_failed_replace_leaves_the_old_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()  # a directory cannot be replaced by a file
    (target / "inside").write_text("kept")
    with pytest.raises(OSError):
        replace_file(target, b"new")
    assert (target / "inside").read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
