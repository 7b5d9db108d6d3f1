"""Broken internal imports: what the repository's own package imports and does not have."""

from __future__ import annotations

import pytest

from terragon_tui.discovery import KINDS, ScanCache, scan
from terragon_tui.discovery.finding import Finding

from .conftest import GitRepo

#: The young package of the issue: its __init__ imports six of its own modules that are not
#: there (and one that is), so `import shopkit` fails.
YOUNG = {
    "pyproject.toml": '[project]\nname = "shopkit"\nversion = "0.1"\n',
    "src/shopkit/__init__.py": '"""Shop kit."""\n\n__version__ = "0.1.0"\n\n'
    "from .core import Engine, Order\n"
    "from .pricing import price\n"
    "from .models import Product, Customer\n"
    "from .storage import Store\n"
    "from .api import create_app\n"
    "from .cli import main\n"
    "from .config import Settings\n",
    "src/shopkit/config.py": "class Settings:\n    debug = False\n",
    "tests/test_shop.py": "from shopkit.config import Settings\n\n\n"
    "def test_settings():\n    assert Settings.debug is False\n",
}


def _imports(repo: GitRepo, kind: str = "architecture") -> list[Finding]:
    result = scan(repo.path, kind, workers=1, cache=ScanCache())
    return [f for f in result.findings if f.source == "imports"]


def test_the_package_whose_init_imports_six_missing_modules_is_one_item(
    git_repo: GitRepo,
) -> None:
    git_repo.commit(YOUNG)
    [item] = _imports(git_repo, "full")
    assert item.path == "src/shopkit/__init__.py" and item.rule == "broken-import"
    missing = [o.symbol for o in item.occurrences]
    assert missing == [
        "shopkit.core",
        "shopkit.pricing",
        "shopkit.models",
        "shopkit.storage",
        "shopkit.api",
        "shopkit.cli",
    ]
    assert [o.line for o in item.occurrences] == [5, 6, 7, 8, 9, 10]
    assert item.title.startswith("6 broken imports in src/shopkit/__init__.py: shopkit.core")
    assert (
        "`import shopkit` fails" in item.description and "line 5: shopkit.core" in item.description
    )
    assert item.security_severity == 9.0 and item.role == "production"
    assert item.category == "technical-debt" and not item.is_security


def test_a_full_and_an_architecture_scan_cover_imports(git_repo: GitRepo) -> None:
    git_repo.commit(YOUNG)
    assert "imports" in KINDS["full"] and "imports" in KINDS["architecture"]
    assert "imports" not in KINDS["security"]
    result = scan(git_repo.path, "full", workers=1)
    assert "imports" in result.sources and "imports" in result.timings
    assert result.occurrences["imports"] == 6
    security = scan(git_repo.path, "security", workers=1)
    assert not [f for f in security.findings if f.source == "imports"]


def test_a_rescan_reads_the_imports_from_the_cache(git_repo: GitRepo) -> None:
    git_repo.commit(YOUNG)
    cache = ScanCache()
    first = scan(git_repo.path, "architecture", workers=1, cache=cache)
    again = scan(git_repo.path, "architecture", workers=1, cache=cache)
    assert again.files_analysed == 0 and again.files_cached == first.files_total
    assert [f.fingerprint for f in again.findings if f.source == "imports"] == [
        f.fingerprint for f in first.findings if f.source == "imports"
    ]
    git_repo.commit({"src/shopkit/__init__.py": "from .config import Settings\n"})
    assert not [f for f in scan(git_repo.path, "architecture", workers=1, cache=cache).findings
                if f.source == "imports"]  # fmt: skip


#: A package that imports itself in every way that works.
CORRECT = {
    "src/kit/__init__.py": '"""Re-exports."""\n'
    "from .engine import Engine\n"
    "from . import helpers\n"
    "from .shim import *\n"
    "import kit.helpers as h\n"
    "__all__ = ['Engine', 'helpers', 'Public']\n",
    "src/kit/engine.py": "class Engine:\n    pass\n\n\ndef run():\n    return Engine()\n",
    "src/kit/helpers.py": "from kit import Engine\nfrom kit.engine import run\n"
    "from . import engine\nfrom .engine import Engine as E\n\nVALUE, (A, B) = 1, (2, 3)\n",
    # __all__ decides what a star import takes; a sibling's star without __all__ takes the
    # public names, and what it imported itself
    "src/kit/_impl.py": "__all__ = ['Public', '_Shared']\nPublic = 1\n_Shared = 2\n_hidden = 3\n",
    "src/kit/shim.py": "from ._impl import *\n",
    "src/kit/consts.py": "LIMIT = 10\nfrom os.path import join\n",
    "src/kit/more.py": "from .consts import *\n",
    "src/kit/use.py": "from .shim import Public, _Shared\nfrom .more import LIMIT, join\n"
    "from kit import Public as P\n",
    # relative imports up the tree; a nested directory without __init__.py
    "src/kit/sub/__init__.py": "",
    "src/kit/sub/deep.py": "from .. import helpers\nfrom ..engine import run\n"
    "from kit.data.tables import TABLE\n",
    "src/kit/data/tables.py": "TABLE = {}\n",
    # guarded imports are optional by design
    "src/kit/fast.py": "import sys\nfrom typing import TYPE_CHECKING\n\n"
    "try:\n    from ._speedups import fast\nexcept ImportError:\n    from ._slow import fast\n"
    "if TYPE_CHECKING:\n    from .typing_only import Alias\n"
    "if sys.version_info >= (3, 12):\n    from ._new import thing\n"
    "else:\n    from ._old import thing\n"
    "from contextlib import suppress\n\nwith suppress(ImportError):\n    import kit.plugins\n",
    # names made on demand: cannot tell
    "src/kit/lazy/__init__.py": "def __getattr__(name):\n    return name\n",
    "src/kit/lazy_user.py": "from kit.lazy import anything\nfrom .lazy import other\n",
    # a module the build writes (git-ignored), a compiled one, protoc's output
    ".gitignore": "src/kit/_version.py\n",
    "src/kit/about.py": "from ._version import version\nfrom ._native import crunch\n"
    "from .proto.service_pb2 import Request\n",
    "src/kit/_native.pyx": "def crunch():\n    return 1\n",
    "src/kit/proto/__init__.py": "",
    # a top-level namespace package under src/ others may add to
    "src/org/tools/__init__.py": "TOOL = 1\n",
    "src/kit/ns_user.py": "from org.tools import TOOL\nfrom org import elsewhere\n",
    # a top-level package at the root (no src/ layout), and its tests
    "app/__init__.py": "",
    "app/models.py": "class User:\n    pass\n",
    "app/views.py": "from app.models import User\nfrom app import models\n",
    "tests/test_kit.py": "import kit\nfrom kit import Engine\nfrom kit.engine import run\n",
    "tests/helpers.py": "HELP = 1\n",
    "tests/test_local.py": "from helpers import HELP\n",
    # third-party and standard library imports are no business of this source
    "src/kit/web.py": "import requests\nfrom flask import Flask\nfrom os import path\n"
    "from json import *\n",
    "src/kit/deps.py": "from .web import *\nfrom .web import anything_flask_exports\n",
    # names bound every way a module binds them
    "src/kit/bound.py": "import os.path\nfor LOOP in range(2):\n    pass\n"
    "with open(os.devnull) as HANDLE:\n    pass\n"
    "try:\n    pass\nexcept Exception as CAUGHT:\n    pass\n"
    "def setter():\n    global LATER\n    LATER = 1\n"
    "if (WALRUS := 1):\n    pass\nclass Klass:\n    pass\n",
    "src/kit/bound_user.py": "from .bound import os, LOOP, HANDLE, CAUGHT, LATER, WALRUS, Klass\n"
    "from .bound import __name__ as NAME, __file__\n",
}


def test_imports_that_work_are_not_reported(git_repo: GitRepo) -> None:
    git_repo.commit(CORRECT)
    assert _imports(git_repo, "full") == []


def test_a_missing_name_a_deferred_import_and_an_absolute_submodule(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "src/kit/__init__.py": "from .engine import Engine\n",
            "src/kit/engine.py": "class Engine:\n    pass\n",
            "src/kit/api.py": "from .engine import Engine, Motor\nimport kit.gone.deeper\n"
            "from kit.engine import Engine as E\n\n\ndef later():\n"
            "    from kit.workers import pool\n    return pool\n",
            "src/kit/script.py": "if __name__ == '__main__':\n    from kit.cli import main\n",
        }
    )
    found = {f.path: f for f in _imports(git_repo)}
    api = found["src/kit/api.py"]
    assert [o.symbol for o in api.occurrences] == ["kit.engine.Motor", "kit.gone", "kit.workers"]
    assert api.security_severity == 9.0  # the module-level ones decide
    motor = api.occurrences[0].data
    assert motor["names"] == ["Motor"] and motor["imports"] == "kit.engine"
    deferred = api.occurrences[2].data
    assert deferred["deferred"] is True
    script = found["src/kit/script.py"]
    assert script.security_severity == 6.0  # only when run as a script
    assert "fails when it runs" in script.description


def test_a_missing_submodule_of_a_package_with_a_missing_name(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import nothing_here\nfrom . import also_missing\n",
        }
    )
    [item] = _imports(git_repo)
    assert [o.symbol for o in item.occurrences] == ["pkg.nothing_here", "pkg.also_missing"]


def test_tests_examples_and_scripts_that_import_what_is_missing_rank_lower(
    git_repo: GitRepo,
) -> None:
    git_repo.commit(
        {
            "src/kit/__init__.py": "",
            "src/kit/engine.py": "class Engine:\n    pass\n",
            "tests/test_engine.py": "from kit.engine import Engine, Turbo\n",
            "examples/demo.py": "from kit.dashboard import show\n",
            "docs/conf.py": "from kit import version\n",
            "src/kit/api.py": "from .engine import Turbo\n",
        }
    )
    found = {f.path: f for f in _imports(git_repo)}
    assert found["tests/test_engine.py"].role == "test"
    assert found["tests/test_engine.py"].security_severity == 6.0  # the suite stops
    assert found["examples/demo.py"].security_severity == 3.0
    assert found["docs/conf.py"].security_severity == 3.0
    assert found["examples/demo.py"].data["severity_as_found"] == 9.0
    production = found["src/kit/api.py"]
    for where in ("tests/test_engine.py", "examples/demo.py"):
        assert found[where].time_criticality < production.time_criticality
        assert found[where].impact < production.impact


def test_a_package_at_the_root_and_under_src_is_fine_if_either_has_the_name(
    git_repo: GitRepo,
) -> None:
    git_repo.commit(
        {
            "kit/__init__.py": "OLD = 1\n",
            "src/kit/__init__.py": "NEW = 1\n",
            "tests/__init__.py": "",
            "tests/test_kit.py": "from kit import NEW\nfrom kit import OLD\n"
            "from kit import NEITHER\n",
        }
    )
    [item] = _imports(git_repo)
    assert [o.symbol for o in item.occurrences] == ["kit.NEITHER"]


def test_an_inline_ignore_drops_that_import(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "src/kit/__init__.py": "from .a import x  # terragon: ignore[broken-import]\n"
            "from .b import y\n",
        }
    )
    [item] = _imports(git_repo)
    assert [o.symbol for o in item.occurrences] == ["kit.b"]


def test_modules_put_in_sys_modules_by_name_are_not_reported(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "src/kit/__init__.py": "",
            "tests/conftest.py": "import sys\nfrom unittest import mock\n\n"
            "sys.modules['kit.heavy'] = mock.MagicMock()\n",
            "tests/test_heavy.py": "from kit.heavy import model\nimport kit.absent\n",
        }
    )
    [item] = _imports(git_repo)
    assert [o.symbol for o in item.occurrences] == ["kit.absent"]


@pytest.mark.parametrize(
    "build",
    [
        {"setup.py": "from setuptools import Extension, setup\n"
                     "setup(ext_modules=[Extension('kit._core', ['csrc/core.c'])])\n",
         "csrc/core.c": "int x;\n"},
        {"pyproject.toml": '[tool.setuptools_scm]\nversion_file = "src/kit/_core.py"\n'},
    ],
)  # fmt: skip
def test_a_module_the_build_makes_is_not_reported(git_repo: GitRepo, build: dict) -> None:
    git_repo.commit({"src/kit/__init__.py": "from ._core import speed\nfrom ._gone import x\n"})
    git_repo.commit(build)
    [item] = _imports(git_repo)
    assert [o.symbol for o in item.occurrences] == ["kit._gone"]


def test_a_package_that_hides_the_module_of_its_name_is_named(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "src/kit/__init__.py": "",
            "src/kit/store.py": "class Repository:\n    pass\n",
            "src/kit/store/__init__.py": "# the new storage layer\n",
            "src/kit/backup.py": "from kit.store import Repository, connect\n",
        }
    )
    [item] = _imports(git_repo)
    assert item.title == (
        "Broken import in src/kit/backup.py: kit.store.Repository, kit.store.connect do not exist"
    )
    assert "the package src/kit/store/ hides the module src/kit/store.py" in item.description
