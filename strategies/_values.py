"""Generators of primitive values (strings, numbers) that look like what people send.

Strings are words, not noise, so a real server's tokenizer and moderation see text;
numbers favour small values and the bounds themselves, where servers slip.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from random import Random
from typing import Any

from ._types import Gen

_WORDS = (
    "hello",
    "world",
    "this",
    "is",
    "a",
    "test",
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "lazy",
    "dog",
    "sea",
    "otter",
    "wearing",
    "beret",
    "say",
    "write",
    "poem",
    "about",
    "tokens",
    "café",
    "naïve",
    "日本語",
    "emoji",
    "🙂",
    "data",
    "model",
    "once",
    "upon",
    "time",
    "there",
    "was",
    "an",
    "API",
    "42",
    "JSON",
    "résumé",
)
# Long enough for any minLength we meet; cut to the drawn length.
_PAD = " ".join(_WORDS) + " "
_SOFT_NUMBER_SPAN = 1000
_SOFT_STRING_SPAN = 24
_LONGEST_SENT = 4096


def _text(rnd: Random, low: int, high: int) -> str:
    # Short texts mostly; now and then exactly the longest allowed, when that is sendable.
    if high <= _LONGEST_SENT and rnd.random() < 0.05:
        size = high
    else:
        size = rnd.randint(low, min(high, low + _SOFT_STRING_SPAN))
    if size > _SOFT_STRING_SPAN * 4:
        return (_PAD * (size // len(_PAD) + 1))[: size - 1] + "x"
    words: list[str] = []
    length = -1
    while length < size:
        word = rnd.choice(_WORDS)
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)[:size]
    # A cut can leave a trailing space; keep the length, avoid whitespace-only edges.
    return text if not text.endswith(" ") else text[:-1] + "x"


def _datetime(rnd: Random) -> str:
    return (
        f"20{rnd.randint(20, 29)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        f"T{rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}Z"
    )


def _uuid(rnd: Random) -> str:
    h = f"{rnd.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


# property name -> (low, high): what a real server accepts where the schema gives no
# (or a wider) range, so positive cases are not refused for values no one sends.
REALISTIC_RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0, 2),
    "top_p": (0, 1),
    "presence_penalty": (-2, 2),
    "frequency_penalty": (-2, 2),
    "logprobs": (0, 5),
    "top_logprobs": (0, 20),
    "max_tokens": (1, 512),
    "n_epochs": (1, 4),
    "batch_size": (1, 256),
    "learning_rate_multiplier": (0.02, 0.2),
    "prompt_loss_weight": (0, 1),
    "max_rerank": (1, 200),
    "max_examples": (1, 200),
    "dimensions": (1, 1536),
}
# format -> generator; formats not listed get words (validators ignore unknown formats).
FORMATS: dict[str, Callable[[Random], str]] = {
    "date-time": _datetime,
    "date": lambda r: _datetime(r)[:10],
    "time": lambda r: _datetime(r)[11:],
    "uri": lambda r: f"https://example.com/{rnd_word(r)}/{r.randint(1, 999)}",
    "url": lambda r: f"https://example.com/{rnd_word(r)}/{r.randint(1, 999)}",
    "uri-reference": lambda r: f"/{rnd_word(r)}/{r.randint(1, 999)}",
    "email": lambda r: f"{rnd_word(r, ascii_only=True)}{r.randint(1, 99)}@example.com",
    "uuid": _uuid,
    "byte": lambda r: "aGVsbG8gd29ybGQ=",
    "ipv4": lambda r: f"192.0.2.{r.randint(1, 254)}",
    "hostname": lambda r: f"{rnd_word(r, ascii_only=True)}.example.com",
}


def rnd_word(rnd: Random, *, ascii_only: bool = False) -> str:
    word = rnd.choice(_WORDS)
    return word if not ascii_only or word.isascii() and word.isalnum() else "word"


def strings(schema: dict[str, Any], draw_regex: Callable[[str, Random], str]) -> Gen:
    """A generator of strings meeting ``minLength``/``maxLength``/``format``/``pattern``."""
    low = int(schema.get("minLength", 0))
    high = int(schema.get("maxLength", low))
    pattern = schema.get("pattern")
    if "maxLength" not in schema:  # unbounded: keep it short, unless a pattern decides
        high = low + 10_000 if pattern is not None else low + _SOFT_STRING_SPAN
    if high < low:
        raise ValueError(f"minLength={low} > maxLength={high}")
    fmt = FORMATS.get(str(schema.get("format")))
    example = schema.get("x-example")
    if not (isinstance(example, str) and low <= len(example) <= high):
        example = None
    if pattern is not None:
        compiled = re.compile(pattern)

        def from_pattern(rnd: Random, depth: int) -> str:
            for _ in range(20):
                value = draw_regex(pattern, rnd)
                if low <= len(value) <= high and compiled.search(value):
                    return value
            raise ValueError(f"no string of length {low}..{high} matches pattern={pattern!r}")

        return from_pattern
    if fmt is not None:
        return lambda rnd, depth: fmt(rnd)
    if example is not None:
        return lambda rnd, depth: example if rnd.random() < 0.3 else _text(rnd, low, high)
    return lambda rnd, depth: _text(rnd, low, high)


def _bounds(schema: dict[str, Any], integer: bool) -> tuple[float, float, bool]:
    """Inclusive bounds (for integers) or bounds with an ``exclusive`` flag for floats."""
    low = schema.get("minimum", -math.inf)
    high = schema.get("maximum", math.inf)
    exclusive = False
    if "exclusiveMinimum" in schema and schema["exclusiveMinimum"] >= low:
        low = schema["exclusiveMinimum"] + (1 if integer else 0)
        exclusive = not integer
    if "exclusiveMaximum" in schema and schema["exclusiveMaximum"] <= high:
        high = schema["exclusiveMaximum"] - (1 if integer else 0)
        exclusive = not integer
    if integer:
        low = math.ceil(low) if low != -math.inf else low
        high = math.floor(high) if high != math.inf else high
    if low == -math.inf and high == math.inf:
        low, high = (0, _SOFT_NUMBER_SPAN) if integer else (-_SOFT_NUMBER_SPAN, _SOFT_NUMBER_SPAN)
    elif low == -math.inf:
        low = high - _SOFT_NUMBER_SPAN
    elif high == math.inf:
        high = low + _SOFT_NUMBER_SPAN
    if low > high:
        raise ValueError(f"minimum={low} > maximum={high}")
    return low, high, exclusive


def integers(schema: dict[str, Any]) -> Gen:
    """Integers within the bounds; a fifth of them on a bound, most of the rest small."""
    low, high, _ = _bounds(schema, integer=True)
    low, high = int(low), int(high)
    step = schema.get("multipleOf")
    if isinstance(step, int) and step > 0:
        first, last = -(-low // step), high // step
        if first > last:
            raise ValueError(f"no multiple of {step} in {low}..{high}")
        return lambda rnd, depth: step * rnd.randint(first, last)
    near = min(high, low + 16)

    def draw(rnd: Random, depth: int) -> int:
        roll = rnd.random()
        if roll < 0.1:
            return low
        if roll < 0.2:
            return high
        if roll < 0.6:
            return rnd.randint(low, near)
        return rnd.randint(low, high)

    return draw


def numbers(schema: dict[str, Any]) -> Gen:
    """Floats within the bounds (exclusive bounds never drawn), some of them round."""
    low, high, exclusive = _bounds(schema, integer=False)
    if "multipleOf" in schema:
        step = schema["multipleOf"]
        first, last = math.ceil(low / step), math.floor(high / step)
        return lambda rnd, depth: step * rnd.randint(first, last)
    inner_low = low if not exclusive else math.nextafter(low, math.inf)
    inner_high = high if not exclusive else math.nextafter(high, -math.inf)

    def draw(rnd: Random, depth: int) -> float:
        roll = rnd.random()
        if roll < 0.1 and not exclusive:
            return float(low)
        if roll < 0.2 and not exclusive:
            return float(high)
        value = round(rnd.uniform(low, high), rnd.choice((1, 2, 6)))
        return min(max(value, inner_low), inner_high)

    return draw
