"""`next`, `show` and `list` read plainly (`store.plain`, sqlite3 alone) give what the store's
models give, item for item and field for field, on a scanned backlog with history; and a
store that needs anything done first is left to the store proper."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from rich.console import Console

from terragon_tui.backlog import plain_reads
from terragon_tui.backlog.filters import ItemFilter, ListRequest
from terragon_tui.backlog.items import (
    complete_item,
    defer_item,
    edit_item,
    reject_item,
    set_after,
    suggest_item,
)
from terragon_tui.backlog.listing import (
    _ranked_rows,
    list_items,
    next_detail,
    next_item,
    show_item,
)
from terragon_tui.backlog.scanning import scan_workspace
from terragon_tui.backlog.scoring_settings import focus_weights, scoring_settings
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.core.errors import NotFoundError, UsageError
from terragon_tui.reports.records import completion_record, item_record, to_json
from terragon_tui.reports.terminal import item_detail, items_table
from terragon_tui.store.models import Item
from terragon_tui.store.plain import plain_store, plain_store_file

from ..conftest import make_repo
from ..noisy_repos import noisy_application

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def backlog(tmp_path_factory):
    """A scanned application whose items were completed, deferred, rejected, edited, linked
    and suggested, with the weights of a focus saved: a workspace and its store's URL."""
    root = noisy_application(tmp_path_factory.mktemp("noisy") / "shop")
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}"
    ws = open_workspace(root, url)
    scan_workspace(ws, "full", workers=1, use_cache=False)
    keys = [entry.item.key for entry in list_items(ws)]
    complete_item(ws, keys[0], hours=3, impact="Closed the hole; ünïcode [b]notes[/b]")
    defer_item(ws, keys[1], reason="after the release")
    reject_item(ws, keys[2], reason="not ours")
    edit_item(ws, keys[3], impact=9, title="A title a person gave")
    set_after(ws, keys[4], [keys[5]])
    suggest_item(ws, category="security", title="Rotate the keys", security_severity=8)
    focus_weights(ws, "security")
    yield ws, url
    ws.close()


def _typed(fields: dict) -> dict:
    """Fields with their types, so that 0 is not taken for False, nor 1 for 1.0."""
    return {name: (type(value).__name__, value) for name, value in fields.items()}


def _plainly(ws, url, question):
    answered = plain_reads.answer(ws.root, url, question)
    assert answered is not None, "the store should be read plainly"
    return answered[0]


def _shown(renderable) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_every_item_reads_the_same_field_for_field(backlog):
    ws, url = backlog
    with ws.reading() as session:
        models = {item.id: _typed(item.model_dump()) for item in session.query(Item).all()}
    by_id = _plainly(ws, url, lambda b: b.store.items(list(models)))
    assert {item_id: _typed(row._asdict()) for item_id, row in by_id.items()} == models
    many = [*models, *range(10**6, 10**6 + 600)]  # more than one statement's parameters
    whole = _plainly(ws, url, lambda b: b.store.items(many))
    assert {item_id: _typed(row._asdict()) for item_id, row in whole.items()} == models
    assert any(fields["closed_at"][1] is not None for fields in models.values())
    assert any(fields["edited_fields"][1] for fields in models.values())
    assert any(fields["is_security"][1] for fields in models.values())


def test_the_ranking_is_the_same_row_for_row(backlog):
    ws, url = backlog
    with ws.reading() as session:
        ranked = _ranked_rows(ws, session, scoring_settings(ws, session))
    plain = _plainly(ws, url, lambda b: b.ranked_rows())
    assert [(_typed(e.item._asdict()), e.score, e.rank) for e in plain] == [
        (_typed(e.item._asdict()), e.score, e.rank) for e in ranked
    ]
    assert _plainly(ws, url, lambda b: b.settings()) == ws_settings(ws)


def ws_settings(ws):
    with ws.reading() as session:
        return scoring_settings(ws, session)


def test_next_is_the_same_in_text_and_json(backlog):
    ws, url = backlog
    detail, plain = next_detail(ws), _plainly(ws, url, lambda b: b.next_detail())
    assert _shown(item_detail(plain)) == _shown(item_detail(detail))
    top = _plainly(ws, url, lambda b: b.top())
    assert to_json(item_record(top)) == to_json(item_record(next_item(ws)))


def test_show_is_the_same_for_every_item(backlog):
    ws, url = backlog
    keys = [entry.item.key for entry in list_items(ws, include_closed=True)]
    assert len(keys) > 20
    for key in keys:
        model = show_item(ws, key.lower())
        plain = _plainly(ws, url, lambda b, key=key: b.show_item(key.lower()))
        assert to_json(item_record(plain.ranked, plain.occurrences)) == to_json(
            item_record(model.ranked, model.occurrences)
        )
        assert plain.breakdown == model.breakdown
        assert [completion_record(c) for c in plain.completions] == [
            completion_record(c) for c in model.completions
        ]
        assert [_typed(c._asdict()) for c in plain.changes] == [
            _typed(c.model_dump()) for c in model.changes
        ]
        assert [_typed(o._asdict()) for o in plain.occurrences] == [
            _typed(o.model_dump()) for o in model.occurrences
        ]
        assert _shown(item_detail(plain)) == _shown(item_detail(model))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"limit": 10},
        {"include_closed": True},
        {"status": "done"},
        {"category": "security"},
        {"category": "security", "role": "test"},
        {"rule": "b311"},
        {"path": "shopapp/**"},
        {"path": "tests/**", "include_closed": True},
        {"source": "secrets"},
        {"text": "PICKLE"},
        {"sort": "-risk", "limit": 7},
        {"sort": "priority"},
        {"sort": "title", "include_closed": True},
    ],
)
def test_list_is_the_same_for_every_kind_of_request(backlog, options):
    ws, url = backlog
    model = list_items(ws, **options)
    wanted = ItemFilter(*(options.get(key) for key in ItemFilter.__dataclass_fields__))
    rest = {
        key: options[key] for key in ("text", "include_closed", "limit", "sort") if key in options
    }
    plain = _plainly(ws, url, lambda b: b.list_items(ListRequest(wanted, **rest)))
    assert model, options  # every request shows something
    assert [to_json(item_record(e)) for e in plain] == [to_json(item_record(e)) for e in model]
    assert _shown(items_table(plain)) == _shown(items_table(model))


def test_the_same_mistakes_give_the_same_errors(backlog):
    ws, url = backlog
    for question, model in (
        (lambda b: b.show_item("NOPE-999"), lambda: show_item(ws, "NOPE-999")),
        (
            lambda b: b.list_items(ListRequest(ItemFilter(category="nope"))),
            lambda: list_items(ws, category="nope"),
        ),
        (
            lambda b: b.list_items(ListRequest(ItemFilter(rule="Z999"))),
            lambda: list_items(ws, rule="Z999"),
        ),
        (
            lambda b: b.list_items(ListRequest(ItemFilter(), limit=0)),
            lambda: list_items(ws, limit=0),
        ),
        (
            lambda b: b.list_items(ListRequest(ItemFilter(), sort="nope")),
            lambda: list_items(ws, sort="nope"),
        ),
    ):
        with pytest.raises((NotFoundError, UsageError)) as expected:
            model()
        with pytest.raises(type(expected.value)) as plainly:
            _plainly(ws, url, question)
        assert str(plainly.value) == str(expected.value)


def _db_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def test_a_store_that_needs_anything_done_first_is_left_to_the_store_proper(tmp_path, backlog):
    ws, url = backlog
    with plain_store(url, ws.root) as store:
        assert store is not None
    other = make_repo(tmp_path / "other")
    with plain_store(url, other) as store:  # not registered yet: opening it registers it
        assert store is None
    assert plain_store_file(str(tmp_path / "new.db")) is None  # to create
    assert plain_store_file(f"sqlite:///{tmp_path}") is None  # a directory
    assert plain_store_file("postgresql://u:p@localhost/terragon") is None
    assert plain_store_file(f"{url}?timeout=1") is None  # options: SQLAlchemy reads those
    assert plain_store_file(url) == _db_file(url)
    older = tmp_path / "older.db"
    with closing(sqlite3.connect(_db_file(url))) as source, closing(sqlite3.connect(older)) as copy:
        source.backup(copy)
    with closing(sqlite3.connect(older)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0006'")  # to migrate
    with plain_store(str(older), ws.root) as store:
        assert store is None
    foreign = tmp_path / "foreign.db"
    with closing(sqlite3.connect(foreign)) as conn, conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    assert plain_reads.answer(ws.root, str(foreign), lambda b: b.top()) is None


def test_the_command_line_reads_a_ready_store_without_sqlalchemy(backlog):
    ws, url = backlog
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} "
        "& {'sqlalchemy', 'sqlmodel', 'alembic', 'textual'}), file=sys.stderr))\n"
        "from terragon_tui.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    for args in (["next"], ["next", "--json"], ["show", "sec-001"], ["list", "-n", "10"]):
        run = subprocess.run(
            [sys.executable, "-c", probe, "--db", url, "-C", str(ws.root), *args],
            capture_output=True,
            text=True,
            env={"COLUMNS": "120", "PATH": "/usr/bin:/bin", "HOME": str(ws.root)},
            check=False,
        )
        assert run.returncode == 0, run.stderr
        assert run.stderr.strip().splitlines()[-1] == "[]", (args, run.stderr)
        assert run.stdout.strip()


def _run(capsys, url: str, root: Path, *args: str) -> tuple[int, str, str]:
    from terragon_tui.cli import main

    capsys.readouterr()
    try:
        main(["--db", url, "-C", str(root), *args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "args",
    [
        ["next"],
        ["next", "--json"],
        ["show", "SEC-001"],
        ["show", "sec-001", "--json"],
        ["show", "NOPE-1"],
        ["list", "-n", "10"],
        ["list", "--all", "--json"],
        ["list", "--path", "shopapp/**", "-c", "security"],
        ["list", "--rule", "nope"],
        ["list", "-s", "pickle", "--no-pager"],
    ],
)
def test_the_commands_print_the_same_either_way(backlog, capsys, monkeypatch, args):
    ws, url = backlog
    monkeypatch.setenv("COLUMNS", "120")
    asked, answered = [], []
    real = plain_reads.answer

    def answer(*question):
        asked.append(question)
        answered.append(real(*question))  # a mistake (an unknown ID) raises instead
        return answered[-1]

    monkeypatch.setattr(plain_reads, "answer", answer)
    plainly = _run(capsys, url, ws.root, *args)
    assert asked, "asked plainly"
    assert None not in answered, "answered plainly"
    monkeypatch.setattr(plain_reads, "answer", lambda *a: None)
    assert _run(capsys, url, ws.root, *args) == plainly
