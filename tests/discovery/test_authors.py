"""Authors: automation told apart from people, and one person under several signatures."""

from __future__ import annotations

import pytest

from terragon_tui.git.authors import People, is_bot

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


def _people(*signatures: tuple[str, str]) -> dict[tuple[str, str], str]:
    people = People()
    for name, email in signatures:
        people.add(name, email)
    return people.names()


def test_two_names_with_one_address_are_one_person() -> None:
    names = _people(
        ("Martin Zimmermann", "info@posativ.org"),
        ("Martin Zimmermann", "info@posativ.org"),
        ("posativ", "INFO@posativ.org"),
    )
    assert set(names.values()) == {"Martin Zimmermann <info@posativ.org>"}


def test_one_name_with_two_addresses_is_one_person() -> None:
    names = _people(
        ("Florimond Manca", "florimond.manca@gmail.com"),
        ("Florimond Manca", "florimond.manca@protonmail.com"),
        ("florimond  manca", "florimond.manca@protonmail.com"),
    )
    assert len(set(names.values())) == 1


def test_a_chain_of_shared_names_and_addresses_is_one_person() -> None:
    names = _people(
        ("Jo", "jo@home.example"), ("Jo Work", "jo@home.example"), ("Jo Work", "j@w.io")
    )
    assert len(set(names.values())) == 1


def test_a_placeholder_name_joins_nobody_by_that_name() -> None:
    names = _people(
        ("unknown", "edward@example.org"),
        ("Edward G", "edward@example.org"),
        ("unknown", "someone@else.example"),
    )
    assert names[("unknown", "edward@example.org")] == "Edward G <edward@example.org>"
    assert names[("unknown", "someone@else.example")] == "unknown <someone@else.example>"


def test_a_placeholder_address_joins_nobody_by_that_address() -> None:
    names = _people(("Ann", "you@example.com"), ("Bo", "you@example.com"), ("Cy", ""))
    assert len(set(names.values())) == 3


def test_a_one_word_name_with_two_addresses_may_be_two_people() -> None:
    names = _people(("Joe", "joe@one.example"), ("Joe", "joe@two.example"))
    assert len(set(names.values())) == 2


def test_different_people_stay_apart() -> None:
    names = _people(("Ann Example", "ann@example.com"), ("Bo Other", "bo@example.com"))
    assert len(set(names.values())) == 2


def test_thousands_of_names_for_one_address_are_one_person() -> None:
    names = _people(*((f"name {n}", "shared@example.org") for n in range(5000)))
    assert len(set(names.values())) == 1
