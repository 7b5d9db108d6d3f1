"""A repository with hostile file names, scanned and listed from the command line."""

from __future__ import annotations

import csv
import io
import json
import os
from functools import partial
from pathlib import PurePosixPath

import pytest

from terragon_tui.discovery.inventory import name_and_suffix

from ..conftest import git
from ..hostile import shows_no_control
from ..hostile.repository import BIDI_NAME, build

TODO = "# TODO: fix me\n"
#: File names a terminal, Rich or a Markdown renderer would act on, and spreadsheet formulas.
HOSTILE_NAMES = (
    "new\nline.py",
    "esc\x1b[31mred.py",
    "osc\x1b]8;;http:evil\x1b\\link.py",
    "clip\x1b]52;c;cHduZWQ=\x07.py",
    "cr\rbs\b.py",
    "del\x7f.py",
    "c1\x9b2J.py",
    "[bold red]mark[red].py",
    "[link=https:evil]x.py",
    "=HYPERLINK(1).py",
)
DEEP = "/".join(f"{n:02d}" + "d" * 40 for n in range(12)) + "/" + "L" * 200 + ".py"


@pytest.fixture
def hostile_repo(repo, tmp_path):
    """The demo repository with hostile names, links out and in a loop, bad bytes; committed."""
    for name in (*HOSTILE_NAMES, DEEP):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(TODO)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("# TODO: OUTSIDE\npassword = 'hunter2hunter2'\n")
    os.symlink(outside / "secret.py", repo / "leak.py")
    os.symlink("../outside", repo / "leakdir")
    os.symlink("loop_b.py", repo / "loop_a.py")
    os.symlink("loop_a.py", repo / "loop_b.py")
    (repo / "latin1.py").write_bytes(b"# TODO: caf\xe9\n")
    (repo / "sub").mkdir()
    with open(os.fsencode(repo / "sub") + b"/name\xff.py", "w") as handle:
        handle.write(TODO)
    marker = tmp_path / "ran"
    for name in ("evil.py", "setup.py", "conftest.py", "sub/__init__.py"):
        (repo / name).write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hostile")
    return repo


def test_a_scan_of_hostile_paths_finishes_and_stays_inside(cli, hostile_repo, tmp_path):
    result = cli("scan", "--json", "--no-cache", "-j", "1")
    assert result.code == 0, result.err
    shows_no_control(result.out)
    skipped = {entry["path"]: entry["reason"] for entry in json.loads(result.out)["skipped"]}
    assert skipped["leak.py"] == skipped["leakdir"] == "symlink points outside the repository"
    assert skipped["loop_a.py"] == skipped["loop_b.py"] == "symlink loop"
    assert skipped["latin1.py"].startswith("not UTF-8 text")
    assert skipped["sub/name\\xff.py"] == "file name is not UTF-8"

    items = json.loads(cli("list", "--json").out)["items"]
    todo_files = {item["file"] for item in items if item["source"] == "todos"}
    assert todo_files == {*HOSTILE_NAMES, DEEP}  # stored as they are, escaped when shown
    assert "OUTSIDE" not in json.dumps(items) and "hunter2" not in json.dumps(items)
    assert not (tmp_path / "ran").exists()  # scanned code is parsed, never imported or run


def test_a_folder_turned_into_a_symlink_out_and_a_fifo_are_not_read(cli, repo, tmp_path):
    (repo / "pkg").mkdir()
    (repo / "pkg/x.py").write_text("x = 1\n")
    (repo / "notes.py").write_text(TODO)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "files")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.py").write_text("# TODO: OUTSIDE\npassword = 'hunter2hunter2'\n")
    # git still lists the committed pkg/x.py; pkg now leads out of the repository
    for child in (repo / "pkg").iterdir():
        child.unlink()
    (repo / "pkg").rmdir()
    os.symlink(outside, repo / "pkg")
    # a committed file replaced by a FIFO: reading it would wait forever
    (repo / "notes.py").unlink()
    os.mkfifo(repo / "notes.py")
    result = cli("scan", "--json", "--no-cache", "-j", "1")  # must return, not hang
    assert result.code == 0, result.err
    skipped = {entry["path"]: entry["reason"] for entry in json.loads(result.out)["skipped"]}
    assert skipped["pkg/x.py"] == "a folder on its path is a symlink (pkg)"
    assert skipped["notes.py"] == "not a regular file (a FIFO, device or socket)"
    items = json.dumps(json.loads(cli("list", "--json").out)["items"])
    assert "OUTSIDE" not in items and "hunter2" not in items


def test_hostile_paths_show_escaped_in_list_show_and_exports(cli, hostile_repo):
    assert cli("scan", "--json", "--no-cache", "-j", "1").code == 0
    items = json.loads(cli("list", "--json").out)["items"]
    listing = cli("list", "--all")
    assert listing.code == 0
    shows_no_control(listing.out)
    assert "[bold red]mark[red].py" in listing.out
    shown = ""
    for item in items:
        if item["file"] not in HOSTILE_NAMES and item["file"] != DEEP:
            continue
        result = cli("show", item["id"])
        assert result.code == 0, result.err
        shown += result.out
    shows_no_control(shown)
    for expected in (
        "new line.py",
        "esc\\x1b[31mred.py",
        "osc\\x1b]8;;http:evil\\x1b\\link.py",
        "clip\\x1b]52;c;cHduZWQ=\\x07.py",
        "cr\\x0dbs\\x08.py",
        "del\\x7f.py",
        "c1\\x9b2J.py",
        "[link=https:evil]x.py",
        "L" * 200 + ".py",
    ):
        assert expected in shown.replace("\n", ""), expected

    for item in items:  # into the document's top ten
        if item["file"] in ("[bold red]mark[red].py", "esc\x1b[31mred.py"):
            assert cli("edit", item["id"], "--business-value", "20", "--impact", "10").code == 0
    markdown = cli("export", "backlog").out
    shows_no_control(markdown)
    assert "TODO in \\[bold red\\]mark\\[red\\].py" in markdown
    assert "TODO in esc\\\\x1b\\[31mred.py" in markdown
    table = cli("export", "backlog", "--format", "csv").out
    shows_no_control(table)
    files = {row["file"] for row in csv.DictReader(io.StringIO(table))}
    assert "'=HYPERLINK(1).py" in files and "esc\\x1b[31mred.py" in files


@pytest.mark.parametrize(
    "path", ["a/b.py", ".bashrc", "x/.env.local", "a.", "a..b", "dir.d/file", "Makefile", "x/.."]
)
def test_a_file_type_is_read_from_the_path_as_pathlib_reads_it(path: str) -> None:
    pure = PurePosixPath(path)
    assert name_and_suffix(path) == (pure.name, pure.suffix)


def test_bidi_and_zero_width_text_from_a_repository_shows_escaped_in_every_output(cli, tmp_path):
    made = build(tmp_path / "bidi-repo", vectors=["bidi-text"])
    run = partial(cli, repo_path=made.root)
    scan = run("scan", "--no-cache", "-j", "1")
    assert scan.code == 0, scan.err
    shows_no_control(scan.out + scan.err, "scan")
    items = json.loads(run("list", "--json").out)["items"]
    # the name is stored, and given to programs, as it is
    [todo] = [item for item in items if item["file"] == BIDI_NAME and item["source"] == "todos"]
    # the title holds the raw name, as titles from older scans hold raw text: escaped when shown
    name, text = "notes\\u202etxt.py", "pay \\u202eevil\\u200b now"
    report = tmp_path / "report.html"
    outputs = {
        "list": (name, text),
        "next": (name,),  # bandit's trojansource finding on the same file comes first
        "show": (name, text),
        "list --json": (name, text),
        "export backlog": (name.replace("\\", "\\\\"), text.replace("\\", "\\\\")),
        "export backlog --format csv": (name, text),
        "export backlog --format json": (name, text),
        "report stakeholder --format md": (name.replace("\\", "\\\\"),),
        f"report stakeholder -o {report}": (),  # the HTML file
    }
    failed = []  # every output judged, so that a failure names all that leak
    for command, shown in outputs.items():
        args = command.split() + ([todo["id"]] if command == "show" else [])
        result = run(*args)
        assert result.code == 0, (command, result.err)
        out = report.read_text() if "-o" in args else result.out + result.err
        try:
            shows_no_control(out, command)
            for expected in shown or (name, text):
                assert expected in out, expected
        except AssertionError as exc:
            failed.append(f"{command}: {exc}")
    assert failed == []
