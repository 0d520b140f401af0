"""The cleanup screen's words: its scope line, the confirmation's lines, and what a removal did."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from dockertui.backend.cleanup import CATEGORY_TITLES, CleanupItem, CleanupResult, LabelFilter
from dockertui.formatting import ERROR, ERROR_DETAIL, SUCCESS, safe_text, size, themed
from dockertui.widgets.theme_roles import STATE_WAITING, RoleStyle, no_roles


def describe_filter(label_filter: LabelFilter | None, host: str = "") -> Text:
    """The scope line: what the screen is restricted to (in a fleet: which engine), as literal text."""
    if not label_filter:
        return Text(f"Everything on {host or 'this engine'}", style="dim")
    labels = ", ".join(f"{key}={value}" for key, value in sorted(label_filter.items()))
    return Text.assemble(("Only objects labelled ", "dim"), safe_text(labels, style="bold"))


def confirm_lines(chosen: list[CleanupItem], roles: RoleStyle = no_roles) -> list[Text]:
    """Per category: how many and how much; then what cannot go as ticked."""
    lines = []
    for kind, title in CATEGORY_TITLES.items():
        items = [item for item in chosen if item.kind == kind]
        if items:
            lines.append(Text.assemble((f"{title}: ", "bold"), f"{len(items)} · {size(sum(i.size for i in items))}"))
    gone = {item.id for item in chosen}
    blocked = [item for item in chosen if any(need not in gone for need in item.needs)]
    if blocked:
        lines.append(Text(f"{len(blocked)} of them need stopped containers you did not tick; they will fail:",
                          style=roles(STATE_WAITING)))
        lines.extend(Text.assemble("  ", safe_text(item.name)) for item in blocked)
    return lines


def render_result(result: CleanupResult) -> Content:
    """"Reclaimed X" per category, then each failure with the engine's reason."""
    parts: list[Content | tuple[str, str] | str] = [("Reclaimed ", "bold"), (size(result.total_reclaimed), SUCCESS)]
    for kind, title in CATEGORY_TITLES.items():
        removed = [item for item in result.removed if item.kind == kind]
        failed = [f for f in result.failures if f.item.kind == kind]
        if removed or failed:
            parts.append(f"\n{title}: removed {len(removed)}, reclaimed {size(result.reclaimed_for(kind))}")
            if failed:
                parts.append((f", {len(failed)} failed", ERROR_DETAIL))
    for failure in result.failures:
        parts += [("\n✗ ", ERROR), themed(failure.item.name, "bold"), ": ", themed(failure.reason)]
    return Content.assemble(*parts)


def total_line(plans: dict, chosen: dict, per_engine: bool) -> Text:
    """What is ticked and what could go: per engine in a fleet, then the grand total."""
    def part(items: list[CleanupItem]) -> str:
        return f"{len(items)} object(s), {size(sum(item.size for item in items))}"

    every = [item for plan in plans.values() for item in plan.items]
    ticked = [item for items in chosen.values() for item in items]
    text = Text.assemble(("Ticked: ", "bold"), part(ticked), ("  ·  reclaimable in all: ", "dim"), part(every))
    if per_engine:
        for host, plan in plans.items():
            text.append(f"\n{host}: ", style="bold")
            text.append(f"ticked {part(chosen.get(host, []))} of {part(list(plan.items))}")
    text.append("  ·  space ticks, enter removes", style="dim")
    return text
