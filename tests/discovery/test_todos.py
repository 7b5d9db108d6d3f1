"""TODO source: tagged comments in Python and other text files, never string literals."""

from __future__ import annotations

from terragon_tui.discovery import scan, todos
from terragon_tui.discovery.comments import comment_style
from terragon_tui.discovery.raw_metrics import raw_metrics

from .conftest import GitRepo, complex_function


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
    assert comment_style("web/app.ts") == "//"
    assert comment_style("deploy/ci.yml") == "#"
    assert comment_style("Dockerfile") == "#"
    assert comment_style("notes.txt") is None


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


def test_markdown_and_html_comments_are_read_even_over_several_lines() -> None:
    markdown = (
        "# Setup\n\nA todo list app. TODO: this prose is not a comment.\n"
        "<!-- TODO: document the flags -->\n"
        "Intro <!-- fixme: wrong version --> text\n"
        "<!--\n  Notes for later.\n  todo: screenshots\n-->\n"
    )
    assert todos.text_todos(markdown, "markdown") == [
        [4, "TODO", "document the flags"],
        [5, "FIXME", "wrong version"],
        [8, "TODO", "screenshots"],
    ]
    html = "<p>TODO: shown text</p>\n<!-- HACK: inline styles -->\n{# todo: a macro #}\n"
    assert todos.text_todos(html, "html") == [[2, "HACK", "inline styles"], [3, "TODO", "a macro"]]


def test_markdown_code_is_an_example_not_a_comment() -> None:
    markdown = (
        "Write `<!-- TODO: x -->` to leave a note.\n\n"
        "```html\n<!-- TODO: in a fenced block -->\n```\n"
        "~~~~\n```\n<!-- FIXME: still fenced -->\n~~~~\n"
        "<!-- TODO: after the fences -->\n"
    )
    assert todos.text_todos(markdown, "markdown") == [[10, "TODO", "after the fences"]]


def test_a_bare_tag_in_a_block_comment_takes_the_next_line_as_its_text() -> None:
    assert todos.text_todos("<!-- TODO:\n  write the FAQ\n-->\n", "markdown") == [
        [1, "TODO", "write the FAQ"]
    ]
    assert todos.text_todos("/* FIXME\n * leaks the handle\n */\n", "//") == [
        [1, "FIXME", "leaks the handle"]
    ]


def test_sql_ini_and_jinja_comments() -> None:
    sql = "SELECT 1; -- TODO: index this\n/* fixme: slow\n   XXX: joins */\nSELECT '--';\n"
    assert todos.text_todos(sql, "sql") == [
        [1, "TODO", "index this"],
        [2, "FIXME", "slow"],
        [3, "XXX", "joins"],
    ]
    ini = "[tool]\n; todo: drop py38\n# FIXME: pin\nkey = a;TODO: not a comment\n"
    assert todos.text_todos(ini, "ini") == [[2, "TODO", "drop py38"], [3, "FIXME", "pin"]]
    jinja = "{{ user }} {#- TODO: escape -#}\n{#\n  fixme: cache this block\n#}\n"
    assert todos.text_todos(jinja, "jinja") == [
        [1, "TODO", "escape"],
        [3, "FIXME", "cache this block"],
    ]


def test_restructuredtext_comments_and_todo_directives() -> None:
    rst = (
        "Title\n=====\n\n.. TODO: explain the title\n\n"
        ".. todo:: Sphinx's own todo list\n\n"
        ".. todo::\n\n   Rework this section.\n\n"
        "..\n   A comment over lines.\n   fixme: broken link\n\n"
        ".. note:: TODO: rendered text of a note\n\n"
        ".. _todo-target:\n\n"
        "Example::\n\n   .. TODO: an example, in a literal block\n\n"
        "A todo list in prose.\n"
    )
    assert todos.text_todos(rst, "rst") == [
        [4, "TODO", "explain the title"],
        [6, "TODO", "Sphinx's own todo list"],
        [8, "TODO", "Rework this section."],
        [14, "FIXME", "broken link"],
    ]


def test_a_full_scan_reads_the_comments_of_every_syntax(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "pkg/api.pyi": (
                "import pickle\n" + complex_function("f", 30) + "X: str  # todo: narrow it\n"
                'Y = "TODO: a string"\n'
            ),
            "requirements-dev.txt": "pytest  # fixme: pin\n",
            "README.md": "A todo list app.\n\n<!-- TODO: badges -->\n",
            "docs/index.rst": ".. todo:: write the tutorial\n",
            "db/schema.sql": "-- TODO: index users.email\n",
            "tox.ini": "[tox]\n; todo: add py313\n",
            "templates/base.html": "{# FIXME: escape #}\n<p>todo</p>\n",
            "notes.txt": "TODO: a plain text file has no comments\n",
        }
    )
    result = scan(git_repo.path, "full", workers=1)
    found = {(f.path, f.rule, f.line) for f in result.findings if f.source == "todos"}
    assert found == {
        ("pkg/api.pyi", "todo", 64),
        ("requirements-dev.txt", "fixme", 1),
        ("README.md", "todo", 3),
        ("docs/index.rst", "todo", 1),
        ("db/schema.sql", "todo", 1),
        ("tox.ini", "todo", 2),
        ("templates/base.html", "fixme", 1),
    }
    stub = {f.source for f in result.findings if f.path == "pkg/api.pyi"}
    assert stub == {"todos"}  # a stub's code is neither measured nor audited
