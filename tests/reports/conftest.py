"""Fixtures of the reports tests: the factory's documents, fresh for each test."""

from __future__ import annotations

from typing import Any

import factory
import pytest


@pytest.fixture
def clean() -> dict[str, Any]:
    return factory.clean_run()


@pytest.fixture
def failing() -> dict[str, Any]:
    return factory.failing_run()
