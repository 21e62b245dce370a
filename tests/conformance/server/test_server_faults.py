"""Each fault, switched on, produces the wrong behaviour it names, and only that."""

from __future__ import annotations

import pytest
from fault_probes import PERVASIVE, PROBES
from fault_probes_modern import MODERN_PROBES as CHAT_PROBES
from surface2_probes import MODERN_PROBES

from openai_conformance.server import FAULTS
from openai_conformance.server._main import fault_lines


def test_probes_cover_the_whole_catalogue() -> None:
    # the 2.x faults are probed against the newest document (test_server_faults_modern, test_server_surface2_faults)
    assert set(PROBES) | set(MODERN_PROBES) | set(CHAT_PROBES) == set(FAULTS)


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) >= 20
    for name, fault in FAULTS.items():
        assert fault.name == name and fault.description
    assert len(fault_lines()) == len(FAULTS)
    assert all(line.split()[0] in FAULTS for line in fault_lines())


def test_clean_server_shows_no_fault(reference_server, client_for) -> None:
    client = client_for(reference_server)
    shown = [name for name, probe in PROBES.items() if probe(client)]
    assert shown == []


@pytest.mark.parametrize("fault", sorted(PROBES))
def test_fault_shows_and_changes_nothing_else(fault, server_factory, client_for) -> None:
    client = client_for(server_factory(faults=[fault]))
    assert PROBES[fault](client), f"{fault} did not show"
    if fault in PERVASIVE:
        return
    others = [name for name, probe in PROBES.items() if name != fault and name not in PERVASIVE and probe(client)]
    assert others == [], f"{fault} also shows as {others}"


def test_unknown_fault_is_refused() -> None:
    from openai_conformance.server import create_app

    with pytest.raises(ValueError, match="no_such_fault"):
        create_app(faults=["no_such_fault"])
