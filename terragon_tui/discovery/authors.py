"""Who changed the code: bots told apart from people."""

from __future__ import annotations

import re

#: Automation that commits under a name without a `[bot]` or `bot` ending.
KNOWN_BOTS = frozenset(
    {
        "dependabot",
        "dependabot-preview",
        "renovate",
        "github-actions",
        "github action",
        "github actions",
        "pre-commit-ci",
        "pre-commit-ci-lite",
        "greenkeeper",
        "mergify",
        "imgbot",
        "codecov",
        "allcontributors",
        "deepsource-autofix",
        "sourcery-ai",
        "whitesource-bolt-for-github",
    }
)
#: Addresses automation commits from that say nothing of a bot in the name.
BOT_EMAILS = frozenset({"action@github.com", "bot@renovateapp.com", "support@dependabot.com"})
# `dependabot[bot]`, `snyk-bot`, `Renovate Bot`, `semantic_release_bot`, `bot`: but not
# `boturon` or `Charl Botha`, people whose names only contain the letters.
_BOT_ENDING = re.compile(r"(\[bot\]|[-_. ]bot|^bot)$", re.IGNORECASE)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _local_part(email: str) -> str:
    # GitHub's noreply addresses are `<id>+<login>@users.noreply.github.com`.
    return email.partition("@")[0].rpartition("+")[2]


def is_bot(name: str, email: str) -> bool:
    """Whether the author `name <email>` is automation (dependabot, renovate, CI...)."""
    email = email.strip().lower()
    local = _local_part(email)
    return (
        bool(_BOT_ENDING.search(name.strip()) or _BOT_ENDING.search(local))
        or _name_key(name) in KNOWN_BOTS
        or local in KNOWN_BOTS
        or email in BOT_EMAILS
    )
