"""Weights and boosts in force, read from the store: what was saved, and the level measured.

The rules that make the settings of them are in `weights_in_force`."""

from __future__ import annotations

from sqlmodel import Session, select

from ..scoring.weights import Boosts, Weights, apply_focus, parse_assignments, split_assignments
from ..store.models import WeightProfile, utcnow
from ..store.transactions import retrying
from .weights_in_force import (
    ScoringSettings,
    configured_settings,
    merged_boosts,
    merged_weights,
    settings_in_force,
)
from .workspace import Workspace


def _level(ws: Workspace, session: Session) -> str | None:
    """The maturity level the repository's last scan measured, if any."""
    return ws.repository(session).maturity_level


def default_settings(ws: Workspace, session: Session) -> ScoringSettings:
    """The maturity profile's weights with the repository's config applied, ignoring saves."""
    return configured_settings(ws.config, _level(ws, session))


def _saved(ws: Workspace, session: Session) -> WeightProfile | None:
    return session.exec(select(WeightProfile).where(WeightProfile.repo_id == ws.repo_id)).first()


def scoring_settings(ws: Workspace, session: Session) -> ScoringSettings:
    """The settings in force: the saved profile if there is one, else the defaults."""
    return settings_in_force(ws.config, _level(ws, session), _saved(ws, session))


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
            merged_weights(current.weights, weight_changes),
            merged_boosts(current.boosts, boost_changes),
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
