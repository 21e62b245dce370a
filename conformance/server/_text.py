"""Deterministic text: tokens, a hash-seeded word generator, and log probabilities.

A *token* here is a word with the whitespace before it (``" alpha"``); trailing
whitespace is one token of its own. Usage counts, ``max_tokens`` and logprobs
all use this one definition, so that every number the server reports adds up.
"""

from __future__ import annotations

import hashlib
import random
import re
import zlib
from typing import Any

_TOKEN = re.compile(r"\s*\S+|\s+$")

# A small vocabulary: enough distinct words for logprobs alternatives (at most
# 5 + 2 are needed) and for plausible-looking text.
WORDS: tuple[str, ...] = tuple(
    "the a this is test of and to in that it was for on are with as be at by from "
    "model answer data time world light river stone cloud quick brown fox lazy dog "
    "jumps over under bright quiet green small large open close first last new old".split()
)


def tokens(text: str) -> list[str]:
    """Split ``text`` into tokens; ``"".join(tokens(t)) == t`` always."""
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    return len(tokens(text))


def seed_of(*parts: Any) -> int:
    """A stable 64-bit seed from any reprs (independent of PYTHONHASHSEED)."""
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big")


def decode_token_ids(ids: list[int]) -> str:
    """The text of a token-id prompt: each id stands for one word of ``WORDS``."""
    return "".join(f" {WORDS[i % len(WORDS)]}" for i in ids).lstrip()


def generate(seed: int, count: int) -> list[str]:
    """``count`` tokens (``" word"``) drawn deterministically from ``seed``."""
    rng = random.Random(seed)
    return [f" {word}" for word in rng.choices(WORDS, k=count)]


def cut_at_stop(text: str, stops: list[str]) -> tuple[str, str | None]:
    """``text`` cut before the earliest stop sequence, and the sequence found (or None)."""
    found: tuple[int, str] | None = None
    for stop in stops:
        if not stop:
            continue
        at = text.find(stop)
        if at >= 0 and (found is None or at < found[0]):
            found = (at, stop)
    if found is None:
        return text, None
    return text[: found[0]], found[1]


def logprob(seed: int, position: int, token: str) -> float:
    """A deterministic log probability in (-4, 0]."""
    # crc32, not seed_of's sha256: a completion with logprobs asks for ~150 of these
    key = f"{seed} {position} {token!r}".encode("utf-8", "surrogatepass")
    return -round((zlib.crc32(key) % 4000) / 1000, 3)


def logprobs_block(seed: int, pieces: list[str], top: int, *, offset: int = 0, extra: int = 0) -> dict[str, Any]:
    """The ``logprobs`` object of a choice whose text is ``"".join(pieces)``.

    ``top`` is the request's ``logprobs``: each ``top_logprobs`` entry holds the
    chosen token and ``top - 1`` alternatives (never more than ``top + 1``,
    the API's bound); ``extra`` adds more, for the ``logprobs_too_many`` fault.
    """
    token_logprobs: list[float] = []
    top_logprobs: list[dict[str, float]] = []
    text_offset: list[int] = []
    position = offset
    for index, piece in enumerate(pieces):
        chosen = logprob(seed, index, piece)
        token_logprobs.append(chosen)
        entry = {piece: chosen}
        wanted = max(top, 1) + extra
        for word in WORDS:
            if len(entry) >= wanted:
                break
            alternative = f" {word}"
            if alternative not in entry:
                entry[alternative] = round(min(chosen, logprob(seed, index, alternative)) - 0.5, 3)
        top_logprobs.append(entry)
        text_offset.append(position)
        position += len(piece)
    return {
        "tokens": list(pieces),
        "token_logprobs": token_logprobs,
        "top_logprobs": top_logprobs,
        "text_offset": text_offset,
    }
