"""deptry's findings: imports against declarations, with the repository's [tool.deptry]."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from terragon_tui.discovery import ScanCache, ScanConfig, dependencies, deptry_run, scan
from terragon_tui.discovery.dependency_usage import findings
from terragon_tui.discovery.finding import Finding
from terragon_tui.discovery.outline import outline
from terragon_tui.discovery.repo_sources import RepoContext

from .conftest import GitRepo

#: rich and pyyaml are installed where the tests run (terragon needs them); the made-up
#: names are installed nowhere.
PYPROJECT = """\
[project]
name = "shop"
version = "1.0"
dependencies = [
    "rich>=13",
    "neverused-lib>=1",
]

[project.optional-dependencies]
test = ["pytest>=8"]
"""


def _context(
    repo: GitRepo, config: ScanConfig | None = None, cache: ScanCache | None = None
) -> RepoContext:
    config = config or ScanConfig()
    paths = tuple(repo.git("ls-files").split())
    cache = cache if cache is not None else ScanCache()  # an empty cache is falsy
    # each Python file's outline, as the scan's per-file phase gives it (how imports run)
    results = {
        path: {"outline": outline(ast.parse((repo.path / path).read_text()))}
        for path in paths
        if path.endswith(".py")
    }
    return RepoContext(
        repo.path, "full", paths, config, cache, config.path_roles(), results=results
    )


def _by_rule(found: list[Finding]) -> dict[str, set[tuple[str | None, str | None]]]:
    rules: dict[str, set[tuple[str | None, str | None]]] = {}
    for f in found:
        rules.setdefault(f.rule, set()).add((f.path, f.symbol))
    return rules


@pytest.fixture
def shop(git_repo: GitRepo) -> GitRepo:
    """Declares rich and neverused-lib (never imported); imports yaml and undeclared_lib
    (declared nowhere) and, in production code, pytest (declared for tests only)."""
    git_repo.commit(
        {
            "pyproject.toml": PYPROJECT,
            "shop/__init__.py": "import rich\n",
            "shop/orders.py": "import yaml\nimport undeclared_lib.client\n",
            "shop/checks.py": "import pytest\n\n\ndef check():\n    pytest.fail('x')\n",
            "shop/tests/test_orders.py": "import pytest\nimport undeclared_lib\n",
        }
    )
    return git_repo


def test_unused_missing_and_misplaced_dependencies(shop: GitRepo) -> None:
    context = _context(shop)
    found = findings(context)
    assert context.unfinished == {}
    assert _by_rule(found) == {
        "DEP002": {("pyproject.toml", "neverused-lib")},
        # yaml is installed here as another package's dependency (deptry's DEP003), and
        # undeclared_lib nowhere (DEP001): both are one rule, whatever terragon has installed
        "DEP001": {
            ("shop/orders.py", "yaml"),
            ("shop/orders.py", "undeclared_lib"),
            ("shop/tests/test_orders.py", "undeclared_lib"),
        },
        # the test extra counts as development dependencies; the test importing pytest is
        # where a dev dependency belongs, shop/checks.py is not
        "DEP004": {("shop/checks.py", "pytest")},
    }
    unused = next(f for f in found if f.rule == "DEP002")
    assert unused.line == 6 and unused.category == "dependencies"
    assert unused.data["module_guessed"] is True  # not installed: deptry guessed its module
    codes = {f.symbol: f.data["deptry_code"] for f in found if f.path == "shop/orders.py"}
    assert codes == {"yaml": "DEP003", "undeclared_lib": "DEP001"}
    production, in_tests = (
        next(f for f in found if f.symbol == "undeclared_lib" and f.path == path)
        for path in ("shop/orders.py", "shop/tests/test_orders.py")
    )
    assert production.line == 2
    assert in_tests.impact < production.impact and in_tests.confidence < production.confidence


def test_the_repositorys_tool_deptry_is_honoured(shop: GitRepo) -> None:
    shop.commit(
        {
            "pyproject.toml": PYPROJECT
            + '\n[tool.deptry]\nignore = ["DEP004"]\nextend_exclude = ["shop/tests"]\n'
            '\n[tool.deptry.per_rule_ignores]\nDEP002 = ["neverused-lib"]\n'
            # which of missing and transitive a module is depends on what is installed where
            # deptry runs: an ignore under either code holds for both
            'DEP001 = ["yaml"]\nDEP003 = ["undeclared_lib"]\n',
            "shop/legacy.py": "import undeclared_too  # deptry: ignore\nimport still_missing\n",
            "shop/tests/test_legacy.py": "import excluded_missing\n",
        }
    )
    found = findings(_context(shop))
    assert _by_rule(found) == {"DEP001": {("shop/legacy.py", "still_missing")}}


def test_a_dev_extra_named_by_the_repository_is_not_overridden(shop: GitRepo) -> None:
    # the repository says which extras are for development: none, so pytest is a runtime
    # dependency and shop/checks.py may import it
    shop.commit(
        {"pyproject.toml": PYPROJECT + "\n[tool.deptry]\noptional_dependencies_dev_groups = []\n"}
    )
    found = findings(_context(shop))
    assert "DEP004" not in _by_rule(found)
    assert ("pyproject.toml", "pytest") not in _by_rule(found)["DEP002"]  # imported by checks


def test_optional_nested_and_sibling_imports_are_not_findings(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "pyproject.toml": PYPROJECT,
            "shop/__init__.py": (
                "import rich\ntry:\n    import ujson as json\nexcept ImportError:\n"
                "    import json\nfrom contextlib import suppress\n"
                "with suppress(ModuleNotFoundError):\n    import orjson\n"
            ),
            # an example that is a project of its own declares its own dependencies
            "examples/demo/pyproject.toml": '[project]\nname = "demo"\ndependencies = ["PIL"]\n',
            "examples/demo/demo/cli.py": "from demo.core import run\nfrom PIL import Image\n",
            "examples/demo/demo/core.py": "def run():\n    pass\n",
            # a script next to the helper it imports, and `src` imported from the root
            "scripts/release.py": "import helper\nimport src.tool\n",
            "scripts/helper.py": "X = 1\n",
            "src/tool/__init__.py": "",
        }
    )
    found = findings(_context(git_repo))
    assert _by_rule(found) == {"DEP002": {("pyproject.toml", "neverused-lib")}}


def test_imports_for_type_checkers_are_none_and_lazy_ones_are_minor(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "pyproject.toml": PYPROJECT,
            "shop/__init__.py": "import rich\nimport neverused_lib\nimport requests\n",
            # an optional backend: imported for type checkers, and lazily where it is used
            "shop/events.py": (
                "import typing\nif typing.TYPE_CHECKING:\n    import trio\n\n\n"
                "def event(running_trio):\n    if running_trio:\n        import trio\n\n"
                "        return trio.Event()\n    return None\n"
            ),
        }
    )
    found = {f.symbol: f for f in findings(_context(git_repo)) if f.rule == "DEP001"}
    assert set(found) == {"requests", "trio"}
    assert [f.line for f in found["trio"].occurrences or [found["trio"]]] == [8]
    # the lazy import breaks only the code path that needs it, not `import shop`
    assert found["trio"].impact < found["requests"].impact
    assert found["trio"].business_value < found["requests"].business_value


def test_a_requirements_project_with_packages_named_otherwise(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "requirements.txt": "Django==5.0\npython-fakedateutil==2.9\ndjango-fakeapp==1\n"
            "fakedriver==1\n",
            "requirements/test.txt": "fakepytestplugin==1\n",
            "site/settings.py": 'INSTALLED_APPS = ["django.contrib.admin", "fakeapp"]\n',
            "site/views.py": "import django\nimport fakedateutil.parser\nimport fakepytestplugin\n",
        }
    )
    context = _context(git_repo)
    found = findings(context)
    # python-fakedateutil provides fakedateutil, fakeapp is named in the settings, and
    # fakepytestplugin, from the test requirements, is a dev dependency
    assert _by_rule(found) == {
        "DEP002": {("requirements.txt", "fakedriver")},
        "DEP004": {("site/views.py", "fakepytestplugin")},
    }
    assert next(f for f in found if f.rule == "DEP002").line == 4
    assert any("django-fakeapp: named in site/settings.py:1" in n for n in context.notes)
    assert any("python-fakedateutil: provides fakedateutil" in n for n in context.notes)


def test_uses_deptry_does_not_see(git_repo: GitRepo) -> None:
    code = {
        # deptry skips the else of `if TYPE_CHECKING:`; the file's outline does not
        "shop/forms.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\n"
        "else:\n    import fakeparser\n",
        "shop/__init__.py": "import rich\n",
        # a test that mocks a package by name does not make it a dependency in use
        "shop/tests/test_llm.py": 'from unittest import mock\nmock.patch("fakellm.Client")\n',
    }
    git_repo.commit(
        {
            "pyproject.toml": '[project]\nname = "Shop"\nversion = "1"\n'
            'dependencies = ["rich", "fakeparser", "fakellm"]\n'
            '[project.optional-dependencies]\nall = ["shop[extra]"]\nextra = ["rich"]\n',
            **code,
        }
    )
    context = _context(git_repo)
    context.results = {p: {"outline": outline(ast.parse(text))} for p, text in code.items()}
    found = findings(context)
    # the project's own name in its `all` extra is no dependency either
    assert _by_rule(found) == {"DEP002": {("pyproject.toml", "fakellm")}}
    assert any("fakeparser: fakeparser imported in shop/forms.py" in n for n in context.notes)


def test_a_src_layout_imports_its_own_package(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "pyproject.toml": '[project]\nname = "lib"\nversion = "1"\ndependencies = ["rich"]\n',
            "src/lib/__init__.py": "from lib.core import main\nimport rich\n",
            "src/lib/core.py": "def main():\n    pass\n",
        }
    )
    assert findings(_context(git_repo)) == []


def test_standard_library_modules_declared(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "requirements.txt": "rich\nasyncio==3.4.3\n",
            "app.py": "import asyncio\nimport rich\n",
        }
    )
    found = findings(_context(git_repo))
    assert [(f.rule, f.symbol, f.line) for f in found] == [("DEP005", "asyncio", 2)]


def test_no_declarations_no_deptry(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.commit({"app.py": "import rich\n", "README.md": "# app\n"})

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("deptry ran")

    monkeypatch.setattr(deptry_run, "run", never)
    context = _context(git_repo)
    assert findings(context) == [] and context.unfinished == {}


def test_declarations_only_in_setup_py_give_up(git_repo: GitRepo) -> None:
    git_repo.commit(
        {"app.py": "import rich\n", "setup.py": "from setuptools import setup\nsetup()\n"}
    )
    context = _context(git_repo)
    assert findings(context) == []
    assert context.unfinished == {
        "dependencies": "deptry does not read setup.py, which declares them"
    }


def test_a_pyproject_declaring_nothing_gives_nothing(git_repo: GitRepo) -> None:
    git_repo.commit({"pyproject.toml": "[tool.black]\nline-length = 90\n", "app.py": "import x\n"})
    context = _context(git_repo)
    assert findings(context) == [] and context.unfinished == {}


def test_declarations_deptry_cannot_read_give_up(git_repo: GitRepo) -> None:
    git_repo.commit({"requirements.txt": "rich==13\nthis is not=valid\n", "app.py": "import x\n"})
    context = _context(git_repo)
    found = dependencies.findings(context)
    # our own check still says which line; deptry's rules are not covered this time
    assert [f.rule for f in found] == ["invalid-requirement"]
    assert "deptry could not read the repository" in context.unfinished["dependencies"]
    assert "InvalidRequirement" in context.unfinished["dependencies"]


def test_a_manifest_linked_out_of_the_repository_is_not_read(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password = hunter2\n")
    (git_repo.path / "requirements.txt").symlink_to(secret)
    git_repo.commit({"app.py": "import rich\n"})
    context = _context(git_repo)
    assert findings(context) == []
    assert context.unfinished == {
        "dependencies": "requirements.txt is a symlink out of the repository"
    }


def test_an_unchanged_rescan_does_not_run_deptry(
    shop: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ScanCache()
    first = findings(_context(shop, cache=cache))
    runs = []
    real = deptry_run.run

    def counted(*args: object, **kwargs: object) -> object:
        runs.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(deptry_run, "run", counted)
    again = findings(_context(shop, cache=cache))
    assert runs == [] and _by_rule(again) == _by_rule(first)
    shop.commit({"shop/orders.py": "import yaml\n"})
    changed = findings(_context(shop, cache=cache))
    assert len(runs) == 1
    assert ("shop/orders.py", "undeclared_lib") not in _by_rule(changed)["DEP001"]


def test_the_cache_key_is_the_same_in_every_process(shop: GitRepo) -> None:
    # a set's order changes from one interpreter to the next: the key must not
    code = (
        "import sys; from pathlib import Path\n"
        "from terragon_tui.discovery import ScanCache, ScanConfig\n"
        "from terragon_tui.discovery.dependency_usage import inputs_key\n"
        "from terragon_tui.discovery.repo_sources import RepoContext\n"
        "roles = ScanConfig().path_roles().with_scripts({'a.py', 'b.py', 'c.py', 'd.py'})\n"
        "context = RepoContext(Path(sys.argv[1]), 'full', ('a.py',), ScanConfig(),"
        " ScanCache(), roles)\n"
        "print(inputs_key(context, ['a.py'], '1.0', ['.']))\n"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code, str(shop.path)],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(4)
    }
    assert len(keys) == 1


def test_deptry_over_its_budget_is_stopped(shop: GitRepo) -> None:
    context = _context(shop, ScanConfig(dependencies_budget=0.01))
    assert findings(context) == []
    assert context.unfinished["dependencies"] == "deptry took longer than its 0.01 s budget"
    assert context.cache.repo == {}  # nothing remembered: the next scan tries again


def test_deptry_neither_imports_nor_writes_into_the_repository(git_repo: GitRepo) -> None:
    # were the repository on deptry's import path, its own `deptry` and `click` would run
    side_effect = "open(__file__ + '.ran', 'w').close()\n"
    git_repo.commit(
        {
            "pyproject.toml": PYPROJECT,
            "deptry/__init__.py": side_effect,
            "deptry/__main__.py": side_effect,
            "click/__init__.py": side_effect,
            "shop/__init__.py": "import rich\nimport click\n",
        }
    )
    found = findings(_context(git_repo))
    assert ("pyproject.toml", "neverused-lib") in _by_rule(found)["DEP002"]
    status = git_repo.git("status", "--porcelain", "--ignored", "--untracked-files=all")
    assert status == ""


def test_a_full_scan_groups_them_and_a_spent_budget_leaves_them(shop: GitRepo) -> None:
    shop.commit(
        {
            "shop/more.py": "import undeclared_lib\nimport another_undeclared\n",
            # a top-level script is the project's tooling: pytest is where it belongs there
            "bump.py": "import pytest\n\nif __name__ == '__main__':\n    pytest.main()\n",
        }
    )
    result = scan(shop.path, "full", workers=1, cache=ScanCache())
    items = {(f.rule, f.role): f for f in result.findings if f.source == "dependencies"}
    missing = items[("DEP001", "production")]
    assert missing.title == (
        "3 packages are imported but not declared: undeclared_lib, another_undeclared, yaml"
    )
    assert {(o.path, o.symbol) for o in missing.occurrences} == {
        ("shop/orders.py", "yaml"),
        ("shop/orders.py", "undeclared_lib"),
        ("shop/more.py", "undeclared_lib"),
        ("shop/more.py", "another_undeclared"),
    }
    assert items[("DEP001", "test")].occurrences[0].path == "shop/tests/test_orders.py"
    assert [o.path for o in items[("DEP004", "production")].occurrences] == ["shop/checks.py"]
    assert ("DEP004", "tooling") not in items
    assert items[("DEP002", "production")].title.startswith("neverused-lib is declared in")
    assert "dependencies" in result.sources and result.timings["dependencies"] > 0

    spent = scan(shop.path, "full", workers=1, config=ScanConfig(dependencies_budget=0.01))
    assert "dependencies" not in spent.sources
    assert any("deptry took longer" in note for note in spent.notes)


def test_a_missing_deptry_gives_up(shop: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deptry_run, "deptry_version", lambda: "")
    context = _context(shop)
    assert findings(context) == []
    assert context.unfinished == {"dependencies": "deptry is not installed"}
