"""The ``Profile`` protocol: one small interface, one implementation per API generation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from openai_conformance.checks._base import Response
    from openai_conformance.spec import Spec

Workflow = Callable[[Any], None]  # over a ``Driver`` (the runner)
Housekeeping = Callable[[str, str], "Response | None"]  # (operation id, path) -> response, never raising


class Profile(Protocol):
    """What one generation of the API adds to the generic runner.

    ``owned_kinds`` maps the ``object`` of what a create answers (``file``,
    ``fine_tuning.job``) to the id pool of ``strategies.Pools`` it feeds (or
    ``None``: kept for cleanup only). ``clean_up`` removes what the run made and
    what that made in turn (a job's model and result files, a batch's output).
    """

    name: str
    owned_kinds: Mapping[str, str | None]
    embedding_dimensions: Mapping[str, int]  # model -> documented dimension
    checks: frozenset[str]  # checks only this generation's surface can meet (a 1.x run never applies 2.x ones)

    @property
    def workflows(self) -> Mapping[str, tuple[Workflow, tuple[str, ...]]]:
        """Name -> (workflow, the operations it needs)."""
        ...

    def recognises(self, spec: Spec) -> bool: ...

    def clean_up(self, ids: Mapping[str, list[str]], send: Housekeeping) -> list[str]:
        """Cancel and delete what ``ids`` (kind -> ids) holds; returns the file ids left to delete."""
        ...
