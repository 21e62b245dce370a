"""Each fault of the 2.x surface, switched on against the newest document, shows
the wrong behaviour it names, and no other 2.x fault's."""

from __future__ import annotations

import pytest
from fault_probes_modern import MODERN_PROBES

from openai_conformance.server import FAULTS
from openai_conformance.server._faults_modern import MODERN_CATALOGUE


def test_probes_cover_the_modern_catalogue() -> None:
    assert set(MODERN_PROBES) == {name for name, _, _ in MODERN_CATALOGUE}
    assert all(FAULTS[name].check for name in MODERN_PROBES)


def test_clean_newest_server_shows_no_fault(server_230, client_for) -> None:
    client = client_for(server_230)
    assert [name for name, probe in MODERN_PROBES.items() if probe(client)] == []


@pytest.mark.parametrize("fault", sorted(MODERN_PROBES))
def test_modern_fault_shows_and_changes_nothing_else(fault, server_factory, client_for, spec_230) -> None:
    client = client_for(server_factory(faults=[fault], spec=spec_230))
    assert MODERN_PROBES[fault](client), f"{fault} did not show"
    others = [name for name, probe in MODERN_PROBES.items() if name != fault and probe(client)]
    assert others == [], f"{fault} also shows as {others}"
