"""Hotspots source: churn from one git log stream, × complexity, and knowledge concentration."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from terragon_tui.discovery import hotspots, scan
from terragon_tui.git import churn as churn_of

from .conftest import GitRepo, complex_function

ANN = "Ann Example <ann@example.com>"
BO = "Bo Other <bo@example.com>"
DEPENDABOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
AUTOFIX = "pre-commit-ci[bot] <66853113+pre-commit-ci[bot]@users.noreply.github.com>"
DAY = 86400


def test_numstat_stream_is_parsed_per_file() -> None:
    stream = (
        "\x1eaaa\x1fAnn\x1fann@x\x00\n3\t1\tsrc/a.py\x001\t0\tsrc/b.py\x00"
        "\x1ebbb\x1fBo\x1fBO@x\x00\n2\t2\tsrc/a.py\x00-\t-\tlogo.png\x00"
    )
    churn = churn_of.parse_numstat(stream)
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
    churn = churn_of.read_churn(git_repo.path, days=180)
    assert churn.files["hot.py"].commits == 7
    assert churn.files["calm.py"].commits == 1
    assert len(churn.files["hot.py"].authors) == 2
    assert churn.window == f"in the 180 days up to the last commit ({_head_date(git_repo)})"


def test_window_excludes_old_commits(git_repo: GitRepo) -> None:
    git_repo.clock -= 400 * 86400  # a year ago and more
    git_repo.commit({"old.py": "x = 1\n"})
    git_repo.clock += 400 * 86400
    git_repo.commit({"new.py": "y = 1\n"})
    churn = churn_of.read_churn(git_repo.path, days=180)
    assert set(churn.files) == {"new.py"}


def _head_date(repo: GitRepo) -> str:
    return repo.git("log", "-1", "--format=%cd", "--date=format:%Y-%m-%d").strip()


def _abandoned(repo: GitRepo, days_ago: int, commits: int = 5) -> None:
    """A history of `commits` changes to hot.py whose last commit is `days_ago` days old."""
    repo.clock = int(time.time()) - days_ago * DAY - 3600  # each commit moves it 2 minutes on
    for n in range(commits):
        repo.commit({"hot.py": complex_function("hot", 12) + f"VERSION = {n}\n"}, f"v{n}")


def test_the_window_counts_back_from_the_last_commit_not_from_today(git_repo: GitRepo) -> None:
    _abandoned(git_repo, days_ago=460)  # some 15 months without a commit
    churn = churn_of.read_churn(git_repo.path, days=180)
    assert churn.files["hot.py"].commits == 5
    assert churn.window == f"in the 180 days up to the last commit ({_head_date(git_repo)})"
    found = hotspots.findings(churn, {"hot.py": 13})
    assert [f.rule for f in found] == ["hotspot"]
    assert churn.window in found[0].description


def test_commits_older_than_the_window_before_the_last_commit_are_left_out(
    git_repo: GitRepo,
) -> None:
    git_repo.clock = int(time.time()) - 700 * DAY
    git_repo.commit({"older.py": "x = 1\n"})
    git_repo.clock = int(time.time()) - 450 * DAY
    git_repo.commit({"recent.py": "y = 1\n"})
    churn = churn_of.read_churn(git_repo.path, days=180)
    assert set(churn.files) == {"recent.py"}


def test_since_a_date_still_counts_from_today(git_repo: GitRepo) -> None:
    _abandoned(git_repo, days_ago=460)
    assert churn_of.read_churn(git_repo.path, since="90 days ago").files == {}
    assert churn_of.read_churn(git_repo.path, since="2 years ago").files["hot.py"].commits == 5


def test_notes_say_the_last_commit_is_older_than_the_window(git_repo: GitRepo) -> None:
    git_repo.clock = int(time.time()) - 800 * DAY
    git_repo.commit({"start.py": "x = 1\n"}, author=BO)
    _abandoned(git_repo, days_ago=460)
    notes = churn_of.read_churn(git_repo.path, days=180).notes()
    head = _head_date(git_repo)
    assert (
        notes[0] == f"churn: 5 commits by 1 author in the 180 days up to the last commit ({head})"
    )
    assert notes[1] == (
        f"the last commit ({head}) is 460 days old: the churn window counts back from it, "
        "not from today"
    )
    assert len(notes) == 2


def test_notes_say_history_starts_within_the_window(git_repo: GitRepo) -> None:
    noon = int(time.time()) // DAY * DAY + DAY // 2  # whole days apart whatever the hour
    git_repo.clock = noon - 40 * DAY
    git_repo.commit({"start.py": "x = 1\n"})
    first = _head_date(git_repo)
    git_repo.clock = noon - 10 * DAY
    git_repo.commit({"start.py": "x = 2\n"}, author=BO)
    notes = churn_of.read_churn(git_repo.path, days=180).notes()
    assert notes[0].startswith("churn: 2 commits by 2 authors in the 180 days up to")
    assert notes[1:] == [
        f"history starts {first}, within the window: churn covers 30 days, not 180"
    ]


def test_dates_are_the_committers_own_as_git_log_shows_them(git_repo: GitRepo) -> None:
    evening = int(time.time()) // DAY * DAY - 5 * DAY + 22 * 3600  # 22:00 UTC
    git_repo.zone, git_repo.clock = "-0400", evening  # 18:00 that day in New York
    git_repo.commit({"start.py": "x = 1\n"})
    git_repo.zone, git_repo.clock = "+1000", evening  # 08:00 the next day in Sydney
    git_repo.commit({"start.py": "x = 2\n"})
    utc = datetime.fromtimestamp(evening, UTC).date()
    notes = churn_of.read_churn(git_repo.path, days=180).notes()
    assert f"up to the last commit ({utc + timedelta(days=1)})" in notes[0]
    assert (
        notes[1]
        == f"history starts {utc}, within the window: churn covers less than a day, not 180"
    )


def test_a_recent_head_and_a_long_history_need_no_window_notes(git_repo: GitRepo) -> None:
    git_repo.clock = int(time.time()) - 400 * DAY
    git_repo.commit({"start.py": "x = 1\n"})
    git_repo.clock = int(time.time()) - DAY
    git_repo.commit({"start.py": "x = 2\n"})
    assert len(churn_of.read_churn(git_repo.path, days=180).notes()) == 1


def test_a_since_window_is_named_as_given_without_window_notes(git_repo: GitRepo) -> None:
    _abandoned(git_repo, days_ago=460)
    git_repo.git("tag", "v1", "HEAD~2")
    assert churn_of.read_churn(git_repo.path, since="v1").notes() == [
        "churn: 2 commits by 1 author since v1"
    ]


def test_a_scan_of_an_abandoned_repository_has_hotspots_and_says_why(git_repo: GitRepo) -> None:
    _abandoned(git_repo, days_ago=460)
    result = scan(git_repo.path, "architecture", workers=1)
    assert [f.path for f in result.findings if f.rule == "hotspot"] == ["hot.py"]
    assert any("is 460 days old" in note for note in result.notes)


def test_a_quiet_window_says_why_it_has_no_hotspots(git_repo: GitRepo) -> None:
    git_repo.commit({"core.py": complex_function("core", 12), "setup.py": "x = 1\n"})
    git_repo.commit({"core.py": complex_function("core", 12) + "X = 1\n"})
    for n in range(3):
        git_repo.commit({"setup.py": f"x = {n + 2}\n"})  # busy, but not complex
    result = scan(git_repo.path, "architecture", workers=1)
    assert [f for f in result.findings if f.source == "hotspots"] == []
    assert result.notes[-1] == (
        "hotspots: none, as no file of total complexity 10 or more changed in 3 or more of "
        "those commits (the busiest, core.py, in 2); a longer window (churn_days, --since) "
        "may show some"
    )


def test_since_accepts_a_revision(git_repo: GitRepo) -> None:
    git_repo.commit({"a.py": "a = 1\n"})
    git_repo.git("tag", "v1")
    git_repo.commit({"b.py": "b = 1\n"})
    churn = churn_of.read_churn(git_repo.path, since="v1")
    assert set(churn.files) == {"b.py"}
    assert churn.window == "since v1"


def test_hot_complex_file_is_a_hotspot(git_repo: GitRepo) -> None:
    _history(git_repo)
    churn = churn_of.read_churn(git_repo.path)
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
    churn = churn_of.read_churn(git_repo.path)
    found = hotspots.findings(churn, {"owned.py": 13})
    knowledge = [f for f in found if f.rule == "knowledge-concentration"]
    assert [f.path for f in knowledge] == ["owned.py"]
    assert knowledge[0].data["owner"] == "Ann Example"
    assert knowledge[0].data["share"] == 1.0


def test_a_single_author_repository_has_no_knowledge_findings(git_repo: GitRepo) -> None:
    for n in range(5):
        git_repo.commit({"solo.py": complex_function("f", 12) + f"X = {n}\n"})
    found = hotspots.findings(churn_of.read_churn(git_repo.path), {"solo.py": 13})
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
    churn = churn_of.read_churn(git_repo.path)
    assert churn.files["a.py"].commits == 3
    assert not marker.exists()


def test_delivery_and_the_config_audit_run_no_gpg_program(git_repo: GitRepo) -> None:
    from terragon_tui.discovery import config_audit
    from terragon_tui.git.history import read_history

    marker = git_repo.path.parent / "ran"
    program = git_repo.path.parent / "program"
    program.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    program.chmod(0o755)
    hooks = "repos:\n  - repo: local\n    hooks:\n      - id: x\n"  # is pre-commit.ci on?
    for n in range(2):
        git_repo.commit({"a.py": f"A = {n}\n", ".pre-commit-config.yaml": hooks})
    git_repo.git("tag", "v1")
    _signed(git_repo)
    git_repo.git("config", "log.showSignature", "true")
    git_repo.git("config", "gpg.program", str(program))
    commits, releases = read_history(git_repo.path)
    assert commits and [r.name for r in releases] == ["v1"]
    config_audit.audit(git_repo.path, [".pre-commit-config.yaml", "a.py"])  # reads git log
    assert not marker.exists()


def test_bots_are_neither_authors_nor_churn(git_repo: GitRepo) -> None:
    git_repo.commit({"owned.py": complex_function("f", 12), "requirements.txt": "rich\n"})
    for n in range(4):
        git_repo.commit({"owned.py": complex_function("f", 12) + f"X = {n}\n"})
        git_repo.commit({"requirements.txt": f"rich=={n}\n"}, f"bump {n}", author=DEPENDABOT)
    git_repo.commit({"owned.py": complex_function("f", 12) + "X = 9\n"}, author=AUTOFIX)
    churn = churn_of.read_churn(git_repo.path)
    assert (churn.commits, churn.authors) == (5, 1)
    assert churn.files["owned.py"].commits == 5
    assert churn.files["requirements.txt"].commits == 1  # the first commit; the bumps were bots
    assert churn.bots == {"dependabot[bot]": 4, "pre-commit-ci[bot]": 1}
    assert churn.notes()[0].endswith(
        "; 5 commits by bots left out (dependabot[bot], pre-commit-ci[bot])"
    )


def test_one_person_and_a_bot_have_no_knowledge_concentration(git_repo: GitRepo) -> None:
    # The shape of a repository that one person writes and a bot account commits to twice.
    for n in range(5):
        git_repo.commit({"owned.py": complex_function("f", 12) + f"X = {n}\n"})
    bot = "terragon-labs[bot] <215797445+terragon-labs[bot]@users.noreply.github.com>"
    git_repo.commit({"owned.py": complex_function("f", 12) + "X = 7\n"}, author=bot)
    git_repo.commit({"notes.md": "done\n"}, author=bot)
    found = hotspots.findings(churn_of.read_churn(git_repo.path), {"owned.py": 13})
    assert [f.rule for f in found] == ["hotspot"]


def test_a_file_only_bots_keep_changing_is_not_hot(git_repo: GitRepo) -> None:
    git_repo.commit({"formatted.py": complex_function("f", 12)})
    for n in range(4):
        git_repo.commit(
            {"formatted.py": complex_function("f", 12) + "\n" * (n + 1)}, author=AUTOFIX
        )
    assert hotspots.findings(churn_of.read_churn(git_repo.path), {"formatted.py": 13}) == []


def test_one_person_under_two_addresses_is_one_author(git_repo: GitRepo) -> None:
    for n in range(5):
        address = "ann@example.com" if n % 2 else "ann@home.example"
        body = complex_function("f", 12) + f"X = {n}\n"
        git_repo.commit({"owned.py": body}, author=f"Ann Example <{address}>")
    churn = churn_of.read_churn(git_repo.path)
    assert churn.authors == 1
    assert [f.rule for f in hotspots.findings(churn, {"owned.py": 13})] == ["hotspot"]


def test_the_mailmap_names_people_even_with_log_mailmap_off(git_repo: GitRepo) -> None:
    git_repo.write({".mailmap": "Ann Example <ann@example.com> Old Handle <old@handle.example>\n"})
    for n in range(4):
        author = ANN if n % 2 else "Old Handle <old@handle.example>"
        git_repo.commit({"owned.py": complex_function("f", 12) + f"X = {n}\n"}, author=author)
    git_repo.git("config", "log.mailmap", "false")
    churn = churn_of.read_churn(git_repo.path)
    assert churn.authors == 1
    assert set(churn.files["owned.py"].authors) == {ANN}
