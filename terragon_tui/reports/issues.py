"""Issue drafts of the top items for the forge: JSON, Markdown bodies, and a script of `gh`
commands that creates each issue, or edits the one an earlier export filed."""

from __future__ import annotations

import re
import shlex
from dataclasses import asdict, dataclass
from pathlib import Path

from ..backlog.listing import list_items, show_item
from ..backlog.ranked import ItemDetail
from ..backlog.workspace import Workspace
from ..core.errors import UsageError
from ..core.text import markdown_inline, printable
from ..scoring.lanes import LANE_LABELS
from ..store.rows import StoredItem

DEFAULT_LABEL = "terragon-value"
#: Places listed in a body; the rest are counted.
PLACES_SHOWN = 20
_LABEL = re.compile(r"^[\w][\w .:/-]{0,49}$")
#: Line starts Markdown reads as a list, a heading underline or a numbered list.
_BLOCK_START = re.compile(r"^(\s*(?:\d+)?)([-=.)])")


@dataclass
class IssueDraft:
    """One item as an issue: its title, Markdown body, labels, and the issue filed before."""

    id: str
    title: str
    body: str
    labels: list[str]
    issue_url: str | None = None
    body_file: str = ""


def markdown_text(text: str) -> str:
    """`text` as Markdown paragraphs that render literally: no links, HTML, mentions, lists
    or headings, line breaks kept."""
    lines = []
    for line in printable(text).splitlines():
        escaped = markdown_inline(line).replace("@", "\\@")
        lines.append(_BLOCK_START.sub(r"\1\\\2", escaped))
    return "\n".join(lines)


def check_label(label: str) -> str:
    """A label name: letters, digits, spaces and `.:/-`, at most 50 characters."""
    cleaned = label.strip()
    if not _LABEL.match(cleaned):
        raise UsageError(f"a label is up to 50 letters, digits, spaces or .:/-, got {label!r}")
    return cleaned


def issue_body(detail: ItemDetail[StoredItem], repo_name: str) -> str:
    """An item's issue text: what and why, the score breakdown, the places, its ID."""
    from ..backlog.apply.pull_request import code_block

    item = detail.ranked.item
    rank = f", rank {detail.ranked.rank}" if detail.ranked.rank else ""
    parts = [
        f"**{markdown_inline(item.title)}**",
        f"{item.key} · {item.category} · score {detail.ranked.score:.2f}{rank} · "
        f"{LANE_LABELS[detail.ranked.lane]} lane · estimate {item.estimated_hours:g} h",
    ]
    if item.description:
        parts.append(markdown_text(item.description))
    parts.append(
        "### Score breakdown\n\n```text\n" + code_block(detail.breakdown.lines()) + "\n```"
    )
    places = [p for p in detail.occurrences if p.path]
    if not places and item.file_path:
        where = f"{item.file_path}:{item.line}" if item.line else item.file_path
        parts.append(f"### Location\n\n- {markdown_inline(where)}")
    elif places:
        lines = [
            f"- {markdown_inline(f'{p.path}:{p.line}' if p.line else str(p.path))}"
            for p in places[:PLACES_SHOWN]
        ]
        if len(places) > PLACES_SHOWN:
            lines.append(f"- … and {len(places) - PLACES_SHOWN} more (`terragon show {item.key}`)")
        parts.append(f"### Locations ({len(places)})\n\n" + "\n".join(lines))
    if item.branch:
        parts.append(f"A fix is on the branch {markdown_inline(item.branch)}.")
    parts.append(
        f"<sub>From the value backlog of {markdown_inline(repo_name)} "
        f"(terragon item {item.key}).</sub>"
    )
    return "\n\n".join(parts) + "\n"


def issue_drafts(ws: Workspace, *, label: str = DEFAULT_LABEL, limit: int = 10) -> list[IssueDraft]:
    """The top `limit` open items as issue drafts labelled `label` and their category."""
    label = check_label(label)
    with ws.reading() as session:
        repo_name = ws.repository(session).name
    drafts = []
    for entry in list_items(ws, limit=limit):
        detail = show_item(ws, entry.item.key)
        item = detail.ranked.item
        drafts.append(
            IssueDraft(
                id=item.key,
                title=printable(f"{item.key}: {item.title}", single_line=True)[:250],
                body=issue_body(detail, repo_name),
                labels=list(dict.fromkeys([label, item.category])),
                issue_url=item.issue_url,
            )
        )
    return drafts


def gh_script(
    drafts: list[IssueDraft], folder: Path, repo_root: Path, store: str | None = None
) -> str:
    """A shell script of `gh` commands for `drafts` whose bodies lie in `folder`: a new
    issue for each item without a link (recorded back with `terragon link-issue`), an edit
    of the known issue for the others, `store` naming the store the links go to (else
    TERRAGON_DB or the default). Every argument is quoted; bodies go by file."""
    q = shlex.quote
    root = q(str(repo_root))
    db = f" --db {q(store)}" if store else ""
    lines = [
        "#!/bin/sh",
        "# Files the terragon issue drafts on the repository's forge with the gh CLI.",
        "set -eu",
        f"cd -- {root}",
    ]
    labels = dict.fromkeys(label for draft in drafts for label in draft.labels)
    lines += [f"gh label create {q(label)} >/dev/null 2>&1 || true" for label in labels]
    for draft in drafts:
        body = q(str(folder / draft.body_file))
        if draft.issue_url:
            add = " ".join(f"--add-label {q(label)}" for label in draft.labels)
            lines.append(
                f"gh issue edit {q(draft.issue_url)} --title {q(draft.title)} "
                f"--body-file {body} {add}"
            )
        else:
            add = " ".join(f"--label {q(label)}" for label in draft.labels)
            lines.append(
                f"url=$(gh issue create --title {q(draft.title)} --body-file {body} {add})"
            )
            lines.append(f'terragon{db} -C {root} link-issue {q(draft.id)} "$url"')
    return "\n".join(lines) + "\n"


def export_issues(
    ws: Workspace, folder: Path, *, label: str = DEFAULT_LABEL, limit: int = 10
) -> list[IssueDraft]:
    """Write the drafts of the top items to `folder`: issues.json, issues.sh (the gh
    commands) and one Markdown body per item under bodies/."""
    from .contract import document
    from .files import write_atomically
    from .records import to_json

    if limit < 1:
        raise UsageError(f"-n must be at least 1, got {limit}")
    drafts = issue_drafts(ws, label=label, limit=limit)
    folder = folder.expanduser().absolute()
    (folder / "bodies").mkdir(parents=True, exist_ok=True)
    for draft in drafts:
        draft.body_file = f"bodies/{draft.id}.md"
        write_atomically(folder / draft.body_file, draft.body)
    records = [asdict(draft) for draft in drafts]
    write_atomically(folder / "issues.json", to_json(document("issues", issues=records)) + "\n")
    script = folder / "issues.sh"
    # A SQLite store is named by its file, which holds no secret; a server's URL may hold a
    # password, so the script leaves that one to TERRAGON_DB.
    url = ws.engine.url
    store = url.render_as_string() if url.get_backend_name() == "sqlite" else None
    write_atomically(script, gh_script(drafts, folder, ws.root, store))
    script.chmod(0o755)
    return drafts
