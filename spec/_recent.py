"""A small thread-safe memo that keeps only the most recently used entries.

The reference server keeps what each uploaded image decoded to in one. Compiled jsonschema-rs validators are kept in one: each holds its own copy of every
schema its ``$ref``s reach (~0.1 MiB, several MiB for the Responses API), so keeping all
1,160 of the 2.3.0 document's took 125 MiB; a run visits operations one after another,
and building one again costs ~0.3 ms.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """``get(key, build)``: the value kept for ``key``, or ``build()``'s, keeping at most ``size``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()  # the runner's workers are threads sharing one Spec

    def get(self, key: K, build: Callable[[], V]) -> V:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = build()  # outside the lock: two threads may both build, and either result is right
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
