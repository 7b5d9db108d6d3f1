"""Hotspots source: churn from one git log stream, × complexity, and knowledge concentration."""

from __future__ import annotations

from terragon_tui.discovery import hotspots

from .conftest import GitRepo, complex_function

ANN = "Ann Example <ann@example.com>"
BO = "Bo Other <bo@example.com>"


def test_numstat_stream_is_parsed_per_file() -> None:
    stream = (
        "\x1eaaa\x1fAnn\x1fann@x\x00\n3\t1\tsrc/a.py\x001\t0\tsrc/b.py\x00"
        "\x1ebbb\x1fBo\x1fBO@x\x00\n2\t2\tsrc/a.py\x00-\t-\tlogo.png\x00"
    )
    churn = hotspots.parse_numstat(stream)
    assert churn.commits == 2 and churn.authors == 2
    a = churn.files["src/a.py"]
    assert (a.commits, a.added, a.deleted, a.lines) == (2, 5, 3, 8)
    assert a.authors == {"Ann <ann@x>": 4, "Bo <bo@x>": 4}
    assert churn.files["logo.png"].lines == 0


def _history(repo: GitRepo) -> None:
    repo.commit({"hot.py": complex_function("hot", 12), "calm.py": complex_function("calm", 12)})
    for n in range(6):
        body = complex_function("hot", 12) + f"\nVERSION = {n}\n"
        repo.commit({"hot.py": body}, f"tweak {n}", author=ANN if n % 3 else BO)


def test_churn_counts_commits_lines_and_authors(git_repo: GitRepo) -> None:
    _history(git_repo)
    churn = hotspots.read_churn(git_repo.path, days=180)
    assert churn.files["hot.py"].commits == 7
    assert churn.files["calm.py"].commits == 1
    assert len(churn.files["hot.py"].authors) == 2
    assert churn.window == "last 180 days"


def test_window_excludes_old_commits(git_repo: GitRepo) -> None:
    git_repo.clock -= 400 * 86400  # a year ago and more
    git_repo.commit({"old.py": "x = 1\n"})
    git_repo.clock += 400 * 86400
    git_repo.commit({"new.py": "y = 1\n"})
    churn = hotspots.read_churn(git_repo.path, days=180)
    assert set(churn.files) == {"new.py"}


def test_since_accepts_a_revision(git_repo: GitRepo) -> None:
    git_repo.commit({"a.py": "a = 1\n"})
    git_repo.git("tag", "v1")
    git_repo.commit({"b.py": "b = 1\n"})
    churn = hotspots.read_churn(git_repo.path, since="v1")
    assert set(churn.files) == {"b.py"}
    assert churn.window == "since v1"


def test_hot_complex_file_is_a_hotspot(git_repo: GitRepo) -> None:
    _history(git_repo)
    churn = hotspots.read_churn(git_repo.path)
    found = hotspots.findings(churn, {"hot.py": 13, "calm.py": 13})
    spots = [f for f in found if f.rule == "hotspot"]
    assert [f.path for f in spots] == ["hot.py"]
    spot = spots[0]
    assert spot.source == "hotspots" and spot.category == "technical-debt"
    assert spot.data["score"] == 7 * 13
    assert spot.debt_interest > 1


def test_one_author_owning_a_hot_file_is_its_own_finding(git_repo: GitRepo) -> None:
    git_repo.commit({"shared.py": "x = 0\n"}, author=BO)
    for n in range(5):
        git_repo.commit({"owned.py": complex_function("f", 12) + f"X = {n}\n"}, author=ANN)
    churn = hotspots.read_churn(git_repo.path)
    found = hotspots.findings(churn, {"owned.py": 13})
    knowledge = [f for f in found if f.rule == "knowledge-concentration"]
    assert [f.path for f in knowledge] == ["owned.py"]
    assert knowledge[0].data["owner"] == "Ann Example"
    assert knowledge[0].data["share"] == 1.0


def test_a_single_author_repository_has_no_knowledge_findings(git_repo: GitRepo) -> None:
    for n in range(5):
        git_repo.commit({"solo.py": complex_function("f", 12) + f"X = {n}\n"})
    found = hotspots.findings(hotspots.read_churn(git_repo.path), {"solo.py": 13})
    assert [f.rule for f in found] == ["hotspot"]


def _signed(repo: GitRepo) -> None:
    """Replace HEAD by a copy carrying a (bogus) signature, which git would ask gpg to check."""
    commit = repo.git("cat-file", "commit", "HEAD")
    header, _, message = commit.partition("\n\n")
    signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----"
    signed = f"{header}\n{signature}\n\n{message}"
    path = repo.path / ".git" / "signed-commit"
    path.write_text(signed)
    sha = repo.git("hash-object", "-t", "commit", "-w", str(path)).strip()
    repo.git("update-ref", "HEAD", sha)


def test_reading_churn_runs_nothing_the_repository_configures(git_repo: GitRepo) -> None:
    marker = git_repo.path.parent / "ran"
    program = git_repo.path.parent / "program"
    program.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    program.chmod(0o755)
    git_repo.write({".gitattributes": "*.py diff=py\n"})
    for n in range(3):
        git_repo.commit({"a.py": f"A = {n}\n"})
    _signed(git_repo)
    for key, value in (
        ("log.showSignature", "true"),
        ("gpg.program", str(program)),
        ("diff.py.textconv", str(program)),
        ("diff.external", str(program)),
    ):
        git_repo.git("config", key, value)
    churn = hotspots.read_churn(git_repo.path)
    assert churn.files["a.py"].commits == 3
    assert not marker.exists()
