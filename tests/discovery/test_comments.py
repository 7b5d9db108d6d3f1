"""Comment syntaxes: which files have which, and where their comments are."""

from __future__ import annotations

import pytest

from terragon_tui.discovery.comments import comment_pieces, comment_style


@pytest.mark.parametrize(
    ("path", "style"),
    [
        ("pkg/mod.py", "python"),
        ("pkg/mod.pyi", "python"),
        ("requirements.txt", "#"),
        ("requirements-dev.txt", "#"),
        ("dev-requirements.in", "#"),
        ("requirements/test.txt", "#"),
        ("notes.txt", None),
        ("docs/requirements_notes.md", "markdown"),
        ("README.md", "markdown"),
        ("docs/index.rst", "rst"),
        ("templates/base.html", "html"),
        ("templates/page.html.j2", "html"),
        ("templates/macros.jinja2", "jinja"),
        ("deploy/nginx.j2", "jinja"),
        ("pom.xml", "markup"),
        ("db/schema.sql", "sql"),
        ("setup.cfg", "ini"),
        ("tox.ini", "ini"),
        (".flake8", "ini"),
        ("web/app.ts", "//"),
        ("Dockerfile", "#"),
        ("data.csv", None),
    ],
)
def test_each_kind_of_file_has_its_comment_syntax(path: str, style: str | None) -> None:
    assert comment_style(path) == style


def test_line_markers_count_at_the_start_or_after_a_blank() -> None:
    text = "url = http://x#y  # real\n#also\nname = a#b\n"
    assert [(line, piece) for line, piece, _ in comment_pieces(text, "#")] == [
        (1, " real"),
        (2, "also"),
    ]


def test_the_lines_of_one_block_comment_belong_together() -> None:
    pieces = list(comment_pieces("<!-- a\nb --> x <!-- c -->\n", "markup"))
    assert [(line, piece.strip()) for line, piece, _ in pieces] == [(1, "a"), (2, "b"), (2, "c")]
    assert pieces[0][2] == pieces[1][2] != pieces[2][2]


def test_a_c_block_opens_only_at_a_line_start_or_after_a_blank() -> None:
    text = 'const glob = "src/**/*.js";\n// TODO: one\n'
    assert [line for line, _, _ in comment_pieces(text, "//")] == [2]
