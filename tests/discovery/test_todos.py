"""TODO source: tagged comments in Python and other text files, never string literals."""

from __future__ import annotations

from terragon_tui.discovery import todos
from terragon_tui.discovery.raw_metrics import raw_metrics


def _python(source: str) -> list[list[object]]:
    return todos.python_todos(raw_metrics(source).comment_tokens)


def test_python_comments_are_found_with_tag_and_line() -> None:
    source = "x = 1  # TODO: speed this up\n# FIXME(ann): wrong for negatives\n# HACK - works\n"
    assert _python(source) == [
        [1, "TODO", "speed this up"],
        [2, "FIXME", "wrong for negatives"],
        [3, "HACK", "works"],
    ]


def test_a_todo_in_a_string_literal_is_not_a_finding() -> None:
    source = 'message = "TODO: not a comment"\ndoc = """\nFIXME: neither\ntodo: nor this\n"""\n'
    assert _python(source) == []


def test_a_word_that_merely_contains_a_tag_is_not_a_finding() -> None:
    assert _python("# TODOS are listed elsewhere\n# debug XXXL sizes\n") == []


def test_a_later_tag_needs_a_colon() -> None:
    assert _python("# see above. XXX: odd\n# we should BUG people\n") == [[1, "XXX", "odd"]]


def test_a_tag_in_any_case_counts_when_it_opens_the_comment_set_apart() -> None:
    source = (
        "# todo: fix\n# Fixme\n# fixme, broken for negatives\n# Hack - works\n"
        "x = 1  # xxx(ann): odd\n# ToDo.\n"
    )
    assert _python(source) == [
        [1, "TODO", "fix"],
        [2, "FIXME", ""],
        [3, "FIXME", "broken for negatives"],
        [4, "HACK", "works"],
        [5, "XXX", "odd"],
        [6, "TODO", ""],
    ]
    assert todos.text_todos("key: 1  # todo: drop\n", "#") == [[1, "TODO", "drop"]]


def test_a_tag_word_in_prose_is_not_a_finding_in_any_case() -> None:
    source = (
        "# this is a todo list\n# Todo items are sorted by date\n# Bug with signed chars\n"
        "# CPython had a bug: see bpo-1\n# hack to get the type check to pass\n"
        "# todo-list view\n# todo.txt is read first\n"
    )
    assert _python(source) == []


def test_other_languages_use_their_line_comments() -> None:
    js = "const url = 'http://x//TODO';\n// TODO: handle errors\n/* FIXME: leak */\n"
    assert todos.text_todos(js, "//") == [[2, "TODO", "handle errors"], [3, "FIXME", "leak"]]
    yml = "steps:\n  - run: make  # XXX: flaky\n  - name: 'TODO inside a string'\n"
    assert todos.text_todos(yml, "#") == [[2, "XXX", "flaky"]]
    assert todos.comment_style("web/app.ts") == "//"
    assert todos.comment_style("deploy/ci.yml") == "#"
    assert todos.comment_style("Dockerfile") == "#"
    assert todos.comment_style("notes.txt") is None


def test_findings_keep_identity_when_lines_move() -> None:
    before = todos.findings("m.py", _python("# TODO: Speed this up!\n"))[0]
    after = todos.findings("m.py", _python("import os\n\n\n#   TODO:  speed   this up\n"))[0]
    assert (before.line, after.line) == (1, 4)
    assert before.fingerprint == after.fingerprint
    assert before.source == "todos" and before.rule == "todo"
    assert before.category == "technical-debt"


def test_identical_comments_in_one_file_stay_distinct() -> None:
    found = todos.findings("m.py", _python("# TODO: later\nx = 1\n# TODO: later\n"))
    assert len({f.fingerprint for f in found}) == 2


def test_fixme_weighs_more_than_todo() -> None:
    todo, fixme = todos.findings("m.py", _python("# TODO: a\n# FIXME: b\n"))
    assert fixme.impact > todo.impact
    assert fixme.estimated_hours > todo.estimated_hours


def test_comment_text_is_kept_as_plain_data() -> None:
    found = todos.findings("m.py", [[1, "TODO", "[bold red]\x1b[31m markup"]])[0]
    assert "\x1b" not in found.title
    assert "[bold red]" in found.title  # plain text, never interpreted as markup here
