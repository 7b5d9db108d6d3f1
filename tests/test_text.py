"""Untrusted text made safe: controls and invisible characters escaped, real text left alone."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terragon_tui.core.text import html_text, json_printable, markdown_inline, printable

from .hostile import shows_no_control


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("notes\u202etxt.py", "notes\\u202etxt.py"),  # would read notesyp.txt
        (
            "\u2066a\u2069 \u2067b\u2069 \u2068c\u2069",
            "\\u2066a\\u2069 \\u2067b\\u2069 \\u2068c\\u2069",
        ),
        ("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
        ("ad\u200bmin", "ad\\u200bmin"),  # looks like admin
        ("a\u200cb\u200dc\u2060d\ufeffe", "a\\u200cb\\u200dc\\u2060d\\ufeffe"),
        ("pay\u00adpal", "pay\\xadpal"),  # the soft hyphen shows nothing in HTML
        ("x\U000e0041\U000e007f", "x\\U000e0041\\U000e007f"),  # tags: hidden text
        ("\u200d\U0001f4bb", "\\u200d\U0001f4bb"),  # a joiner that joins nothing
        ("\U0001f469\u200d", "\U0001f469\\u200d"),
        (
            "a\u200cb \u0628\u200cb \u200c\u0628",
            "a\\u200cb \u0628\\u200cb \\u200c\u0628",
        ),  # no script joins
        ("\u0628\u061c\u200c\u0628", "\u0628\\u061c\\u200c\u0628"),  # a control is no letter
    ],
)
def test_bidi_controls_and_zero_width_characters_are_shown_escaped(raw, shown):
    assert printable(raw) == shown
    assert printable(raw, single_line=True) == shown


@pytest.mark.parametrize(
    "text",
    [
        "café naïve Ærø ß",
        "漢字 かな 한국어",
        "שלום עולם مرحبا",  # right-to-left scripts show as the terminal lays them out
        "\U0001f469\u200d\U0001f4bb",  # woman technologist: a joiner between emoji draws one
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag, after a presentation selector
        "\U0001f468\U0001f3fd\u200d\U0001f4bb",  # with a skin tone
        "\U0001f408\u200d\u2b1b \u2764\ufe0f\u200d\U0001f525",  # black cat, heart on fire
        "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0645",  # Persian: the non-joiner is spelling
        "\u0915\u094d\u200d\u0937 \u0d7b\u0d4d\u200d",  # Devanagari half form, Malayalam
        "\u2603\ufe0f \u8fba\U000e0100",  # variation selectors stay: emoji and CJK need them
    ],
)
def test_real_text_in_any_script_and_emoji_are_left_alone(text):
    assert printable(text) == text
    assert json.loads(json_printable(json.dumps(text, ensure_ascii=False))) == text


def test_documents_show_the_escape_literally():
    assert markdown_inline("a\u202eb") == "a\\\\u202eb"  # Markdown renders `\u202e`
    assert html_text("a\u202eb<") == "a\\u202eb&lt;"


def test_json_escapes_invisible_characters_its_own_way_and_keeps_the_text():
    text = "notes\u202etxt.py \u200b\x9b\ud800 x\U000e0041"
    encoded = json_printable(json.dumps(text, ensure_ascii=False))
    assert "notes\\u202etxt.py \\u200b\\u009b\\ud800 x\\udb40\\udc41" in encoded
    assert json.loads(encoded) == text


@given(st.text())
def test_nothing_a_terminal_would_obey_or_hide_survives(text):
    shows_no_control(printable(text))
    shows_no_control(printable(text, single_line=True))
    encoded = json_printable(json.dumps(text, ensure_ascii=False))
    shows_no_control(encoded)
    assert json.loads(encoded) == text
