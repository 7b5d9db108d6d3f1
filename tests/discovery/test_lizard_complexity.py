"""Complexity beyond Python: lizard's functions become the items radon's do."""

from __future__ import annotations

from pathlib import Path

import pytest

from terragon_tui.discovery import ScanCache, complexity, lizard_complexity, scan
from terragon_tui.discovery.analysis import FileAnalyser, analysers_for
from terragon_tui.discovery.finding import Finding
from tests.generators import go_handler, js_router, polyglot, ts_store


def test_a_complex_javascript_function_is_a_finding_with_radons_rank() -> None:
    measured = lizard_complexity.measure("web/router.js", js_router(14), 5.0)
    assert measured["language"] == "JavaScript"
    assert [row[0] for row in measured["functions"]] == ["route", "noop"]
    (found,) = complexity.findings("web/router.js", measured)
    assert found.symbol == "route"
    assert found.data["cc"] == 15
    assert found.data["rank"] == "C"
    assert found.data["language"] == "JavaScript"
    assert "lizard" in found.description
    assert "JavaScript" in found.description
    assert found.estimated_hours == 2.25  # the remediation model radon's functions have


def test_a_typescript_method_and_a_go_function_are_measured() -> None:
    store = lizard_complexity.measure("store.ts", ts_store(23), 5.0)
    handler = lizard_complexity.measure("handler.go", go_handler(16), 5.0)
    assert [(row[0], row[4]) for row in store["functions"]] == [("reduce", 24), ("get size", 1)]
    assert [(row[0], row[1], row[4]) for row in handler["functions"]] == [
        ("Dispatch", "function", 17),
        ("Server.Name", "method", 1),  # named by its receiver's type
        ("Version", "function", 1),
    ]
    assert handler["total_cc"] == 19
    assert [f.data["rank"] for f in complexity.findings("store.ts", store)] == ["D"]


def test_class_qualified_names_read_like_pythons() -> None:
    source = "class Parser {\n  int step(int x) {\n" + "    if (x > 1) { return 1; }\n" * 12
    source += "    return 0;\n  }\n}\n"
    (row,) = lizard_complexity.measure("Parser.java", source, 5.0)["functions"]
    assert row[:2] == ["Parser.step", "method"]


def test_go_methods_are_named_by_their_receiver_and_closures_by_no_number() -> None:
    source = (
        "package p\n\nfunc (l *List[T]) Push(v T) {\n\tgo func() {\n\t\tif v {\n\t\t}\n\t}()\n}\n"
        "\nfunc (Server) Ping() {}\n"
    )
    rows = lizard_complexity.measure("list.go", source, 5.0)["functions"]
    assert [row[:2] for row in rows] == [
        ["(anonymous)", "function"],  # lizard's own name, anonymous__0, moves with the code
        ["List.Push", "method"],
        ["Server.Ping", "method"],
    ]


def test_minified_source_is_not_measured() -> None:
    bundle = js_router(30).split("\n", 1)[1].replace("\n", "")
    with pytest.raises(lizard_complexity.Unmeasured, match="minified"):
        lizard_complexity.measure("bundle.js", bundle, 5.0)
    data = "const LOGO = '" + "A" * 5000 + "';\n"  # one long line in readable code
    assert lizard_complexity.measure("logo.js", data + js_router(14), 5.0)["functions"]


def test_a_function_the_repository_forgives_in_lizards_words_is_not_measured() -> None:
    forgiven = js_router(14).replace("{\n", "{\n  // #lizard forgive\n", 1)
    assert lizard_complexity.measure("router.js", forgiven, 5.0)["functions"] == [
        ["noop", "function", 49, 51, 1]
    ]


def test_the_threshold_is_radons_rank_setting() -> None:
    measured = lizard_complexity.measure("handler.go", go_handler(16), 5.0)
    assert complexity.findings("handler.go", measured, min_rank="D") == []
    assert len(complexity.findings("handler.go", measured, min_rank="B")) == 1


def test_functions_of_one_name_in_a_file_are_told_apart() -> None:
    branches = "".join(f"  if (x === {n}) {{ return {n}; }}\n" for n in range(12))
    callback = f"items.map(function (x) {{\n{branches}  return -1;\n}});\n"
    measured = lizard_complexity.measure("list.js", callback * 2, 5.0)
    found = complexity.findings("list.js", measured)
    assert [f.symbol for f in found] == ["(anonymous)", "(anonymous)#2"]
    assert len({f.fingerprint for f in found}) == 2
    assert (
        found[0].title
        == "Reduce the complexity of an anonymous function in list.js (CC 13, rank C)"
    )
    assert found[1].description.startswith("An anonymous function in list.js (line 16) has")


def test_python_is_left_to_radon() -> None:
    assert not lizard_complexity.reads("app.py")
    assert lizard_complexity.reads("web/App.TSX")
    with pytest.raises(lizard_complexity.Unmeasured):
        lizard_complexity.measure("app.py", "def f():\n    return 1\n", 5.0)


def test_lizard_has_a_time_budget() -> None:
    with pytest.raises(lizard_complexity.Unmeasured, match="longer than 0 s"):
        lizard_complexity.measure("router.js", js_router(14), 0.0)


def test_which_files_are_measured_in_each_kind_of_scan() -> None:
    for path in ("server/handler.go", "web/src/store.ts", "web/App.jsx", "lib/parse.c"):
        assert "complexity" in analysers_for(path, "full")
        assert analysers_for(path, "architecture") == {"complexity"}
        assert "complexity" not in analysers_for(path, "security")
    assert "complexity" not in analysers_for("web/app.min.js", "full")
    assert "complexity" not in analysers_for("README.md", "full")
    assert analysers_for("README.md", "architecture") == frozenset()
    assert analysers_for("app.py", "architecture") == {"complexity", "outline"}


def test_a_file_lizard_fails_on_keeps_its_todos_and_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lizard

    def failing(error: BaseException):
        def processor(tokens, reader):  # a step of lizard's token chain that fails midway
            for count, token in enumerate(tokens):
                if count == 20:
                    raise error
                yield token

        return lambda names: [processor]

    (tmp_path / "app.js").write_text("// TODO: split route\n" + js_router(14))
    for error, said in (
        (IndexError("list index out of range"), "lizard could not read it: IndexError"),
        # lizard itself would print this one on stderr and keep what it had read so far
        (RecursionError("maximum recursion depth"), "lizard could not read it: nested too deeply"),
    ):
        monkeypatch.setattr(lizard, "get_extensions", failing(error))
        with FileAnalyser() as analyser:
            outcome = analyser.analyse(str(tmp_path), "app.js", analysers_for("app.js", "full"))
        assert outcome.skip is None
        assert outcome.not_run == {"complexity"}
        assert outcome.partial == said
        assert outcome.results["todos"]
        assert "secrets" in outcome.results


def _hotspots(found: list[Finding]) -> dict[str, Finding]:
    return {str(f.path): f for f in found if f.rule == "hotspot"}


def test_a_polyglot_repository_has_its_complex_functions_and_its_hot_go_file(
    tmp_path: Path,
) -> None:
    root = polyglot(tmp_path / "poly")
    result = scan(root, workers=1)
    items = [f for f in result.findings if f.source == "complexity"]
    by_symbol = {str(o.symbol): o for f in items for o in f.occurrences}
    assert {path: (o.data["cc"], o.data["rank"]) for path, o in by_symbol.items()} == {
        "route": (15, "C"),
        "reduce": (24, "D"),
        "legacyRoute": (45, "F"),
        "Dispatch": (17, "C"),
    }
    assert {str(o.path) for o in by_symbol.values()} == {
        "web/src/router.js",
        "web/src/store.ts",
        "web/src/legacy.js",
        "server/handler.go",
    }  # nothing from web/dist/, web/static/ (minified) or web/node_modules/ (vendored)
    assert (
        "web/static/prettify-min.js",
        "minified (most lines over 250 characters); complexity not analysed",
    ) in result.skipped
    assert {o.data["language"] for o in by_symbol.values()} == {"JavaScript", "TypeScript", "Go"}
    legacy = next(f for f in items if f.path == "web/src/legacy.js")
    assert legacy.title == "Reduce the complexity of function legacyRoute (CC 45, rank F)"
    go = next(f for f in items if f.path == "server/handler.go")
    assert go.data["language"] == "Go"
    assert go.debt_interest > 1.0  # it keeps changing
    hot = _hotspots(result.findings)
    assert list(hot) == ["server/handler.go"]  # version.go changed as often, but is simple
    assert hot["server/handler.go"].data["total_cc"] == 19
    assert "complexity" in result.sources and "hotspots" in result.sources


def test_an_architecture_scan_covers_the_other_languages(tmp_path: Path) -> None:
    root = polyglot(tmp_path / "poly")
    result = scan(root, kind="architecture", workers=1)
    assert {str(f.path) for f in result.findings if f.source == "complexity"} == {
        "web/src/router.js",
        "web/src/store.ts",
        "web/src/legacy.js",
        "server/handler.go",
    }
    assert list(_hotspots(result.findings)) == ["server/handler.go"]


def test_a_rescan_of_a_polyglot_repository_analyses_nothing(tmp_path: Path) -> None:
    root = polyglot(tmp_path / "poly")
    cache = ScanCache()
    first = scan(root, cache=cache, workers=1)
    second = scan(root, cache=cache, workers=1)
    assert first.files_analysed > 0
    assert second.files_analysed == 0
    assert sorted(f.fingerprint for f in second.findings) == sorted(
        f.fingerprint for f in first.findings
    )
