"""The planning sections of the backlog document, in the seed's words: achievements, current
vs target, the four DORA keys, the roadmap, technical debt, success indicators, next actions.

Every text from the repository (keys, titles, paths) is escaped for Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..backlog.assessment import INDICATOR_LABELS
from ..backlog.delivery import DeliveryMetrics
from ..backlog.planning import Planning
from ..backlog.roadmap import Placed, Roadmap
from ..core.text import markdown_inline as md

#: Phases the document spells out; the rest of the roadmap is summed up in one line.
PHASES_SHOWN = 3
ITEMS_PER_PHASE = 8


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def achievements(plan: Planning) -> list[str]:
    """### 🏆 Key Achievements Already in Place."""
    lines = ["### 🏆 Key Achievements Already in Place"]
    if not plan.practices:
        return [*lines, "- No scan has audited the repository yet: run `terragon scan`.", ""]
    found = plan.achievements
    lines += [f"- ✅ **{label}**: {meaning}" for label, meaning in found]
    if not found:
        lines.append("- None of the audited practices is in place yet.")
    return [*lines, ""]


def current_vs_target(plan: Planning) -> list[str]:
    """### 📊 Current State vs. Target State, one row per audited practice."""
    lines = ["### 📊 Current State vs. Target State", ""]
    if not plan.states:
        return [*lines, "No scan has audited the repository yet.", ""]
    lines += ["| Practice | Current | Target | Gap |", "|--------|---------|---------|-----|"]
    for state in plan.states:
        lines.append(f"| {state.label} | {state.current} | {state.target} | {state.gap:.0%} |")
    return [*lines, ""]


def _days(hours: float | None) -> str:
    if hours is None:
        return "not enough history"
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"


def dora(delivery: DeliveryMetrics | None) -> list[str]:
    """### 🚀 DORA Metrics (from git): the four keys, or why one cannot be measured."""
    weeks = len(delivery.weeks) if delivery is not None else 0
    lines = [f"### 🚀 DORA Metrics (from git, the last {weeks} weeks)", ""]
    if delivery is None or delivery.status != "ok":
        reason = delivery.notes()[0] if delivery is not None else "Delivery was not measured."
        return [*lines, md(reason), ""]
    if delivery.releases_per_week is None:
        frequency = "not enough history (no tags)"
    else:
        frequency = (
            f"{delivery.releases_per_week:.2f} releases per week "
            f"({delivery.releases} in {weeks} weeks)"
        )
    if delivery.change_failure_rate is None:
        failure = "not enough history"
    else:
        failure = (
            f"{delivery.change_failure_rate:.0%} ({len(delivery.failures)} of "
            f"{len(delivery.judged)} releases needed a fix release)"
        )
    restore = (
        _days(delivery.time_to_restore_median)
        if delivery.failures
        else "not enough history (no failed release)"
    )
    lines += [
        f"- **Deployment Frequency**: {frequency}",
        f"- **Lead Time for Changes**: {_days(delivery.lead_time_median)} "
        "(median, commit to release)",
        f"- **Change Failure Rate**: {failure}",
        f"- **Time to Restore Service**: {restore}",
        "",
        "*Releases are tags. A release failed when the next release, within 14 days, is a fix "
        "release: a patch release (1.4.0 → 1.4.1) or one whose own commits include a revert "
        "or a hotfix. Time to restore runs from the failed release to that fix release.*",
        "",
    ]
    return lines


def _item(p: Placed) -> str:
    item = p.entry.item
    after = f" (after {', '.join(md(k) for k in p.waited_for)})" if p.waited_for else ""
    return f"- [ ] **[{md(item.key)}]** {md(item.title)} — {_hours(item.estimated_hours)} h{after}"


def _weeks(first: int, last: int) -> str:
    return f"Week {first}" if first == last else f"Weeks {first}-{last}"


def roadmap(plan: Roadmap) -> list[str]:
    """## 🎯 Implementation Roadmap: the first phases with their items, hours and value."""
    cap = plan.capacity
    lines = [
        "## 🎯 Implementation Roadmap",
        "",
        f"*Capacity: {_hours(cap.hours_per_week)} hours a week, {cap.weeks_per_phase}-week "
        f"phases ({md(cap.origin)}); {_hours(plan.hours)} hours of open work in "
        f"{plan.span}.*",
        "",
    ]
    if not plan.phases:
        return [*lines, "No open items to plan.", "", "---", ""]
    for phase in plan.phases[:PHASES_SHOWN]:
        categories = ", ".join(name.replace("-", " ") for name in phase.categories[:3])
        lines += [
            f"### **Phase {phase.number}: {_weeks(phase.first_week, phase.last_week)}** "
            f"- {phase.priority.capitalize()}",
            f"**Focus**: {categories}",
            "",
        ]
        lines += [_item(p) for p in phase.items[:ITEMS_PER_PHASE]]
        if len(phase.items) > ITEMS_PER_PHASE:
            lines.append(f"- … and {len(phase.items) - ITEMS_PER_PHASE} more")
        lines += [
            "",
            f"**Expected Value Delivery**: {len(phase.items)} items, "
            f"{_hours(phase.hours)} hours, value {phase.value:.1f} (composite score)",
            "",
        ]
    rest = plan.phases[PHASES_SHOWN:]
    if rest:
        items = sum(len(phase.items) for phase in rest)
        hours = sum(phase.hours for phase in rest)
        lines += [
            f"*Later: {len(rest)} more phases, {items} items, {_hours(hours)} hours "
            "(`terragon roadmap` lists them all).*",
            "",
        ]
    if plan.cycles:
        lines += [
            f"*Links that loop were set aside for: {', '.join(md(k) for k in plan.cycles)}.*",
            "",
        ]
    return [*lines, "---", ""]


def technical_debt(plan: Planning) -> list[str]:
    """### 🔍 Technical Debt Assessment."""
    debt = plan.debt
    lines = ["### 🔍 Technical Debt Assessment"]
    if debt.rating is not None and debt.ratio is not None:
        lines.append(
            f"**Debt Rating**: **{debt.rating}** (debt ratio {debt.ratio:.1f}%: "
            f"{_hours(debt.remediation_hours)} hours of remediation for "
            f"{debt.code_lines:,} lines of code at 30 minutes a line)"
        )
    else:
        lines.append(
            f"**Remediation**: {_hours(debt.remediation_hours)} hours (the debt ratio needs a "
            "full scan that counted lines of code)"
        )
    lines += [
        f"- {debt.debt_items} open technical-debt items; "
        f"{_hours(debt.all_open_hours)} hours across the whole open backlog",
    ]
    if debt.hottest:
        lines.append("- Hottest files:")
        lines += [
            f"  - {md(path)}: {_hours(hours)} h in {count} item{'s' * (count != 1)}"
            for path, hours, count in debt.hottest
        ]
    if len(debt.trend) >= 2:
        first, last = debt.trend[0], debt.trend[-1]
        direction = "down" if last[1] < first[1] else "up" if last[1] > first[1] else "flat"
        lines.append(
            f"- Trend over the last {len(debt.trend)} full scans: {_hours(first[1])} → "
            f"{_hours(last[1])} hours ({direction})"
        )
    else:
        lines.append("- Trend: not enough history (it needs two full scans)")
    return [*lines, ""]


def success_indicators(plan: Planning) -> list[str]:
    """### 🚀 Success Indicators: each target of `[tool.terragon.targets]`, met or not."""
    lines = ["### 🚀 Success Indicators"]
    if not plan.indicators:
        return [
            *lines,
            "No targets set: add them under `[tool.terragon.targets]` "
            '(e.g. `open_security = 0`, `debt_rating = "A"`, `lead_time_days = 1`).',
            "",
        ]
    lines.append("**Repository will be considered successful when**:")
    for indicator in plan.indicators:
        mark = {True: "[x]", False: "[ ]", None: "[ ]"}[indicator.met]
        state = {True: "met", False: "not met", None: "unknown"}[indicator.met]
        lines.append(
            f"- {mark} {INDICATOR_LABELS[indicator.name]} {indicator.wanted} "
            f"(now: {indicator.shown}; {state})"
        )
    return [*lines, ""]


def next_actions(plan: Roadmap) -> list[str]:
    """## 🎯 Next Actions: immediate, this week, this month, from the roadmap."""
    actions = plan.next_actions()
    lines = ["## 🎯 Next Actions", ""]
    titles = {
        "immediate": "### Immediate (Next 24 Hours)",
        "this_week": "### This Week",
        "this_month": "### This Month",
    }
    for name, title in titles.items():
        lines.append(title)
        entries = actions[name]
        for number, p in enumerate(entries, 1):
            item = p.entry.item
            lines.append(
                f"{number}. **[{item.priority.upper()}]** [{md(item.key)}] {md(item.title)} "
                f"({_hours(item.estimated_hours)} h)"
            )
        if not entries:
            lines.append("Nothing planned." if name != "immediate" else "No open items.")
        lines.append("")
    return [*lines, "---", ""]


def execution_protocol(schedule: Mapping[str, str | bool]) -> list[str]:
    """## 🎯 Autonomous Execution Protocol: the cadence `terragon schedule` installs."""
    from ..core.cadence import cadences

    lines = ["## 🎯 Autonomous Execution Protocol", "", "### **Value Discovery Cycle**", "```bash"]
    commands = {
        "security": "terragon schedule run --kind security",
        "full": "terragon schedule run --kind full",
        "architecture": "terragon schedule run --kind architecture",
        "calibrate": "terragon schedule run --kind calibrate",
    }
    for cadence in cadences(schedule):
        lines.append(f"# {cadence.job.key.capitalize()}: {cadence.job.what}")
        if cadence.cron is None:
            lines.append("# (turned off in [tool.terragon.schedule])")
        else:
            lines.append(f"{cadence.cron} {commands[cadence.job.kind]}")
        lines.append("")
    lines[-1] = "```"
    lines += [
        "",
        "*`terragon schedule --install` sets these up as systemd user timers "
        "(`--print --cron` prints crontab lines); `[tool.terragon.schedule]` changes them.*",
        "",
    ]
    return lines


def contributing() -> list[str]:
    """## 🤝 Contributing to Value Discovery: the commands a developer and a maintainer use."""
    return [
        "## 🤝 Contributing to Value Discovery",
        "",
        "### For Developers",
        "```bash",
        "terragon next                                  # the next best value item",
        "terragon complete ID --hours H --impact NOTES  # a completed item, with its impact",
        'terragon suggest --category C --title "..."    # a new value opportunity',
        "```",
        "",
        "### For Maintainers",
        "```bash",
        "terragon report value --period month           # value metrics and trends",
        "terragon weights --focus security              # re-weight for the team's priorities",
        "terragon report stakeholder -o report.pdf      # the stakeholder report",
        "terragon roadmap                               # the plan by capacity",
        "```",
        "",
        "---",
        "",
    ]
