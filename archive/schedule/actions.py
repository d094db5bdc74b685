"""The actions a schedule can name.  Adding one is one entry in ``ACTIONS``."""

from __future__ import annotations

from archive.errors import InputError
from archive.schedule import check, recapture, refetch, seeds, verify
from archive.schedule.action import Action

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        recapture.ACTION,
        refetch.ACTION,
        check.ACTION,
        verify.ACTION,
        seeds.ACTION,
    )
}


def get_action(name: str) -> Action:
    action = ACTIONS.get(name)
    if action is None:
        known = ", ".join(sorted(ACTIONS))
        raise InputError(
            f"unknown schedule action {name!r}; known actions: {known}",
            hint=f"pick one of: {known}",
        )
    return action
