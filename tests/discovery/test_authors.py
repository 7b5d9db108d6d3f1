"""Authors: automation told apart from the people who change the code."""

from __future__ import annotations

import pytest

from terragon_tui.discovery.authors import is_bot

BOTS = [
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("dependabot-preview[bot]", "27856297+dependabot-preview[bot]@users.noreply.github.com"),
    ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com"),
    ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
    ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"),
    ("terragon-labs[bot]", "215797445+terragon-labs[bot]@users.noreply.github.com"),
    ("GitHub Action", "action@github.com"),
    ("Renovate Bot", "bot@renovateapp.com"),
    ("snyk-bot", "snyk-bot@snyk.io"),
    ("dependabot", "support@dependabot.com"),
    ("Release", "semantic-release-bot@martynus.net"),
    ("github-actions", "github-actions@example.org"),
]
PEOPLE = [
    ("boturon", "boturon@gmail.com"),
    ("Charl P. Botha (X1E)", "cpbotha@vxlabs.com"),
    ("Jane Talbot", "jane@talbot.example"),
    ("Kar Petrosyan", "92274156+karpetrosyan@users.noreply.github.com"),
    ("Robot Lover", "robots@example.org"),
]


@pytest.mark.parametrize(("name", "email"), BOTS)
def test_automation_is_a_bot(name: str, email: str) -> None:
    assert is_bot(name, email)


@pytest.mark.parametrize(("name", "email"), PEOPLE)
def test_people_whose_names_contain_bot_are_people(name: str, email: str) -> None:
    assert not is_bot(name, email)
