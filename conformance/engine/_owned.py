"""What the run created itself: ids later cases may use, and what cleanup deletes.

The kinds kept by name, and the pools they feed, come from the spec's profile
(files and fine-tunes for 1.x; files, fine_tuning jobs and batches for 2.x);
anything else a create made that has a ``DELETE <collection>/{id}`` is
remembered only to be deleted. The profile's cleanup also removes what jobs
made in turn: models, result files, batch output.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..checks._base import Response
from ..profiles import Housekeeping, profile_for
from ._policy import is_destructive

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec
    from openai_conformance.strategies import Case, Pools


def is_create(op: Operation) -> bool:
    """A POST to a collection (``/files``, ``/threads/{id}/runs``), not to an object or an action on one."""
    last = op.path.rstrip("/").rsplit("/", 1)[-1]
    return op.method == "POST" and not last.startswith("{") and not is_destructive(op)


class Owned:
    def __init__(self, spec: Spec, pools: Pools) -> None:
        self.pools = pools
        self.profile = profile_for(spec)
        self.ids: dict[str, list[str]] = {kind: [] for kind in self.profile.owned_kinds}
        self.elsewhere: list[tuple[str, str, str]] = []  # (delete operation, path template, id)
        self.made: set[str] = set()  # every id a create call of this run answered with
        # collection path -> (delete operation, its path template) for `<collection>/{id}`
        self.deletes = {
            op.path.rsplit("/", 1)[0]: (op.operation_id, op.path)
            for op in spec.operations
            if op.method == "DELETE" and op.path.endswith("}") and op.path.count("{") == 1
        }

    def _lists(self, kind: str) -> list[list[str]]:
        pool = self.profile.owned_kinds.get(kind)
        return [self.ids.setdefault(kind, []), *([getattr(self.pools, pool)] if pool else [])]

    def add(self, kind: str, identifier: str) -> None:
        self.made.add(identifier)
        for ids in self._lists(kind):
            if identifier not in ids:
                ids.append(identifier)

    def forget(self, kind: str, identifier: str) -> None:
        for ids in self._lists(kind):
            while identifier in ids:
                ids.remove(identifier)

    def identifiers(self) -> set[str]:
        """Ids this run may act on destructively: only what its own creates answered."""
        return set(self.made)

    def note(self, op: Operation, case: Case, response: Response) -> None:
        """Keep what a successful create answered with an id.

        A retrieve, a list or an update answers with somebody else's object just as
        well: only a create makes an object the run's own (and may later delete it).
        """
        body = response.json
        if not (200 <= response.status < 300 and isinstance(body, dict) and isinstance(body.get("id"), str)):
            return
        if not is_create(op) or body["id"] in case.path_parameters.values():
            return
        self.made.add(body["id"])
        kind = body.get("object")
        if kind in self.ids and kind != "model":
            self.add(kind, body["id"])
        elif op.method == "POST" and op.path in self.deletes:
            delete_op, template = self.deletes[op.path]
            entry = (delete_op, template, body["id"])
            if entry not in self.elsewhere:
                self.elsewhere.append(entry)

    def clean_up(self, send: Housekeeping) -> None:
        """Delete all of it; ``send`` makes one request and never raises."""
        files = self.profile.clean_up(self.ids, send)
        for file_id in dict.fromkeys(files):
            send("deleteFile", f"/files/{file_id}")
        for delete_op, template, identifier in self.elsewhere:
            send(delete_op, re.sub(r"\{[^}]+\}", identifier, template))
