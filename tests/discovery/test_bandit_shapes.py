"""Harmless shapes of bandit findings, read from the tree: LOW, and saying why."""

from __future__ import annotations

from terragon_tui.discovery import scan

from .conftest import GitRepo

SOURCES = {
    "server.py": (
        "import argparse\nimport os\nfrom http.server import HTTPServer\n\n\n"
        "def serve(handler, host='0.0.0.0', port=8000):\n"  # 6: a parameter's default
        "    return HTTPServer((host, port), handler)\n\n\n"
        "def metrics(handler):\n"
        "    return HTTPServer(('0.0.0.0', 9100), handler)\n\n\n"  # 11: hard-wired
        "def options():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--host', default='0.0.0.0')\n"  # 16: argparse default
        "    return os.getenv('BIND', '0.0.0.0')\n\n\n"  # 17: an environment fallback
        "def anonymise(ip):\n"
        "    if ip == '0.0.0.0':\n"  # 21: compared
        "        return '0.0.0.0'\n"  # 22: returned
        "    return mask(ip if ip else '0.0.0.0')\n"  # 23: a placeholder passed along
    ),
    "fetch.py": (
        "import sys\nfrom urllib.request import Request, urlopen\n\n"
        "URL = f'http://localhost:8000/{sys.argv[1]}/status'\n"
        "with urlopen(Request(URL, headers={})) as answer:\n"  # 5: written out as http
        "    print(answer.status)\n"
        "with urlopen(sys.argv[2]) as other:\n"  # 7: whatever the caller passes
        "    print(other.status)\n"
    ),
    "tags.py": (
        "from django.utils.safestring import mark_safe\n\n\n"
        "def arrow():\n    return mark_safe('<b>&rarr;</b>')\n\n\n"  # 5: constant text
        "def label(text):\n    return mark_safe(text)\n"  # 9: computed
    ),
}


def severities(git_repo: GitRepo, rule: str) -> dict[tuple[str, int], str]:
    git_repo.commit(SOURCES)
    found = scan(git_repo.path, "security", workers=1).findings
    return {
        (o.path, o.line): (o.data.get("shape") or "as bandit says")
        for f in found
        if f.rule == rule
        for o in f.occurrences
    }


def test_an_all_interfaces_address_that_is_only_a_default_or_a_value_is_low(git_repo: GitRepo):
    from terragon_tui.discovery.bandit_shapes import CONFIGURABLE, NOT_LISTENED_ON

    assert severities(git_repo, "B104") == {
        ("server.py", 6): CONFIGURABLE,
        ("server.py", 11): "as bandit says",  # HTTPServer(('0.0.0.0', 9100)): it listens
        ("server.py", 16): CONFIGURABLE,
        ("server.py", 17): CONFIGURABLE,
        ("server.py", 21): NOT_LISTENED_ON,
        ("server.py", 22): NOT_LISTENED_ON,
        ("server.py", 23): NOT_LISTENED_ON,
    }


def test_a_url_written_out_as_http_is_low_and_one_from_outside_is_not(git_repo: GitRepo):
    from terragon_tui.discovery.bandit_shapes import FIXED_SCHEME

    assert severities(git_repo, "B310") == {
        ("fetch.py", 5): FIXED_SCHEME,
        ("fetch.py", 7): "as bandit says",
    }


def test_mark_safe_on_constant_text_is_low(git_repo: GitRepo):
    from terragon_tui.discovery.bandit_shapes import LITERAL_MARKUP

    shapes = severities(git_repo, "B308")
    assert shapes == {("tags.py", 5): LITERAL_MARKUP}  # B703 stands for the computed one
    found = scan(git_repo.path, "security", workers=1).findings
    low = next(f for f in found if f.rule == "B308")
    assert low.security_severity == 3.0 and low.data["severity_as_found"] == 6.0
    assert LITERAL_MARKUP in low.description


CRYPTO_USER = (
    "from Crypto.Cipher import AES\n\n\n"
    "def seal(key, data):\n"
    "    return AES.new(key, AES.MODE_GCM).encrypt_and_digest(data)\n"
)


def _pycrypto_items(git_repo: GitRepo, manifests: dict[str, str]) -> list:
    git_repo.commit({"libs/vault/vault/seal.py": CRYPTO_USER, **manifests})
    found = scan(git_repo.path, "security", workers=1).findings
    return [f for f in found if f.rule == "B413"]


def test_crypto_from_a_declared_pycryptodome_is_low(git_repo: GitRepo):
    from terragon_tui.discovery.bandit_shapes import MAINTAINED_CRYPTO

    (item,) = _pycrypto_items(
        git_repo,
        {
            "libs/vault/pyproject.toml": (
                '[project]\nname = "vault"\ndependencies = ["pycryptodome>=3.23"]\n'
            ),
            "libs/a/uv.lock": '[[package]]\nname = "pycryptodome"\n',  # named after manifests
        },
    )
    assert item.security_severity == 3.0 and item.data["severity_as_found"] == 9.0
    assert MAINTAINED_CRYPTO in item.description
    assert "libs/vault/pyproject.toml names it" in item.description
    assert (item.impact, item.business_value, item.time_criticality) == (4.0, 3.0, 3.0)


def test_crypto_is_pycrypto_while_a_manifest_names_it_or_none_says(git_repo: GitRepo):
    (both,) = _pycrypto_items(
        git_repo,
        {
            "pyproject.toml": '[project]\nname = "a"\ndependencies = ["pycryptodome"]\n',
            "requirements/legacy.txt": "pycrypto==2.6.1\n",
        },
    )
    assert both.security_severity == 9.0 and "shape" not in both.data
    git_repo.commit({"pyproject.toml": '[project]\nname = "a"\ndependencies = ["pycryptodomex"]\n'})
    git_repo.git("rm", "-q", "requirements/legacy.txt")
    git_repo.git("commit", "-qm", "drop")
    (bare,) = [f for f in scan(git_repo.path, "security", workers=1).findings if f.rule == "B413"]
    assert bare.security_severity == 9.0  # pycryptodomex installs Cryptodome, not Crypto
