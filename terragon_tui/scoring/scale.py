"""The fixed 0-100 scale: boosted composites mapped onto it, and severity's place on it.

A boosted composite can reach far above 100 (base × security × compliance × performance
boosts), so raw numbers mean nothing outside one repository and one weight profile. Two
steps put every score on one scale:

1. **Mapping.** Up to KNEE a composite keeps its value; above it the score approaches 100
   without reaching it: `KNEE + (100 - KNEE) × (1 - e^(-(x - KNEE) / (100 - KNEE)))`. The
   curve is continuous with slope 1 at the knee, so order is kept and nothing ties at a cap.
2. **Severity.** An item with a security severity is placed by it: a LOW one (severity below
   MEDIUM) within 0-LOW_BAND (a tenth of its score), a MEDIUM or HIGH one at LOW_BAND or
   above (its score, raised to LOW_BAND if below). So no LOW finding outranks a MEDIUM or
   HIGH one, whatever its job size or the weights; items without a severity use the whole
   scale, on the same footing as MEDIUM and HIGH ones.
"""

from __future__ import annotations

import numpy as np

#: Composites up to this keep their value on the scale.
KNEE = 50.0
#: LOW-severity findings score within 0 and this; MEDIUM and HIGH ones above it.
LOW_BAND = 10.0
#: Where each severity word starts on the 0-10 security severity scale.
SEVERITY_FLOORS = (("high", 9.0), ("medium", 6.0), ("low", 0.0))
MEDIUM = 6.0
HIGH = 9.0


def severity_word(severity: float) -> str | None:
    """low, medium or high for a security severity (0-10); None when the item has none."""
    if severity <= 0:
        return None
    return next(word for word, floor in SEVERITY_FLOORS if severity >= floor)


def severity_floor(word: str) -> float:
    """The security severity (0-10) where a severity word starts: medium is 6."""
    return dict(SEVERITY_FLOORS)[word]


def mapped(boosted: np.ndarray) -> np.ndarray:
    """Boosted composites (0 and up) on the 0-100 scale, before severity places them."""
    room = 100.0 - KNEE
    above = KNEE + room * -np.expm1(-(boosted - KNEE) / room)
    return np.where(boosted <= KNEE, boosted, above)


def placed(on_scale: np.ndarray, severity: np.ndarray) -> np.ndarray:
    """Scores placed by severity: LOW within 0-LOW_BAND, MEDIUM and up at LOW_BAND or above."""
    low = on_scale * (LOW_BAND / 100.0)
    higher = np.maximum(on_scale, LOW_BAND)
    return np.where(severity <= 0, on_scale, np.where(severity < MEDIUM, low, higher))


def final_scores(boosted: np.ndarray, severity: np.ndarray) -> np.ndarray:
    """Boosted composites as final scores on the fixed 0-100 scale."""
    return placed(mapped(boosted), severity)


def final_score(boosted: float, severity: float) -> float:
    """One item's final score, computed exactly as `final_scores` does for many."""
    return float(final_scores(np.array([boosted]), np.array([severity]))[0])


def placement(on_scale: float, severity: float) -> str:
    """How severity placed a score, for the breakdown; empty when it has no severity."""
    word = severity_word(severity)
    if word is None:
        return ""
    final = final_score_of_mapped(on_scale, severity)
    if word == "low":
        share = LOW_BAND / 100
        return f"severity low: within 0-{LOW_BAND:g}: {on_scale:.2f} × {share:g} = {final:.2f}"
    if on_scale >= LOW_BAND:
        return ""  # placed where it is: nothing to explain
    return f"severity {word}: at least {LOW_BAND:g} = {final:.2f}"


def final_score_of_mapped(on_scale: float, severity: float) -> float:
    """The final score of one item already mapped onto the scale."""
    return float(placed(np.array([on_scale]), np.array([severity]))[0])
