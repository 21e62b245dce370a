"""One x-oaiMeta reader: the examples mode replays every curl example that parses."""

from __future__ import annotations

from openai_conformance.engine._example_cases import curl_cases, example_cases
from openai_conformance.spec import CurlParseError, load_spec, operation_examples, parse_curl
from openai_conformance.strategies import Pools

NEWEST = "openai-2.3.0-2026-08-21"


def test_every_curl_example_of_2_3_0_that_parses_is_replayed() -> None:
    spec = load_spec(NEWEST)
    pools = Pools.from_spec(spec)
    examples = [e for op in spec.operations for e in operation_examples(op, "curl")]
    parsed = []
    for example in examples:
        try:
            parsed.append(parse_curl(example.text))
        except CurlParseError:
            pass
    with_curl = {op.operation_id for op in spec.operations if operation_examples(op, "curl")}
    # 268 operations hold 310 curl examples; 308 parse, one of which elides its body ("...").
    assert (len(with_curl), len(examples), len(parsed)) == (268, 310, 308)
    replayed = [c for op in spec.operations for c in curl_cases(spec, op, pools)]
    assert len(replayed) == 307
    assert {op.operation_id for op in spec.operations if op.meta and op.meta.examples.get("curl")} == with_curl


def test_create_chat_completion_replays_its_five_titled_examples() -> None:
    spec = load_spec(NEWEST)
    op = spec.operation("createChatCompletion")
    titles = [b.title for b in op.meta.blocks]
    assert titles == ["Default", "Image input", "Streaming", "Functions", "Logprobs"]
    cases = [c for c in example_cases(spec, op, Pools.from_spec(spec)) if c.mode == "example"]
    assert len(cases) == 5
    assert [c.streams for c in cases] == [False, False, True, False, False]
    assert "tools" in cases[3].json and cases[4].json.get("logprobs") is True


def test_the_seed_still_has_one_curl_and_its_parameters_variants() -> None:
    spec = load_spec("openai-1.1.0")
    pools = Pools.from_spec(spec)
    assert sum(len(curl_cases(spec, op, pools)) for op in spec.operations) == 25
    modes = [c.mode for c in example_cases(spec, spec.operation("createCompletion"), pools)]
    assert modes[0] == "example" and {"example:n", "example:stop", "example:logprobs"} <= set(modes)
