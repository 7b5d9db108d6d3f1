"""Who changed the code: bots told apart from people, and one identity per person."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

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
#: Names several people leave unset in the same way; sharing one proves nothing.
PLACEHOLDER_NAMES = frozenset(
    {"", "unknown", "root", "user", "admin", "none", "(none)", "nobody", "ubuntu", "your name"}
)


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


#: Addresses git or a tool fills in when nobody set one.
PLACEHOLDER_EMAILS = frozenset({"you@example.com", "user@example.com", "root@localhost"})


def _email_key(email: str) -> str:
    email = email.strip().lower()
    local, at, domain = email.partition("@")
    if not (at and local and domain) or domain == "(none)" or email in PLACEHOLDER_EMAILS:
        return ""  # no address anyone could be told apart by
    return email


class People:
    """The people behind (name, email) signatures: one person per shared name or address.

    Without a .mailmap the same person often commits under two addresses (work and home,
    or GitHub's noreply one) or two spellings of a name with one address; counted apart,
    one person would look like two, and their share of a file would be split. Signatures
    that share an address, or a full name of two words or more, are joined; a one-word name
    (`Joe`, a handle) is too often two people's, and placeholders such as `unknown` prove
    nothing.
    """

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._seen: Counter[tuple[str, str]] = Counter()

    def _find(self, key: str) -> str:
        root = self._parent.setdefault(key, key)
        while self._parent[root] != root:
            root = self._parent[root]
        while key != root:  # point the whole path at the root, so the next look-up is short
            self._parent[key], key = root, self._parent[key]
        return root

    def _keys(self, name: str, email: str) -> list[str]:
        keys = []
        if _name_key(name) not in PLACEHOLDER_NAMES and " " in _name_key(name):
            keys.append("n:" + _name_key(name))
        if _email_key(email):
            keys.append("e:" + _email_key(email))
        return keys or [f"s:{name}\x1f{email}"]  # nothing shareable: a person of its own

    def add(self, name: str, email: str) -> None:
        """Count one commit signed `name <email>`."""
        email = email.strip().lower()
        self._seen[(name, email)] += 1
        first, *rest = self._keys(name, email)
        for key in rest:
            self._parent[self._find(key)] = self._find(first)
        self._find(first)

    def names(self) -> dict[tuple[str, str], str]:
        """Each signature seen -> `Name <email>` of its person (the most used of each)."""
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for signature in self._seen:
            groups[self._find(self._keys(*signature)[0])].append(signature)
        shown: dict[tuple[str, str], str] = {}
        for members in groups.values():
            names: Counter[str] = Counter()
            emails: Counter[str] = Counter()
            for name, email in members:
                weight = self._seen[(name, email)]
                if _name_key(name) not in PLACEHOLDER_NAMES:
                    names[name] += weight
                emails[email] += weight
            name = _most_used(names) or members[0][0]
            email = _most_used(emails)
            label = f"{name} <{email}>" if email else name
            for signature in members:
                shown[signature] = label
        return shown


def _most_used(counts: Counter[str]) -> str:
    # Ties go to the first in sorted order, so the label does not depend on commit order.
    return min(counts, key=lambda value: (-counts[value], value)) if counts else ""
