"""Small rules several handlers share: model lookup, usage, timestamps, ids."""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING, Any

from ._errors import NotFound

if TYPE_CHECKING:
    from ._registry import Call


def now() -> int:
    return int(time.time())


def require_model(call: Call, model: Any, param: str = "model") -> str:
    """``model`` if the catalogue (or a fine-tune) has it, else OpenAI's 404."""
    if not isinstance(model, str) or not call.store.has_model(model):
        raise NotFound(f"The model '{model}' does not exist", param=param, code="model_not_found")
    return model


def usage(call: Call, prompt_tokens: int, completion_tokens: int | None = None) -> dict[str, int]:
    """A ``usage`` object that adds up (one too many with ``usage_mismatch``)."""
    total = prompt_tokens + (completion_tokens or 0)
    if call.has("usage_mismatch"):
        total += 1
    out = {"prompt_tokens": prompt_tokens}
    if completion_tokens is not None:
        out["completion_tokens"] = completion_tokens
    out["total_tokens"] = total
    return out


def value(body: dict[str, Any], name: str, default: Any) -> Any:
    """A body field, with ``null`` read as the default (the API treats them alike)."""
    found = body.get(name)
    return default if found is None else found


def listing(items: list[Any]) -> dict[str, Any]:
    return {"object": "list", "data": items}


_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def derived_id(prefix: str, number: int, length: int = 24, sep: str = "-") -> str:
    """``<prefix><sep><random-looking chars>``, the same for the same number: ids that look
    like OpenAI's (``file-...``, ``batch_...``) and repeat from run to run."""
    digest = int.from_bytes(hashlib.sha256(f"{prefix}:{number}".encode()).digest(), "big")
    chars = []
    for _ in range(length):
        digest, rest = divmod(digest, len(_ALPHABET))
        chars.append(_ALPHABET[rest])
    return f"{prefix}{sep}{''.join(chars)}"
