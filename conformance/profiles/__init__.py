"""Profiles: what differs between generations of the OpenAI API, one module per generation.

``profile_for(spec)`` picks the profile from the document itself: the 2.x surface
(chat completions with stored completions, Responses, batches, fine_tuning jobs)
when the document has its paths, else the 1.x legacy surface (completions,
fine-tunes, engines). The runner asks the profile for its workflows; what the run
owns and cleans up, and the request defaults the checks assume, come from it too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._defaults import request_default, request_keyword
from ._legacy import LEGACY
from ._modern import MODERN
from ._protocol import Housekeeping, Profile, Workflow

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

PROFILES: tuple[Profile, ...] = (MODERN, LEGACY)  # type: ignore[assignment]  # the first that recognises the document wins


def checks_elsewhere(profile: Profile) -> frozenset[str]:
    """The checks of the other generations: a run under ``profile`` cannot apply them."""
    return frozenset(n for p in PROFILES if p is not profile for n in p.checks) - profile.checks


def profile_for(spec: Spec) -> Profile:
    """The profile of the API generation ``spec`` describes (legacy when none claims it)."""
    return next((p for p in PROFILES if p.recognises(spec)), PROFILES[-1])


__all__ = [
    "LEGACY",
    "MODERN",
    "PROFILES",
    "Housekeeping",
    "Profile",
    "Workflow",
    "checks_elsewhere",
    "profile_for",
    "request_default",
    "request_keyword",
]
