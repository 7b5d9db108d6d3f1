"""Security source (bandit) and secrets source (detect-secrets), run without importing code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from terragon_tui.discovery import secret_scan, security
from terragon_tui.discovery.raw_metrics import raw_metrics

RISKY = """import subprocess

PASSWORD = "hunter2-very-secret"


def run(command):
    return subprocess.call(command, shell=True)
"""

SECRETS = {
    "keys.py": 'aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"\npassword = "Tr0ub4dor&3-xkcd-horse"\n',
    "deploy.sh": "export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n",
    "id_rsa.py": 'KEY = """-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n"""\n',
    "settings.yml": "db:\n  password: 'Zx9#mLq2!vR7wT4p'\n",
    "clean.py": 'def f():\n    return "nothing to see"\n',
}


#: Code that many of bandit's checks look at, on calls, strings, handlers, imports, f-strings
#: and comparisons: the shared tree must give what bandit's own reading gives on each.
MANY_SHAPES = """
import hashlib, random, requests, tempfile, yaml

def shapes(user, rows):
    digest = hashlib.md5(user.encode()).hexdigest()
    query = "SELECT * FROM t WHERE name = '%s'" % user
    other = f"DELETE FROM t WHERE id = {user}"
    if user == "hunter2":
        eval(user)
    try:
        pick = random.choice(rows)
    except Exception:
        pass
    for row in rows:
        try:
            row.go()
        except ValueError:
            continue
    requests.get("https://example.com", verify=False)
    yaml.load(user)
    tempfile.mktemp()
    host = "0.0.0.0"
    path = "/tmp/out.txt"
    return digest, query, other, pick, host, path, lambda: exec(user)
"""


@pytest.fixture(scope="module")
def bandit() -> security.BanditFileScanner:
    return security.BanditFileScanner()


def _scan(bandit: security.BanditFileScanner, path: Path, source: str) -> list[dict]:
    path.write_text(source)
    rows = bandit.scan(
        str(path), source.encode(), ast.parse(source), raw_metrics(source).comment_tokens
    )
    security.attach_snippets(rows, source.splitlines())
    return rows


def test_shell_true_and_hard_coded_password_are_findings(
    bandit: security.BanditFileScanner, tmp_path: Path
) -> None:
    rows = _scan(bandit, tmp_path / "risky.py", RISKY)
    found = {f.rule: f for f in security.findings("app/risky.py", rows)}
    assert {"B602", "B105", "B404"} <= set(found)
    shell = found["B602"]
    assert shell.source == "security" and shell.category == "security"
    assert shell.is_security
    assert shell.security_severity == security.SEVERITY["HIGH"]
    assert shell.line == 7
    assert shell.data["cwe"] == 78
    password = found["B105"]
    assert "hunter2" not in password.description  # the value stays out of the backlog
    assert "hunter2" not in str(password.data)


def test_reusing_the_parsed_tree_gives_what_bandit_alone_gives(
    bandit: security.BanditFileScanner, tmp_path: Path
) -> None:
    source = RISKY + "\nimport pickle\npickle.loads(b'')  # nosec B301\nassert run\n" + MANY_SHAPES
    path = tmp_path / "twice.py"
    fast = _scan(bandit, path, source)
    documented = bandit.scan(str(path), source.encode())  # BanditManager, file by file
    key = [("test_id", "line", "severity", "confidence", "line_range", "text")]
    assert [[row[k] for k in key[0]] for row in fast] == [
        [row[k] for k in key[0]] for row in documented
    ]


def test_fingerprints_follow_the_code_not_the_line(
    bandit: security.BanditFileScanner, tmp_path: Path
) -> None:
    first = security.findings("m.py", _scan(bandit, tmp_path / "a.py", RISKY))
    moved = security.findings("m.py", _scan(bandit, tmp_path / "b.py", "\n\n\n" + RISKY))
    assert {f.fingerprint for f in first} == {f.fingerprint for f in moved}
    assert {f.line for f in first} != {f.line for f in moved}


def test_assert_is_not_a_finding_in_tests(
    bandit: security.BanditFileScanner, tmp_path: Path
) -> None:
    rows = _scan(bandit, tmp_path / "t.py", "def test_x():\n    assert 1 + 1 == 2\n")
    assert [r["test_id"] for r in rows] == ["B101"]
    assert security.findings("tests/test_x.py", rows, skip_in_tests=("B101",)) == []
    assert len(security.findings("app/x.py", rows, skip_in_tests=("B101",))) == 1


def test_secrets_are_found_by_type_without_their_value(tmp_path: Path) -> None:
    scanner = secret_scan.SecretScanner().open()
    try:
        found = {}
        for name, text in SECRETS.items():
            (tmp_path / name).write_text(text)
            result = scanner.scan(str(tmp_path / name), text)
            found[name] = secret_scan.findings(name, result["found"])
    finally:
        scanner.close()
    assert {f.rule for f in found["keys.py"]} >= {"aws-access-key", "secret-keyword"}
    assert {f.rule for f in found["deploy.sh"]} == {"github-token"}
    assert {f.rule for f in found["id_rsa.py"]} == {"private-key"}
    assert {f.rule for f in found["settings.yml"]} == {"secret-keyword"}
    assert found["clean.py"] == []
    for finding in (f for group in found.values() for f in group):
        assert finding.source == "secrets" and finding.is_security
        assert "AKIA" not in finding.description + str(finding.data) + (finding.symbol or "")


def test_secret_prefilter_agrees_with_scan_file(tmp_path: Path) -> None:
    """What scan_file reports is kept or suppressed by a reason of ours; what one of
    detect-secrets' own filters suppresses, scan_file does not report."""
    from detect_secrets.core import scan
    from detect_secrets.settings import default_settings

    from terragon_tui.discovery.secret_filters import LIBRARY_REASONS

    mixed = (
        SECRETS["keys.py"]
        + SECRETS["id_rsa.py"]
        + 'TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"\n'
        + 'api_key = "k3y-Zq8wX2v9"  # pragma: allowlist secret\n'
        + "# the admin password is Hunter2Hunter2\n"
    )
    texts = {**SECRETS, "mixed.py": mixed}
    reported, dropped = {}, {}
    scanner = secret_scan.SecretScanner().open()
    try:
        for name, text in texts.items():
            (tmp_path / name).write_text(text)
            rows = raw_metrics(text).literal_rows if name.endswith(".py") else None
            result = scanner.scan(str(tmp_path / name), text, rows)
            library = set(LIBRARY_REASONS.values())
            reported[name] = sorted(
                [tuple(r) for r in result["found"]]
                + [tuple(r[:3]) for r in result["suppressed"] if r[3] not in library]
            )
            dropped[name] = {tuple(r[:3]) for r in result["suppressed"] if r[3] in library}
    finally:
        scanner.close()
    assert dropped["mixed.py"]  # the allowlisted line
    with default_settings():
        for name in texts:
            reference = scan.scan_file(str(tmp_path / name))
            expected = sorted({(s.type, s.line_number, s.secret_hash) for s in reference})
            assert reported[name] == expected, name
            assert not dropped[name] & set(expected), name


def test_needles_are_read_from_a_pattern() -> None:
    import re

    pattern = re.compile(r"(?:(?<=\W)|^)(?:cloudant|cl)_(?:key|pwd)=([a-f0-9]{8})", re.I)
    sets = secret_scan.needle_sets(pattern)
    assert frozenset({"key", "pwd"}) in sets
    assert all(any(n in "cloudant_key=" for n in group) for group in sets)
    assert secret_scan.needle_sets(re.compile(r"[0-9]{4}")) == []


def test_a_weak_hash_naming_content_is_low_and_one_guarding_a_secret_stays_high(git_repo):
    from terragon_tui.discovery import scan

    git_repo.commit(
        {
            "cache.py": (
                "import hashlib\n\n\n"
                "def cache_key(url):\n"
                "    return hashlib.md5(url.encode()).hexdigest()\n"
            ),
            "ids.py": (
                "import hashlib\n\n\n"
                "def token_signature(tokens):\n"
                "    return hashlib.md5(' '.join(tokens).encode()).hexdigest()[:8]\n"
            ),
            "memory.py": (
                "import hashlib\n\n\n"
                "def remember(content):\n"
                '    """Store content under its signature."""\n'
                "    return hashlib.md5(content).hexdigest()\n"
            ),
            "accounts.py": (
                "import hashlib\n\n\n"
                "def check(password, stored):\n"
                "    digest = hashlib.md5(password.encode()).hexdigest()\n"
                "    return digest == stored\n"
            ),
        }
    )
    found = [f for f in scan(git_repo.path, "security", workers=1).findings if f.rule == "B324"]
    by_path = {o.path: f for f in found for o in f.occurrences}
    guarding, naming = by_path["accounts.py"], by_path["cache.py"]
    assert guarding.security_severity == 9.0 and guarding.data.get("purpose") is None
    assert naming.security_severity == 3.0 and naming.data["purpose"] == "identifier"
    assert naming.data["severity_as_found"] == 9.0
    assert "usedforsecurity=False" in naming.description
    # a digest cut to 8 characters names something, whatever the words around it say
    assert by_path["ids.py"].data["purpose"] == "identifier"
    assert by_path["memory.py"].data["purpose"] == "identifier"  # a content "signature"


def test_job_size_is_the_same_for_every_severity(bandit, tmp_path):
    source = (
        "import random\nimport subprocess\n\n\ndef f(c):\n"
        "    subprocess.call(c, shell=True)\n    return random.random()\n"
    )
    rows = _scan(bandit, tmp_path / "both.py", source)
    hours = {f.security_severity: f.estimated_hours for f in security.findings("both.py", rows)}
    assert hours[9.0] == hours[3.0]


def test_one_call_flagged_by_two_checks_is_one_finding(bandit, tmp_path):
    source = (
        "from django.utils.safestring import mark_safe\n\n\n"
        "def label(text):\n    return mark_safe(text)\n"
    )
    rows = _scan(bandit, tmp_path / "tags.py", source)
    assert {r["test_id"] for r in rows} >= {"B308", "B703"}
    assert [f.rule for f in security.findings("tags.py", rows)] == ["B703"]
