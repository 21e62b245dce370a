"""What the run created itself: ids later cases may use, and what cleanup deletes.

Files and fine-tunes feed the id pools of the strategies; anything else a create
made that has a ``DELETE <collection>/{id}`` is remembered only to be deleted.
Cleanup also removes what created fine-tunes made in turn: models, result files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._checks_base import Response, objects_in
from ._policy import is_destructive

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec
    from openai_conformance.strategies import Case, Pools

# kind of object -> the pool of ``strategies.Pools`` its ids feed
POOLED_KINDS = {"file": "file_ids", "fine-tune": "fine_tune_ids", "model": "models"}
Housekeeping = Callable[[str, str], "Response | None"]  # (operation id, path) -> response


def is_create(op: Operation) -> bool:
    """A POST to a collection (``/files``, ``/threads/{id}/runs``), not to an object or an action on one."""
    last = op.path.rstrip("/").rsplit("/", 1)[-1]
    return op.method == "POST" and not last.startswith("{") and not is_destructive(op)


class Owned:
    def __init__(self, spec: Spec, pools: Pools) -> None:
        self.pools = pools
        self.ids: dict[str, list[str]] = {kind: [] for kind in POOLED_KINDS}
        self.elsewhere: list[tuple[str, str, str]] = []  # (delete operation, path template, id)
        self.made: set[str] = set()  # every id a create call of this run answered with
        # collection path -> (delete operation, its path template) for `<collection>/{id}`
        self.deletes = {
            op.path.rsplit("/", 1)[0]: (op.operation_id, op.path)
            for op in spec.operations
            if op.method == "DELETE" and op.path.endswith("}") and op.path.count("{") == 1
        }

    def add(self, kind: str, identifier: str) -> None:
        self.made.add(identifier)
        for ids in (self.ids[kind], getattr(self.pools, POOLED_KINDS[kind])):
            if identifier not in ids:
                ids.append(identifier)

    def forget(self, kind: str, identifier: str) -> None:
        for ids in (self.ids[kind], getattr(self.pools, POOLED_KINDS[kind])):
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
        if kind in ("file", "fine-tune"):
            self.add(kind, body["id"])
        elif op.method == "POST" and op.path in self.deletes:
            delete_op, template = self.deletes[op.path]
            entry = (delete_op, template, body["id"])
            if entry not in self.elsewhere:
                self.elsewhere.append(entry)

    def clean_up(self, send: Housekeeping) -> None:
        """Delete all of it; ``send`` makes one request and never raises."""
        models, files = list(self.ids["model"]), list(self.ids["file"])
        for fine_tune in self.ids["fine-tune"]:
            job = send("retrieveFineTune", f"/fine-tunes/{fine_tune}")
            body: Any = job.json if job is not None and isinstance(job.json, dict) else {}
            if body.get("status") in ("pending", "running"):
                send("cancelFineTune", f"/fine-tunes/{fine_tune}/cancel")
            if isinstance(body.get("fine_tuned_model"), str):
                models.append(body["fine_tuned_model"])
            files += [f["id"] for f in objects_in(body, "result_files") if isinstance(f.get("id"), str)]
        for model in dict.fromkeys(models):
            send("deleteModel", f"/models/{model}")
        for file_id in dict.fromkeys(files):
            send("deleteFile", f"/files/{file_id}")
        for delete_op, template, identifier in self.elsewhere:
            send(delete_op, re.sub(r"\{[^}]+\}", identifier, template))
