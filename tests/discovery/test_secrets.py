"""Secrets source: the usual false positives are suppressed and counted with their reason;
real-looking secrets are still reported, and no value is kept anywhere."""

from __future__ import annotations

import base64
import json
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest

from terragon_tui.discovery import ScanCache, scan
from terragon_tui.discovery.runner import ScanResult
from terragon_tui.discovery.secret_filters import (
    AUDITED,
    BASELINE_FILE,
    KEY_NAME,
    LOCK_FILE,
    PINNED,
    PLACEHOLDER,
    PUBLIC,
    REFERENCE,
    STATUS,
)

from .conftest import GitRepo

_RANDOM = random.Random(20240611)


def _random(alphabet: str, size: int) -> str:
    return "".join(_RANDOM.choice(alphabet) for _ in range(size))


UPPER, ALNUM = string.ascii_uppercase, string.ascii_letters + string.digits
#: Real-looking secrets: each must still be a finding.
AWS_KEY = "AKIA" + _random(UPPER, 16)
GITHUB_TOKEN = "ghp_" + _random(ALNUM, 36)
PASSWORD_WITH_TEST = _random(ALNUM, 5) + "test" + _random(ALNUM, 9)  # "test" inside, not a word
STRIPE_TEST_KEY = "sk_test_" + _random(ALNUM, 24)
REGISTRY_TOKEN = _random(ALNUM, 20)
HEX40, HEX64 = _random("0123456789abcdef", 40), _random("0123456789abcdef", 64)
INTEGRITY = "sha512-" + _random(ALNUM + "+/", 86) + "=="


def _jwt(claims: dict[str, str]) -> str:
    def part(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{_random(ALNUM, 43)}"


#: A JSON Web Token, as a session or service key is one.
SERVICE_JWT = _jwt({"iss": "billing", "role": "service_role", "sub": _random(ALNUM, 12)})
ANON_JWT = _jwt({"iss": "supabase", "role": "anon", "ref": _random(ALNUM, 20)})

#: path -> lines, each a shape paired with the reason it is suppressed for (None: a finding).
SHAPES: dict[str, list[tuple[str, str | None]]] = {
    "app/constants.py": [
        ('API_KEY = "api_key"', KEY_NAME),
        ('NACL_SECRETBOX = "nacl_secretbox"', KEY_NAME),
        ('SECRET_KEY = "secret-key"', KEY_NAME),
        ('DATABASES = {"db_password": "db_password_here"}', KEY_NAME),
        ('client.login(username="ann@example.com", password="password")', KEY_NAME),
        ('EMAIL_HOST_PASSWORD = "your-email-password-here"', KEY_NAME),
        (f'SUPABASE_PUBLIC_API_KEY = "{ANON_JWT}"', PUBLIC),  # shipped to browsers by design
        ('STRIPE_PUBLISHABLE_KEY = "pk_live_9fQ2xLm7Vb4Nc8Zr1Tk6Wy3H"', PUBLIC),
    ],
    "config/app.yaml": [
        ("password: password", KEY_NAME),
        ("api_key: changeme", PLACEHOLDER),
    ],
    "app/placeholders.py": [
        ('password = "changeme"', PLACEHOLDER),
        ('SECRET_KEY = "changethis"', PLACEHOLDER),  # words written together
        ('api_key = "yourapikeyhere"', PLACEHOLDER),
        ('password = "xxxxxxxxxxxx"', PLACEHOLDER),
        ('password = "example"', PLACEHOLDER),
        ('api_key = "dummy"', PLACEHOLDER),
        ('api_key = "mock_api_key_8f7a6b"', PLACEHOLDER),
        ('api_key = "fake"', PLACEHOLDER),
        ('password = "test"', PLACEHOLDER),
        ('secret = "your-token-here"', PLACEHOLDER),
        ('password = "hunter***"', PLACEHOLDER),
        ('OPENAI_API_KEY = "sk-..."', PLACEHOLDER),
        ('password = "aaaaaaaa"', PLACEHOLDER),
        ('REDIS_PASSWORD = "secret"', PLACEHOLDER),
        ('api_key = "Bearer <your-token>"', PLACEHOLDER),
        ('api_key = "Bearer ${API_TOKEN}"', PLACEHOLDER),
        ('api_key = "Token {{ api_token }}"', PLACEHOLDER),
        ('SECRET_KEY = "key-%(environment)s"', PLACEHOLDER),
    ],
    ".github/workflows/release.yml": [
        ("jobs:", None),
        ("  publish:", None),
        ("    uses: ./.github/workflows/_publish.yml", None),
        ("    secrets: inherit", STATUS),  # the caller's secrets, passed on by name
    ],
    ".env.example": [
        ("GITHUB_TOKEN=ghp_" + "x" * 36, PLACEHOLDER),
        ("GITHUB_TOKEN=ghp_your_github_personal_access_token_here", PLACEHOLDER),
    ],
    "deploy/k8s.yaml": [
        ("secretName: tls-secret", REFERENCE),
        ("existingSecret: release-db-secret", REFERENCE),
        ("password_file: secrets/db_password.txt", REFERENCE),
        ("api_key_env: OPENAI_API_KEY", REFERENCE),
        ('password: os.getenv("DB_PASSWORD")', REFERENCE),
        ("secret_key: settings.SECRET_KEY", REFERENCE),
        ('db_password: config["db_password"]', REFERENCE),
        ("secretKeyRef: db-credentials", REFERENCE),
        ("admin_password: from vault", REFERENCE),
        ("client_secret: vault:secret/data/ci", REFERENCE),
    ],
    ".pre-commit-config.yaml": [
        ("repos:", None),
        ("  - repo: https://github.com/astral-sh/ruff-pre-commit", None),
        (f"    rev: {HEX40}  # frozen: v0.6.9", PINNED),
    ],
    "app/checksums.py": [
        (f'WHEEL_SHA256 = "{HEX64}"', PINNED),
        (f'ASSET = {{"integrity": "{INTEGRITY}"}}', PINNED),
    ],
    "web/package-lock.json": [
        ("{", None),
        ('  "packages": {"node_modules/a": {', None),
        (f'    "resolved": "https://ci:{REGISTRY_TOKEN}@registry.example.com/a.tgz",', None),
        (f'    "integrity": "{INTEGRITY}"', LOCK_FILE),
        ("  }}", None),
        ("}", None),
    ],
    "web/pnpm-lock.yaml": [
        ("packages:", None),
        ("  /a@1.0.0:", None),
        (f"    resolution: {{integrity: {INTEGRITY}}}", LOCK_FILE),
    ],
    "app/keys.py": [
        (f'aws_key = "{AWS_KEY}"', None),
        (f'GITHUB_TOKEN = "{GITHUB_TOKEN}"', None),
        (f'password = "{PASSWORD_WITH_TEST}"', None),
        (f'api_key = "{STRIPE_TEST_KEY}"', None),
        ('ADMIN_PASSWORD = "Password#2024!"', None),  # chosen, though made of its key name
        ('ADMIN_PASSWORD = "correcthorsebatterystaple"', None),  # words, but not a stand-in's
        ('ADMIN_PASSWORD = "thischangeszebra"', None),  # a placeholder's words and more
        (f'BILLING_API_KEY = "{SERVICE_JWT}"', None),  # a token, and not a keyword hit too
    ],
    "app/library.py": [
        ('api_key = "Zq8wX2v9Lm4pQ7rT"  # pragma: allowlist secret', "allowlisted"),
        ('client = Client(password="Zq8wX2v9Lm4pQ7rT")', "indirect reference"),
        ('password = "12345678"', "no letters"),
        ('CHECK = {"url": "SITE_ROOT/api/v3/checks/31365bce-8da9-4729-8ff3-aaa71d56b712"}', "UUID"),
    ],
}


def _text(lines: list[tuple[str, str | None]]) -> str:
    return "\n".join(line for line, _ in lines) + "\n"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScanResult, ScanResult, Path]:
    """A repository holding every shape, scanned twice with one cache (the second from it)."""
    path = tmp_path_factory.mktemp("secrets") / "repo"
    path.mkdir()
    repo = GitRepo(path)
    repo.git("init", "-q", "-b", "main")
    repo.commit({name: _text(lines) for name, lines in SHAPES.items()})
    cache = ScanCache()
    first = scan(path, "security", cache=cache, workers=1)
    assert first.skipped == []
    cache_file = path.parent / "scan-cache.json"
    cache.save(cache_file)
    again = scan(path, "security", cache=ScanCache.load(cache_file), workers=1)
    assert again.files_analysed == 0
    return first, again, cache_file


def _reasons(result: ScanResult, path: str) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for suppressed in result.suppressed:
        if suppressed.path == path:
            found.setdefault(suppressed.line, set()).add(suppressed.reason)
    return found


def _finding_lines(result: ScanResult, path: str) -> set[int]:
    return {f.line for f in result.findings if f.source == "secrets" and f.path == path}


@pytest.mark.parametrize("path", [p for p in SHAPES if p not in ("app/keys.py", "app/library.py")])
def test_each_false_positive_shape_is_suppressed_with_its_reason(
    scanned: tuple[ScanResult, ScanResult, Path], path: str
) -> None:
    for result in scanned[:2]:  # fresh, and read back from the cache
        reasons, findings = _reasons(result, path), _finding_lines(result, path)
        for number, (line, reason) in enumerate(SHAPES[path], start=1):
            if reason is not None:
                assert reasons.get(number) == {reason}, line
                assert number not in findings, line


def test_real_looking_secrets_are_still_reported(
    scanned: tuple[ScanResult, ScanResult, Path],
) -> None:
    first = scanned[0]
    rules = {
        (o.line, f.rule) for f in first.findings for o in f.occurrences if o.path == "app/keys.py"
    }
    assert {(1, "aws-access-key"), (2, "github-token"), (3, "secret-keyword")} <= rules
    assert {(4, "secret-keyword"), (5, "secret-keyword")} <= rules
    # the entropy detector found the values of lines 2 and 4 too: the same secrets
    assert (4, "base64-high-entropy-string") not in rules
    from terragon_tui.discovery.secret_triage import SAME_VALUE

    assert (8, "json-web-token") in rules and (8, "secret-keyword") not in rules
    assert _reasons(first, "app/keys.py") == {2: {SAME_VALUE}, 4: {SAME_VALUE}, 8: {SAME_VALUE}}


def test_a_credential_in_a_lock_file_is_reported_while_its_hashes_are_not(
    scanned: tuple[ScanResult, ScanResult, Path],
) -> None:
    lock = [
        (o.line, f.rule)
        for f in scanned[0].findings
        for o in f.occurrences
        if o.path == "web/package-lock.json"
    ]
    assert lock == [(3, "basic-auth-credentials")]


def test_what_detect_secrets_own_filters_drop_is_counted_too(
    scanned: tuple[ScanResult, ScanResult, Path],
) -> None:
    reasons = _reasons(scanned[0], "app/library.py")
    for number, (line, expected) in enumerate(SHAPES["app/library.py"], start=1):
        assert any(expected in reason for reason in reasons.get(number, ())), line
    assert _finding_lines(scanned[0], "app/library.py") == set()


def test_suppressions_are_counted_per_reason_in_the_summary(
    scanned: tuple[ScanResult, ScanResult, Path],
) -> None:
    first, again, _ = scanned
    summary = first.summary()["suppressed"]
    assert sum(summary["by_reason"].values()) == len(summary["items"]) == len(first.suppressed)
    assert summary["by_reason"][PLACEHOLDER] >= 18
    assert {
        "source": "secrets",
        "rule": "secret-keyword",
        "path": "app/constants.py",
        "line": 1,
        "reason": KEY_NAME,
    } in summary["items"]
    assert again.summary()["suppressed"] == summary


def test_no_secret_value_is_kept_in_the_cache_or_the_result(
    scanned: tuple[ScanResult, ScanResult, Path],
) -> None:
    first, _, cache_file = scanned
    kept = cache_file.read_text() + json.dumps(first.summary())
    kept += json.dumps([[f.title, f.description, f.symbol, f.data] for f in first.findings])
    values = [AWS_KEY, GITHUB_TOKEN, PASSWORD_WITH_TEST, STRIPE_TEST_KEY, REGISTRY_TOKEN]
    values += ["Zq8wX2v9Lm4pQ7rT", "mock_api_key_8f7a6b", "db_password_here", "nacl_secretbox"]
    for value in values:
        assert value not in kept


def test_the_baseline_file_itself_is_not_a_source_of_findings(git_repo: GitRepo) -> None:
    entry = {"type": "Secret Keyword", "hashed_secret": HEX40, "is_verified": False}
    baseline = {"version": "1.5.0", "results": {"app/a.py": [{**entry, "line_number": 3}]}}
    git_repo.commit({".secrets.baseline": json.dumps(baseline, indent=2) + "\n"})
    result = scan(git_repo.path, "security", workers=1)
    assert [f for f in result.findings if f.source == "secrets"] == []
    assert {s.reason for s in result.suppressed} == {BASELINE_FILE}


def test_hits_audited_as_false_positives_in_the_baseline_are_suppressed(
    git_repo: GitRepo,
) -> None:
    """The baseline is the one `detect-secrets scan` writes; an audit marks its hits."""
    git_repo.commit(
        {
            "app/fixture.py": f'password = "{PASSWORD_WITH_TEST}"\n',
            "app/deploy.py": f'aws_key = "{AWS_KEY}"\n',
            "app/later.py": 'password = "Qm7vL2xZ9pR4tW8k"\n',
        }
    )
    made = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan"],
        cwd=git_repo.path,
        capture_output=True,
        text=True,
        check=True,
    )
    baseline = json.loads(made.stdout)
    audited = {"app/fixture.py": False, "app/deploy.py": True}  # later.py: not audited yet
    for filename, hits in baseline["results"].items():
        for hit in hits:
            if filename in audited:
                hit["is_secret"] = audited[filename]
    git_repo.commit({".secrets.baseline": json.dumps(baseline, indent=2) + "\n"})
    result = scan(git_repo.path, "security", workers=1)
    secrets = {(f.path, f.rule) for f in result.findings if f.source == "secrets"}
    assert ("app/deploy.py", "aws-access-key") in secrets
    assert ("app/later.py", "secret-keyword") in secrets
    assert not any(path == "app/fixture.py" for path, _ in secrets)
    audited_rows = [s for s in result.suppressed if s.reason == AUDITED]
    assert [(s.path, s.line, s.rule) for s in audited_rows] == [
        ("app/fixture.py", 1, "secret-keyword")
    ]
    assert {s.reason for s in result.suppressed} == {AUDITED, BASELINE_FILE}


def test_a_baseline_that_cannot_be_read_is_noted_and_the_scan_goes_on(git_repo: GitRepo) -> None:
    git_repo.commit(
        {".secrets.baseline": "{not json\n", "app/deploy.py": f'aws_key = "{AWS_KEY}"\n'}
    )
    result = scan(git_repo.path, "security", workers=1)
    assert any(f.rule == "aws-access-key" for f in result.findings)
    assert any(note.startswith(".secrets.baseline not applied") for note in result.notes)


def test_a_well_known_default_credential_is_not_a_leak(git_repo) -> None:
    from terragon_tui.discovery import scan
    from terragon_tui.discovery.secret_filters import DEFAULT

    git_repo.commit(
        {
            ".github/workflows/tests.yml": (
                "jobs:\n  test:\n    env:\n      db_password: root\n"
                "      other_password: 'k3Jq9vLx2Rt7'\n"
            )
        }
    )
    result = scan(git_repo.path, "security", workers=1)
    assert [(s.line, s.reason) for s in result.suppressed] == [(4, DEFAULT)]
    kept = [(o.line, f.rule) for f in result.findings for o in f.occurrences]
    assert kept == [(5, "secret-keyword")]


def test_status_words_and_name_password_stand_ins_are_not_secrets(git_repo) -> None:
    from terragon_tui.discovery import scan
    from terragon_tui.discovery.secret_filters import KEY_NAME, STATUS

    git_repo.commit(
        {
            "report.json": '{\n  "secrets_handling": "passed"\n}\n',
            "compose.yml": (
                "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ado_password\n"
                "      other_password: 'k3Jq9vLx2Rt7'\n"
            ),
        }
    )
    result = scan(git_repo.path, "security", workers=1)
    assert {(s.path, s.reason) for s in result.suppressed} >= {
        ("report.json", STATUS),
        ("compose.yml", KEY_NAME),
    }
    kept = [(o.path, o.line) for f in result.findings for o in f.occurrences]
    assert kept == [("compose.yml", 5)]


def test_a_ci_service_password_and_a_tox_reference_are_not_secrets(git_repo) -> None:
    from terragon_tui.discovery import scan
    from terragon_tui.discovery.secret_filters import CI_SERVICE, REFERENCE

    git_repo.commit(
        {
            ".github/workflows/test.yml": (
                "jobs:\n  test:\n    services:\n      db:\n        env:\n"
                "          POSTGRES_PASSWORD: debug_toolbar\n"
                "          api_password: 'Zq8vN2xLp4Rt9w'\n"
            ),
            "tox.ini": "[testenv]\nsetenv =\n    DB_PASSWORD = {env:DB_PASSWORD:debug_toolbar}\n",
        }
    )
    result = scan(git_repo.path, "security", workers=1)
    assert {(s.path, s.reason) for s in result.suppressed} >= {
        (".github/workflows/test.yml", CI_SERVICE),
        ("tox.ini", REFERENCE),
    }
    kept = [(o.path, o.line) for f in result.findings for o in f.occurrences]
    assert kept == [(".github/workflows/test.yml", 7)]  # not a database service's password


def test_a_secret_shown_in_a_docstring_is_documentation(git_repo) -> None:
    from terragon_tui.discovery import scan

    git_repo.commit(
        {
            "urls.py": (
                'class URL:\n    """\n'
                "    A URL with credentials: https://jo:Tr0ub4dor-3xkcd@example.com/\n"
                '    """\n\n'
                'DATABASE = "postgres://app:Zq8vN2xLp4Rt9w@db.internal/app"\n'
            )
        }
    )
    found = {
        o.line: f
        for f in scan(git_repo.path, "security", workers=1).findings
        for o in f.occurrences
    }
    assert found[3].security_severity == 3.0 and found[3].role == "docs"
    assert found[6].security_severity >= 6.0 and found[6].role == "production"


def test_an_entropy_hit_on_a_named_secrets_line_is_that_secret_again(git_repo) -> None:
    from terragon_tui.discovery import scan
    from terragon_tui.discovery.secret_triage import SAME_VALUE

    token = "ghp_" + "Xq7Lm2Vb9Nc4Zr8Tk1Wy6Hd3Pf5Gs0Ja2Ek9Ru"
    git_repo.commit({"settings.py": f'GITHUB_TOKEN = "{token}"\n'})
    result = scan(git_repo.path, "security", workers=1)
    assert [f.rule for f in result.findings if f.source == "secrets"] == ["github-token"]
    assert [(s.rule, s.reason) for s in result.suppressed] == [
        ("base64-high-entropy-string", SAME_VALUE)
    ]
