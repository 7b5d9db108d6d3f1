"""The quality gate's conditions (`terragon check --fail-on`): parsed, then judged on items.

A condition is `SCOPE:FIELD OP VALUE`:
- SCOPE is `new` (what the branch introduces since its base), `worse` (what it worsens)
  or `open` (the backlog's open items, as the last scan left them);
- FIELD is `severity` (VALUE low, medium or high), `score` (VALUE 0-100): the condition
  holds when one item of the scope has it; or `count`, or a category name (`security`,
  `technical-debt`...): the condition holds when the number of items (of that category)
  compares so with VALUE, a whole number;
- OP is one of >=, >, <=, <, ==, !=.

`target:NAME` (no OP or VALUE) holds when the success indicator NAME of
`[tool.terragon.targets]` is not met; `target:all` when any of them is not.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..config.keys import TARGETS
from ..core.errors import UsageError
from ..core.vocabulary import CATEGORIES

SCOPES = ("new", "worse", "open")
#: Fields judged item by item; every other field counts items.
ITEM_FIELDS = ("severity", "score")
FIELDS = (*ITEM_FIELDS, "count", *CATEGORIES)
#: Severity words in order; an item without a security severity has none (0).
SEVERITIES = ("low", "medium", "high")
OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
}
_TARGET = re.compile(r"^\s*target\s*:\s*([a-z_]+)\s*$", re.IGNORECASE)
_SHAPE = re.compile(r"^\s*([a-z]+)\s*:\s*([a-z-]+)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$", re.IGNORECASE)
#: How each scope names its items in a reason.
_SCOPE_WORDS = {"new": "new", "worse": "worsened", "open": "open"}
#: The most items a reason names.
NAMED = 3
GRAMMAR = (
    "SCOPE:FIELD OP VALUE; SCOPE new, worse or open; FIELD severity (low|medium|high), "
    f"score (0-100), count or a category ({', '.join(CATEGORIES)}); OP >=, >, <=, <, ==, !=; "
    "or target:NAME (a success indicator of [tool.terragon.targets]) or target:all"
)


@dataclass(frozen=True)
class GateItem:
    """An item as the gate judges it: its name, category, severity rank and score."""

    name: str  # "SEC-001 title" or the finding's title
    where: str
    category: str
    severity: int  # 0 none, 1 low, 2 medium, 3 high
    score: float


@dataclass(frozen=True)
class Condition:
    """One parsed `--fail-on` condition."""

    text: str
    scope: str
    field: str
    op: str
    value: float

    def holds(self, items: Sequence[GateItem]) -> str | None:
        """The reason this condition holds over the scope's `items`, in one line, or None."""
        compare = OPERATORS[self.op]
        scope = _SCOPE_WORDS[self.scope]
        if self.field in ITEM_FIELDS:
            key = "severity" if self.field == "severity" else "score"
            hits = [i for i in items if _has(i, key) and compare(getattr(i, key), self.value)]
            if not hits:
                return None
            what = f"{len(hits)} {scope} item{'s' if len(hits) != 1 else ''}"
            return f"{self.text}: {what}: {_named(hits)}"
        chosen = items if self.field == "count" else [i for i in items if i.category == self.field]
        if not compare(len(chosen), self.value):
            return None
        kind = "" if self.field == "count" else f" {self.field}"
        what = f"{len(chosen)} {scope}{kind} item{'s' if len(chosen) != 1 else ''}"
        return f"{self.text}: {what}" + (f": {_named(chosen)}" if chosen else "")


def _has(item: GateItem, key: str) -> bool:
    return key != "severity" or item.severity > 0


def _named(items: Sequence[GateItem]) -> str:
    ranked = sorted(items, key=lambda item: -item.score)
    shown = [f"{item.name} ({item.where})" if item.where else item.name for item in ranked[:NAMED]]
    more = f" and {len(items) - NAMED} more" if len(items) > NAMED else ""
    return "; ".join(shown) + more


def _value(field: str, raw: str, text: str) -> float:
    if field == "severity":
        word = raw.lower()
        if word not in SEVERITIES:
            raise UsageError(f"bad condition {text!r}: severity is one of {', '.join(SEVERITIES)}")
        return float(SEVERITIES.index(word) + 1)
    try:
        number = float(raw)
    except ValueError:
        raise UsageError(f"bad condition {text!r}: {raw!r} is not a number") from None
    if field == "score":
        if not 0 <= number <= 100:
            raise UsageError(f"bad condition {text!r}: a score is from 0 to 100")
        return number
    if number < 0 or not number.is_integer():
        raise UsageError(f"bad condition {text!r}: a {field} count is a whole number, 0 or more")
    return number


def parse_condition(text: str) -> Condition:
    """A condition from its text, or a UsageError saying what is wrong and the grammar."""
    target = _TARGET.match(text)
    if target is not None:
        name = target.group(1).lower()
        if name != "all" and name not in TARGETS:
            raise UsageError(
                f"bad condition {text!r}: target is all or one of {', '.join(TARGETS)}"
            )
        return Condition(f"target:{name}", "target", name, "", 0.0)
    found = _SHAPE.match(text)
    if found is None:
        raise UsageError(f"bad condition {text!r}: expected {GRAMMAR}")
    scope, field, op, raw = found.groups()
    scope, field = scope.lower(), field.lower()
    if scope not in SCOPES:
        raise UsageError(f"bad condition {text!r}: scope is one of {', '.join(SCOPES)}")
    if field not in FIELDS:
        raise UsageError(f"bad condition {text!r}: field is one of {', '.join(FIELDS)}")
    canonical = f"{scope}:{field}{op}{raw}"
    return Condition(canonical, scope, field, op, _value(field, raw, text))


def parse_conditions(values: Iterable[str]) -> list[Condition]:
    """Every condition of `--fail-on` values, each of which may hold several, comma-separated."""
    conditions = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                conditions.append(parse_condition(part))
    if not conditions:
        raise UsageError(f"no condition given: --fail-on takes {GRAMMAR}")
    return conditions


def severity_rank(word: str | None) -> int:
    """0 for none, then 1, 2, 3 for low, medium and high."""
    return SEVERITIES.index(word) + 1 if word in SEVERITIES else 0
