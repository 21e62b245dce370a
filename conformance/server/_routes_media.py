"""Placeholder registry (filled below)."""

from __future__ import annotations

from ._registry import Registry

routes = Registry()
