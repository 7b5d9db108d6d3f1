"""CI workflow templates: workflows kept in docs/ or a templates folder while no CI runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from terragon_tui.backlog.listing import list_items
from terragon_tui.backlog.scanning import scan_workspace
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.discovery import ci_templates, config_audit, scan
from terragon_tui.scoring.components import WSJF_SCALE, ScoreInputs, cost_of_delay, ice, job_size
from terragon_tui.scoring.ranker import NUMBER_FIELDS

from ..generators import WORKFLOW, templates_only
from .conftest import audit_files

GITHUB = WORKFLOW.format(
    title="CI", job="test", triggers="  push:\n  pull_request:", command="pytest"
)
GITLAB = "stages: [test]\n\nunit:\n  stage: test\n  script:\n    - pytest\n"


def _ci_rules(result: config_audit.AuditResult) -> list[str]:
    return [f.rule for f in result.findings if f.rule in ("no-ci", ci_templates.RULE)]


def test_the_templates_only_shape_asks_to_activate_them_naming_the_files(tmp_path: Path) -> None:
    result = scan(templates_only(tmp_path / "repo"), "full", workers=1)
    rules = {f.rule for f in result.findings if f.source == "config"}
    assert ci_templates.RULE in rules and "no-ci" not in rules
    item = next(f for f in result.findings if f.rule == ci_templates.RULE)
    assert item.title == (
        "Activate the CI workflow templates in docs/workflows/examples (ci.yml, cd.yml, +2) "
        "and 1 other folder"
    )
    assert item.path == "docs/workflows/examples"
    assert item.description.startswith(
        "7 CI workflow templates lie in docs/workflows/examples (ci.yml, cd.yml, "
        "dependency-update.yml, security.yml) and github-workflows-template (ci.yml, "
        "release.yml, security.yml), but no CI runs"
    )
    assert "copy docs/workflows/examples/ci.yml to .github/workflows/" in item.description
    assert item.category == "infrastructure"


def test_the_templates_item_ranks_in_the_top_five_by_default(tmp_path: Path) -> None:
    root = templates_only(tmp_path / "repo")
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    try:
        scan_workspace(ws, workers=1, use_cache=False)  # the user cache stays untouched
        ranked = list_items(ws)
    finally:
        ws.close()
    assert len(ranked) > 10
    entry = next(e for e in ranked if e.item.rule == ci_templates.RULE)
    assert entry.rank is not None and entry.rank <= 5
    assert entry.lane == "auto-pr"  # a workflow runs with the repository's secrets


def test_the_templates_item_scores_as_urgent_small_work() -> None:
    item = ci_templates.finding([ci_templates.Template("docs/ci/ci.yml", "github")])
    inputs = ScoreInputs(
        **{name: getattr(item, name) for name in NUMBER_FIELDS if name != "security_severity"}
    )
    # High on each part of the cost of delay at the smallest job size: WSJF is full with room
    # to spare, so it stays high if the scale is redrawn.
    assert min(inputs.business_value, inputs.time_criticality, inputs.risk_reduction) >= 13
    assert job_size(inputs.estimated_hours) == 1
    assert cost_of_delay(inputs) > WSJF_SCALE
    assert ice(inputs) > 70


@pytest.mark.parametrize(
    "path",
    [
        "docs/ci/pipeline.yaml",
        "docs/workflows/examples/ci.yml",
        "templates/ci.yml",
        "workflow-templates/python.yml",
        ".github/workflow-templates/ci.yml",
        "ci-templates/build.yaml",
        "github-workflows-template/ci.yml",
    ],
)
def test_a_workflow_in_docs_or_a_templates_folder_is_a_template(tmp_path: Path, path: str) -> None:
    result = audit_files(tmp_path, {path: GITHUB, "app.py": "x = 1\n"})
    assert _ci_rules(result) == [ci_templates.RULE]
    item = next(f for f in result.findings if f.rule == ci_templates.RULE)
    name = Path(path).name
    folder = str(Path(path).parent)
    assert item.title == f"Activate the CI workflow template in {folder} ({name})"
    assert item.path == folder


def test_a_gitlab_template_says_where_gitlab_reads_it(tmp_path: Path) -> None:
    result = audit_files(tmp_path, {"ci-templates/python.gitlab-ci.yml": GITLAB})
    item = next(f for f in result.findings if f.rule == ci_templates.RULE)
    assert "copy ci-templates/python.gitlab-ci.yml to .gitlab-ci.yml" in item.description


@pytest.mark.parametrize(
    ("path", "content"),
    [
        (".github/ISSUE_TEMPLATE/bug_report.yml", "name: Bug\nbody:\n  - type: textarea\n"),
        ("docs/api/openapi.yaml", "openapi: 3.0.0\npaths: {}\n"),
        ("docs/mkdocs.yml", "site_name: x\nnav:\n  - Home: index.md\n"),
        ("templates/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec: {}\n"),
        ("docs/ci/notes.yml", "on: push\n"),  # a trigger but no jobs
        ("docs/ci/broken.yml", "jobs:\n  test: [unclosed\n"),
        ("docs/ci/two.yml", "on: push\njobs: {a: {}}\n---\non: push\njobs: {b: {}}\n"),
        ("examples/ci.yml", GITHUB),  # neither docs/ nor a templates folder
    ],
)
def test_yaml_that_is_not_a_kept_workflow_is_no_template(
    tmp_path: Path, path: str, content: str
) -> None:
    assert _ci_rules(audit_files(tmp_path, {path: content, "app.py": "x = 1\n"})) == ["no-ci"]


def test_templates_beside_live_workflows_are_nothing_to_activate(tmp_path: Path) -> None:
    files = {".github/workflows/ci.yml": GITHUB, "docs/workflows/ci.yml": GITHUB}
    assert _ci_rules(audit_files(tmp_path, files)) == []


def test_hostile_yaml_in_docs_neither_crashes_nor_counts(tmp_path: Path) -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(8)
    )
    files = {
        "docs/laughs.yml": "jobs:\n  x: 1\n" + laughs,
        "docs/deep.yml": "on: push\njobs:\n" + "- " * 50000 + "x\n",
        "docs/huge.yml": "on: push\njobs:\n  a:\n    steps: []\n" + "# pad\n" * 60000,
        "docs/python.yml": "on: push\njobs: !!python/object/apply:os.system ['true']\n",
    }
    assert _ci_rules(audit_files(tmp_path, files)) == ["no-ci"]


def test_templates_are_listed_ci_first_then_by_name(tmp_path: Path) -> None:
    names = ["security.yml", "cd.yml", "python-ci.yml", "ci.yml", "build.yml"]
    result = audit_files(tmp_path, {f"templates/{name}": GITHUB for name in names})
    item = next(f for f in result.findings if f.rule == ci_templates.RULE)
    assert (
        item.title == "Activate the CI workflow templates in templates (ci.yml, python-ci.yml, +3)"
    )
    assert "(ci.yml, python-ci.yml, build.yml, cd.yml, security.yml)" in item.description
