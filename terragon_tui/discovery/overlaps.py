"""One defect, one item: where two tools report the same thing at the same place, the
backlog keeps one of them.

ruff's undefined name (F821) is mypy's `name-defined`, ruff's redefinition (F811) mypy's
`no-redef`: at one line of one file they are one defect, and the lint item (which needs no
configuration to appear, and says whether `ruff check --fix` fixes it) stands for both. The
other finding is left out with its reason, counted like every suppression.
"""

from __future__ import annotations

from collections.abc import Iterable

from .finding import Finding, Suppressed

#: (source, rule) -> the (source, rule) that reports the same defect and is kept instead.
SAME_DEFECT: dict[tuple[str, str], tuple[str, str]] = {
    ("types", "name-defined"): ("lint", "F821"),
    ("types", "no-redef"): ("lint", "F811"),
}


def drop_repeats(findings: Iterable[Finding]) -> tuple[list[Finding], list[Suppressed]]:
    """The findings without those another source reports at the same place, and those."""
    findings = list(findings)
    kept_at = {(f.source, f.rule, f.path, f.line) for f in findings if f.line is not None}
    kept: list[Finding] = []
    dropped: list[Suppressed] = []
    for finding in findings:
        instead = SAME_DEFECT.get((finding.source, finding.rule))
        if instead is not None and (*instead, finding.path, finding.line) in kept_at:
            reason = f"also {instead[0]} {instead[1]} at this place"
            dropped.append(
                Suppressed(finding.source, finding.rule, finding.path, finding.line, reason)
            )
        else:
            kept.append(finding)
    return kept, dropped
