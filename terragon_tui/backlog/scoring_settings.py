"""Weights and boosts in force: defaults, then the repository's config, then what was saved."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ..core.errors import ConfigError, UsageError
from ..scoring.scale import MEDIUM, severity_floor, severity_word
from ..scoring.weights import (
    DEFAULT_LEVEL,
    MATURITY_PROFILES,
    Boosts,
    Weights,
    apply_focus,
    parse_assignments,
    split_assignments,
)
from ..store.models import WeightProfile, utcnow
from ..store.transactions import retrying
from .workspace import Workspace


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


def _security_from(ws: Workspace) -> float:
    word = ws.config.security_boost_from
    return severity_floor(word) if word else MEDIUM


def _level(ws: Workspace, session: Session) -> str:
    # A configured level was checked against MATURITY_LEVELS when the config was read.
    return ws.config.maturity or ws.repository(session).maturity_level or DEFAULT_LEVEL


def default_settings(ws: Workspace, session: Session) -> ScoringSettings:
    """The maturity profile's weights with the repository's config applied, ignoring saves."""
    level = _level(ws, session)
    weights, boosts = MATURITY_PROFILES[level], Boosts()
    origin = f"{level} maturity profile"
    if ws.config.weights or ws.config.boosts:
        where = ", ".join(ws.config.sources)
        try:
            weights = _merged_weights(weights, ws.config.weights)
            boosts = _merged_boosts(boosts, ws.config.boosts)
            weights.validate()
            boosts.validate()
        except UsageError as exc:
            raise ConfigError(f"{where}: {exc}") from exc
        origin = f"{origin} with {where}"
    return ScoringSettings(weights, boosts, origin, level, None, _security_from(ws))


def _merged_weights(base: Weights, changes: dict[str, float]) -> Weights:
    return Weights.from_mapping({**base.as_dict(), **changes})


def _merged_boosts(base: Boosts, changes: dict[str, float]) -> Boosts:
    return Boosts.from_mapping({**base.as_dict(), **changes})


def _saved(ws: Workspace, session: Session) -> WeightProfile | None:
    return session.exec(select(WeightProfile).where(WeightProfile.repo_id == ws.repo_id)).first()


def scoring_settings(ws: Workspace, session: Session) -> ScoringSettings:
    """The settings in force: the saved profile if there is one, else the defaults."""
    saved = _saved(ws, session)
    if saved is None:
        return default_settings(ws, session)
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
        weights, boosts, origin, _level(ws, session), saved.focus, _security_from(ws)
    )


@retrying
def save_settings(
    ws: Workspace, weights: Weights, boosts: Boosts, focus: str | None = None
) -> ScoringSettings:
    """Validate and save weights and boosts as the repository's profile."""
    with ws.session() as session:
        return _save(ws, session, weights, boosts, focus)


def _save(
    ws: Workspace, session: Session, weights: Weights, boosts: Boosts, focus: str | None
) -> ScoringSettings:
    weights.validate()
    boosts.validate()
    profile = _saved(ws, session) or WeightProfile(
        repo_id=ws.repo_id,
        wsjf=0,
        debt=0,
        ice=0,
        security=0,
        security_boost=0,
        compliance_boost=0,
        performance_boost=0,
    )
    for key, value in weights.as_dict().items():
        setattr(profile, key, value)
    for key, value in boosts.as_dict().items():
        setattr(profile, f"{key}_boost", value)
    profile.focus = focus
    profile.updated_at = utcnow()
    session.add(profile)
    session.flush()
    return scoring_settings(ws, session)


@retrying
def set_weights(ws: Workspace, assignments: str) -> ScoringSettings:
    """Change some weights or boosts (`"wsjf=0.5,security_boost=3"`) and save the result."""
    weight_changes, boost_changes = split_assignments(parse_assignments(assignments))
    # Read and save in one unit of work, so a change made meanwhile elsewhere is not undone.
    with ws.session() as session:
        current = scoring_settings(ws, session)
        return _save(
            ws,
            session,
            _merged_weights(current.weights, weight_changes),
            _merged_boosts(current.boosts, boost_changes),
            None,
        )


@retrying
def focus_weights(ws: Workspace, area: str) -> ScoringSettings:
    """Save the weights and boosts of a focus area (security, performance, debt, value)."""
    with ws.session() as session:
        weights, boosts = apply_focus(area, default_settings(ws, session).boosts)
        return _save(ws, session, weights, boosts, area)


@retrying
def reset_weights(ws: Workspace) -> ScoringSettings:
    """Forget the saved profile: the maturity default and the repository's config apply."""
    with ws.session() as session:
        saved = _saved(ws, session)
        if saved is not None:
            session.delete(saved)
            session.flush()
        return default_settings(ws, session)
