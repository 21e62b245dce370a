"""Realistic ids: from the spec's examples by default, from what the run created once it has."""

from __future__ import annotations

from openai_conformance.spec import Spec
from openai_conformance.strategies import Pools, draw_cases, from_operation


def test_pools_from_the_seed_hold_its_example_ids(seed_spec: Spec) -> None:
    pools = Pools.from_spec(seed_spec)
    assert "file-XGinujblHPwGLSztz8cPS8XY" in pools.file_ids
    assert "ft-AF1WoRqd3aJAHsqc9NY7iL8F" in pools.fine_tune_ids
    assert {"davinci", "text-davinci-001", "curie"} <= set(pools.models)
    assert not [m for m in pools.models if m.startswith("VAR_")]
    assert pools == Pools.from_spec(seed_spec)  # sorted: the same every time


def test_ids_come_from_the_pool_read_at_draw_time(seed_spec: Spec) -> None:
    pools = Pools(models=["model-a"], file_ids=["file-old"], fine_tune_ids=["ft-old"])
    fine_tune = from_operation(seed_spec, seed_spec.operation("createFineTune"), pools=pools)
    retrieve = from_operation(seed_spec, seed_spec.operation("retrieveFineTune"), pools=pools)
    assert {c.json["training_file"] for c in draw_cases(fine_tune, 10, seed=1)} == {"file-old"}
    pools.file_ids[:] = ["file-new"]  # the runner uploaded a file meanwhile
    pools.fine_tune_ids.append("ft-new")
    cases = draw_cases(fine_tune, 20, seed=1)
    assert {c.json["training_file"] for c in cases} == {"file-new"}
    assert {c.json.get("model") for c in cases} <= {"model-a", None}
    assert {c.path for c in draw_cases(retrieve, 30, seed=2)} == {"/fine-tunes/ft-old", "/fine-tunes/ft-new"}


def test_binary_fields_are_files_even_when_named_like_ids(seed_spec: Spec) -> None:
    pools = Pools(file_ids=["file-abc"])
    create_file = from_operation(seed_spec, seed_spec.operation("createFile"), pools=pools)
    assert all(not isinstance(c.form["file"], str) for c in draw_cases(create_file, 10, seed=3))
    search = from_operation(seed_spec, seed_spec.operation("createSearch"), pools=pools)
    files = {c.json.get("file") for c in draw_cases(search, 40, seed=3)}
    assert files <= {"file-abc", None} and "file-abc" in files  # a string id: from the pool


def test_an_empty_pool_falls_back_to_schema_values(seed_spec: Spec) -> None:
    op = seed_spec.operation("retrieveFile")
    cases = draw_cases(from_operation(seed_spec, op, pools=Pools()), 10, seed=4)
    assert all(c.path_parameters["file_id"] for c in cases)


def test_a_property_example_in_the_pool_is_preferred(seed_spec: Spec) -> None:
    op = seed_spec.operation("createModeration")  # model: x-example text-moderation-stable
    models = [c.json["model"] for c in draw_cases(from_operation(seed_spec, op), 200, seed=5) if "model" in c.json]
    assert models.count("text-moderation-stable") > len(models) / 3
    assert len(set(models)) > 2


def test_fine_tuned_models_of_other_accounts_are_not_pooled(seed_spec: Spec) -> None:
    from openai_conformance.spec import load_spec

    for spec in (seed_spec, load_spec("openai-2.3.0-2026-08-21")):
        models = Pools.from_spec(spec).models
        assert models and not [m for m in models if m.startswith("ft:") or ":ft-" in m]
