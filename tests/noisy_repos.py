"""A generated application with every kind of noise met on real repositories, and the real
work hidden among it: the repository a ranked backlog must get right.

Noise: about 600 bandit hits (random for non-cryptographic work in 40 modules, passwords,
random and subprocess in 40 test files, an example that shells out), secrets that are not
(key-name values, placeholders, a Kubernetes secretName, README and .env.example examples,
a compose and a CI service password, pinned pre-commit revisions, lock-file hashes, one in a
docstring), md5 cache keys, an all-interfaces default, vendored and generated code, a root
script that shells out, a dev requirements file. Real work: a hot complex core module, a
shell command built from input, pickle from the network, a real-looking token, a TODO.
History: two people and a bot, the last commit 250 days ago.
"""

from __future__ import annotations

import time
from pathlib import Path

try:
    from .generators import PYPROJECT, git, write
except ImportError:  # run as a script
    from generators import PYPROJECT, git, write  # type: ignore[no-redef]

BOB = ("Bob Example", "bob@example.com")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
#: The real-looking secret among the noise (random, so no scanner's example list has it).
TOKEN = "ghp_" + "Xq7Lm2Vb9Nc4Zr8Tk1Wy6Hd3Pf5Gs0Ja2Ek9Ru"

RANDOMISH = '''"""Feature {n}: picks sample rows for the dashboard."""

import random


def sample_{n}(rows):
    picked = [random.choice(rows) for _ in range(3)]
    random.shuffle(picked)
    first = random.random()
    second = random.randint(0, 9)
    third = random.uniform(0, 1)
    fourth = random.choice(rows)
    fifth = random.sample(rows, 1)
    sixth = random.randrange(10)
    seventh = random.random() + random.random()
    return picked, first, second, third, fourth, fifth, sixth, seventh
'''

TEST = """import random
import subprocess


def test_login_{n}(client):
    client.login(username="alice", password="password")
    assert random.random() < 2
    assert subprocess.run(["true"]).returncode == 0
"""


def core(version: int) -> str:
    """The hot, complex core module; each version adds a branch to its dispatcher."""
    branches = "".join(
        f"    elif kind == 'k{k}':\n        total += value * {k} if value > {k} else -{k}\n"
        for k in range(18 + version)
    )
    return (
        '"""The order pipeline: where every feature passes."""\n\n\n'
        "def process(kind, value, total=0):\n"
        "    if kind == 'start':\n        total = 0\n"
        f"{branches}"
        "    else:\n        raise ValueError(kind)\n"
        "    return total\n\n\n"
        "def route(order):\n"
        + "".join(f"    if order.get('f{k}'):\n        return {k}\n" for k in range(14))
        + "    return None\n"
    )


FILES: dict[str, str] = {
    "pyproject.toml": PYPROJECT.format(name="shopapp")
    + '\n[project.scripts]\nshop = "shopapp.cli:main"\n',
    "requirements.txt": "-e .\nrequests==2.31.0\n",
    "requirements-dev.txt": "pytest\nruff\nmypy\n",
    "LICENSE": "MIT License\n",
    "SECURITY.md": "Mail security@example.com.\n",
    "CONTRIBUTING.md": "Run the tests.\n",
    "README.md": "# Shop\n\nConnect with `postgres://user:password@localhost/shop`.\n",
    ".env.example": "GITHUB_TOKEN=ghp_your_github_token_here\nAPI_KEY=changeme\n",
    "docker-compose.yml": "services:\n  db:\n    environment:\n"
    "      POSTGRES_PASSWORD: shop_password\n",
    "deploy/secret.yaml": "env:\n  - name: API_TOKEN\n    valueFrom:\n      secretKeyRef:\n"
    "        name: shop-secrets\n        key: token\n",
    ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
    "    rev: 3f1a6b2c9d8e7f60a5b4c3d2e1f0a9b8c7d6e5f4\n",
    "web/package-lock.json": '{\n  "packages": {\n    "node_modules/left-pad": {\n'
    '      "integrity": "sha512-Ww2oi6ZhdVxO+ZAf5mTfCh3ohqfNaQ8o4nEwUzkbh3Hq5JPSTwJpbd+'
    'NHm4UPmcgqjdVlmRgo/X5IB6w=="\n'
    "    }\n  }\n}\n",
    ".github/workflows/test.yml": "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
    "    services:\n      db:\n        image: postgres\n        env:\n"
    "          POSTGRES_PASSWORD: postgres\n    steps:\n      - run: pytest\n",
    "shopapp/__init__.py": '"""The shop."""\n',
    "shopapp/cli.py": "from shopapp import core\n\n\ndef main():\n    return core.route({})\n",
    "shopapp/constants.py": 'API_KEY = "api_key"\nNACL_SECRETBOX = "nacl_secretbox"\n',
    "shopapp/settings.py": f'GITHUB_TOKEN = "{TOKEN}"\n',
    "shopapp/urls.py": 'class Link:\n    """\n'
    "    A link with credentials: https://jo:Tr0ub4dor-3xkcd@example.com/\n"
    '    """\n',
    "shopapp/cache.py": "import hashlib\n\n\ndef cache_key(url):\n"
    "    return hashlib.md5(url.encode()).hexdigest()\n",
    "shopapp/server.py": "from http.server import HTTPServer\n\n\n"
    "def serve(handler, host='0.0.0.0', port=8000):\n"
    "    return HTTPServer((host, port), handler)\n",
    "shopapp/shell.py": "import subprocess\n\n\ndef export(name):\n"
    "    # TODO: quote the name before it reaches the shell\n"
    "    return subprocess.call('tar czf ' + name + '.tgz data/', shell=True)\n",
    "shopapp/storage.py": "import pickle\nimport urllib.request\n\n\ndef fetch(url):\n"
    "    return pickle.loads(urllib.request.urlopen(url).read())\n",
    "shopapp/migrations/__init__.py": "",
    "shopapp/migrations/0001_initial.py": "# Generated by Django 4.2 on 2025-01-01\n"
    "import subprocess\n\nsubprocess.call('true', shell=True)\n",
    "vendor/leftpad.py": "import subprocess\n\n\ndef pad(s):\n"
    "    return subprocess.call('echo ' + s, shell=True)\n",
    "examples/demo.py": "import random\nimport subprocess\n\n"
    "subprocess.call('echo ' + str(random.random()), shell=True)\n",
    "validate_release.py": "import subprocess\n\n\ndef check(cmd):\n"
    "    return subprocess.call(cmd, shell=True)\n\n\n"
    "if __name__ == '__main__':\n    check('make dist')\n",
    "docs/guide.md": "Log in with `admin:Sup3rS3cret!` on the demo site.\n",
    "docs/conf.py": "project = 'shop'\n",
    "tests/__init__.py": "",
    **{f"shopapp/feature_{n:02}.py": RANDOMISH.format(n=n) for n in range(40)},
    **{f"tests/test_feature_{n:02}.py": TEST.format(n=n) for n in range(40)},
}


def noisy_application(root: Path) -> Path:
    """Write and commit the application; its core changes 12 times, its last commit is
    250 days old (older than a 180-day window counted back from today)."""
    root.mkdir(parents=True, exist_ok=True)
    write(root, {**FILES, "shopapp/core.py": core(0)})
    start = int(time.time()) - 320 * 86400
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first", date=start)
    for version in range(1, 13):
        write(root, {"shopapp/core.py": core(version)})
        who = BOB if version % 3 else None
        git(root, "add", "-A")
        git(
            root,
            "commit",
            "-q",
            "-m",
            f"core {version}",
            date=start + version * 5 * 86400,
            **({"author": who} if who else {}),
        )
    write(root, {"requirements.txt": "-e .\nrequests==2.32.0\n"})
    git(root, "add", "-A", author=BOT)
    git(root, "commit", "-q", "-m", "bump requests", author=BOT, date=start + 70 * 86400)
    return root
