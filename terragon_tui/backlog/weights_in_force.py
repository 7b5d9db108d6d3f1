"""The weights and boosts in force, worked out from what the store and the repository's
config say: the maturity profile, then the config's values, or else the profile a user saved.

Nothing here reads the store: `scoring_settings` reads it through SQLModel, `store.plain`
through sqlite3, and both come here for the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..config.project import ProjectConfig
from ..core.errors import ConfigError, UsageError
from ..scoring.scale import MEDIUM, severity_floor, severity_word
from ..scoring.weights import DEFAULT_LEVEL, MATURITY_PROFILES, Boosts, Weights


@dataclass(frozen=True)
class ScoringSettings:
    """The weights and boosts that score a repository's items, and where they came from."""

    weights: Weights
    boosts: Boosts
    origin: str
    level: str
    focus: str | None = None
    #: The security severity (0-10) from which the security boost applies: MEDIUM.
    security_from: float = MEDIUM

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view: weights as given and normalised, boosts, origin."""
        return {
            "weights": self.weights.as_dict(),
            "normalised": self.weights.normalised().as_dict(),
            "boosts": self.boosts.as_dict(),
            "origin": self.origin,
            "maturity_level": self.level,
            "focus": self.focus,
            "security_boost_from": severity_word(self.security_from),
        }


class SavedProfile(Protocol):
    """The weights and boosts a user saved for a repository (a `WeightProfile` row)."""

    @property
    def wsjf(self) -> float: ...
    @property
    def debt(self) -> float: ...
    @property
    def ice(self) -> float: ...
    @property
    def security(self) -> float: ...
    @property
    def security_boost(self) -> float: ...
    @property
    def compliance_boost(self) -> float: ...
    @property
    def performance_boost(self) -> float: ...
    @property
    def focus(self) -> str | None: ...


def _security_from(config: ProjectConfig) -> float:
    word = config.security_boost_from
    return severity_floor(word) if word else MEDIUM


def level_in_force(config: ProjectConfig, stored_level: str | None) -> str:
    """The maturity level: the config's, else the one the last scan measured, else the default."""
    # A configured level was checked against MATURITY_LEVELS when the config was read.
    return config.maturity or stored_level or DEFAULT_LEVEL


def configured_settings(config: ProjectConfig, stored_level: str | None) -> ScoringSettings:
    """The maturity profile's weights with the repository's config applied, ignoring saves."""
    level = level_in_force(config, stored_level)
    weights, boosts = MATURITY_PROFILES[level], Boosts()
    origin = f"{level} maturity profile"
    if config.weights or config.boosts:
        where = ", ".join(config.sources)
        try:
            weights = merged_weights(weights, config.weights)
            boosts = merged_boosts(boosts, config.boosts)
            weights.validate()
            boosts.validate()
        except UsageError as exc:
            raise ConfigError(f"{where}: {exc}") from exc
        origin = f"{origin} with {where}"
    return ScoringSettings(weights, boosts, origin, level, None, _security_from(config))


def merged_weights(base: Weights, changes: dict[str, float]) -> Weights:
    """`base` with some weights changed."""
    return Weights.from_mapping({**base.as_dict(), **changes})


def merged_boosts(base: Boosts, changes: dict[str, float]) -> Boosts:
    """`base` with some boosts changed."""
    return Boosts.from_mapping({**base.as_dict(), **changes})


def settings_in_force(
    config: ProjectConfig, stored_level: str | None, saved: SavedProfile | None
) -> ScoringSettings:
    """The settings in force: the saved profile if there is one, else the configured ones."""
    if saved is None:
        return configured_settings(config, stored_level)
    weights = Weights(saved.wsjf, saved.debt, saved.ice, saved.security)
    boosts = Boosts(saved.security_boost, saved.compliance_boost, saved.performance_boost)
    try:  # saved by an older terragon with other limits, or edited in the database by hand
        weights.validate()
        boosts.validate()
    except UsageError as exc:
        raise ConfigError(
            f"the saved weights profile is out of range ({exc}); "
            "`terragon weights --reset` forgets it"
        ) from exc
    origin = "saved profile" + (f" (focus: {saved.focus})" if saved.focus else "")
    return ScoringSettings(
        weights,
        boosts,
        origin,
        level_in_force(config, stored_level),
        saved.focus,
        _security_from(config),
    )
