"""Models and engines: the fixed catalogue plus the fine-tuned models of this run."""

from __future__ import annotations

from typing import Any

from ._catalogue import MODELS, engine_object
from ._common import listing
from ._errors import Forbidden, NotFound
from ._registry import Call, Registry

routes = Registry()


def _model_not_found(model: str, param: str = "model") -> NotFound:
    return NotFound(f"The model '{model}' does not exist", param=param, code="model_not_found")


@routes.handles("listModels")
async def list_models(call: Call) -> Any:
    return listing(list(call.store.models().values()))


@routes.handles("retrieveModel")
async def retrieve_model(call: Call) -> Any:
    model_id = call.path["model"]
    found = call.store.models().get(model_id)
    if found is None:
        raise _model_not_found(model_id)
    if call.has("models_inconsistent"):
        found = {**found, "owned_by": f"{found['owned_by']}-elsewhere"}
    return found


@routes.handles("deleteModel")
async def delete_model(call: Call) -> Any:
    model_id = call.path["model"]
    if model_id in MODELS:
        raise Forbidden(
            "You have insufficient permissions for this operation: only fine-tuned models you own can be deleted.",
            param="model",
        )
    if model_id not in call.store.fine_tuned_models:
        raise _model_not_found(model_id)
    if not call.has("delete_noop"):
        del call.store.fine_tuned_models[model_id]
    return {"id": model_id, "object": "model", "deleted": True}


@routes.handles("listEngines")
async def list_engines(call: Call) -> Any:
    return listing([engine_object(m["id"], m["owned_by"]) for m in call.store.models().values()])


@routes.handles("retrieveEngine")
async def retrieve_engine(call: Call) -> Any:
    engine_id = call.path["engine_id"]
    found = call.store.models().get(engine_id)
    if found is None:
        raise NotFound(f"No engine with id '{engine_id}'", param="engine_id")
    return engine_object(engine_id, found["owned_by"])
