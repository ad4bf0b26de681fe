"""The way of a signal (DESIGN §4): which status may follow which, checked on the server."""

from __future__ import annotations

from signalen.tables import Status

S = Status
OPEN = frozenset(set(S) - {S.afgesloten, S.niet_weerhouden})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.nieuw: frozenset({S.gebundeld, S.niet_weerhouden}),
    S.gebundeld: frozenset({S.geagendeerd, S.nieuw, S.niet_weerhouden}),
    S.geagendeerd: frozenset({S.gesignaleerd, S.in_actie, S.gebundeld, S.niet_weerhouden}),
    S.in_actie: frozenset({S.gesignaleerd, S.teruggekoppeld, S.niet_weerhouden}),
    S.gesignaleerd: frozenset({S.beantwoord, S.niet_weerhouden}),
    S.beantwoord: frozenset({S.teruggekoppeld, S.niet_weerhouden}),
    S.teruggekoppeld: frozenset({S.afgesloten, S.niet_weerhouden}),
    S.afgesloten: frozenset({S.nieuw}),
    S.niet_weerhouden: frozenset({S.nieuw}),
}

# Transitions that always need a reason: dropping a signal, and reopening one.
NEEDS_REASON = {(s, S.niet_weerhouden) for s in OPEN} | {(S.afgesloten, S.nieuw), (S.niet_weerhouden, S.nieuw)}


def refusal(current: str, target: str, reason: str) -> str | None:
    """None when the transition is allowed, otherwise the Dutch reason it is refused."""
    try:
        van, naar = Status(current), Status(target)
    except ValueError:
        return f"Onbekende status: {target!r}."
    if naar not in TRANSITIONS[van]:
        return f"Een signaal met status '{van.label}' kan niet naar '{naar.label}'."
    if (van, naar) in NEEDS_REASON and not reason.strip():
        return "Geef een toelichting bij deze statuswijziging."
    return None


def next_statuses(current: str) -> list[Status]:
    try:
        return sorted(TRANSITIONS[Status(current)], key=list(Status).index)
    except ValueError:
        return []


# The order of the way forward (DESIGN §2); `in_actie` sits beside `geagendeerd`, `niet_weerhouden` is no step.
FORWARD = (S.nieuw, S.gebundeld, S.geagendeerd, S.in_actie, S.gesignaleerd, S.beantwoord, S.teruggekoppeld,
           S.afgesloten)


def forward_path(current: str, target: str) -> list[Status]:
    """The shortest run of allowed forward steps from `current` to `target`, without `current` itself; [] when
    `current` is already at or past `target`, is dropped (`niet_weerhouden`) or unknown. A process that moves
    signals on behalf of a later stage (a nota sent for signals never on an agenda) walks every step, so the
    history shows each one and no rule of TRANSITIONS is skipped."""
    try:
        start, goal = Status(current), Status(target)
    except ValueError:
        return []
    if start not in FORWARD or goal not in FORWARD or FORWARD.index(start) >= FORWARD.index(goal):
        return []
    paths: dict[Status, list[Status]] = {start: []}
    queue = [start]
    while queue:
        here = queue.pop(0)
        if here == goal:
            return paths[here]
        for nxt in sorted(TRANSITIONS[here], key=list(Status).index):
            if nxt in FORWARD and FORWARD.index(nxt) > FORWARD.index(here) and nxt not in paths:
                paths[nxt] = [*paths[here], nxt]
                queue.append(nxt)
    return []
