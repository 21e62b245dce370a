"""The pytest plugin: conformance as test items in a user's own pytest run.

``pytest --oai-base-url URL`` adds one item per operation and mode (and one per
stateful workflow); an item fails with its findings. It imports nothing of the
suite until the option is given, so installing the suite costs other runs
nothing. Items are built in a fixed order, so pytest-xdist workers agree.
"""

from __future__ import annotations

from typing import Any

import pytest

_MODES = ("positive", "negative", "examples")


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("openai-conformance")
    group.addoption(
        "--oai-base-url",
        default=None,
        help="run OpenAI conformance against this base URL (e.g. http://127.0.0.1:8000/v1)",
    )
    group.addoption("--oai-spec", default="openai-1.1.0", help="spec name, path or URL (default openai-1.1.0)")
    group.addoption("--oai-api-key", default=None, help="key to send (default: env OPENAI_API_KEY)")
    group.addoption("--oai-max-examples", type=int, default=10, help="generated cases per operation and mode")
    group.addoption("--oai-seed", type=int, default=0, help="seed of the generated cases")
    group.addoption("--oai-operations", default="", help="comma-separated operation ids (default all)")
    group.addoption("--oai-modes", default="positive,negative,examples,stateful", help="comma-separated modes")
    group.addoption("--oai-timeout", type=float, default=10.0, help="seconds per request")
    group.addoption(
        "--oai-max-requests", type=int, default=None, help="requests per item (default: 2000 for non-loopback targets)"
    )
    group.addoption(
        "--oai-max-time", type=float, default=None, help="seconds per item: stop sending then (default: no limit)"
    )
    group.addoption("--oai-workers", type=int, default=2, help="concurrent requests (default 2)")
    group.addoption(
        "--oai-budget",
        choices=("auto", "on", "off"),
        default="auto",
        help="caps on max_tokens, n, ... (auto: on for non-loopback)",
    )
    group.addoption("--oai-strict-spec", action="store_true", help="do not apply the errata overlay of known spec bugs")
    group.addoption(
        "--oai-allow-destructive",
        action="store_true",
        help="allow deletes and cancels on objects the run did not create",
    )


def choices_from_config(config: Any, operations: tuple[str, ...], mode: str) -> Any:
    """What the user chose on pytest's command line, as ``openai-conformance run`` states it."""
    import os

    from openai_conformance import Choices

    return Choices(
        base_url=config.getoption("--oai-base-url"),
        api_key=config.getoption("--oai-api-key") or os.environ.get("OPENAI_API_KEY"),
        timeout=config.getoption("--oai-timeout"),
        operations=operations,
        modes=(mode,),
        max_examples=config.getoption("--oai-max-examples"),
        seed=config.getoption("--oai-seed"),
        include_deprecated=True,
        strict_spec=config.getoption("--oai-strict-spec"),
        workers=config.getoption("--oai-workers"),
        max_requests=config.getoption("--oai-max-requests"),
        max_time=config.getoption("--oai-max-time"),
        budget=config.getoption("--oai-budget"),
        allow_destructive=config.getoption("--oai-allow-destructive"),
    )


class ConformanceFailure(Exception):
    """The findings of one item, shown as the item's failure text."""


class ConformanceItem(pytest.Item):
    def __init__(self, *, operations: tuple[str, ...], mode: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.operations = operations
        self.mode = mode

    def runtest(self) -> None:
        from contextlib import ExitStack

        from openai_conformance import prepare_run
        from openai_conformance.spec import load_spec

        choices = choices_from_config(self.config, self.operations, self.mode)
        with ExitStack() as stack:
            results = prepare_run(choices, load_spec(self.config.getoption("--oai-spec")), stack).runner().run()
        problems = [
            f"{f.check}: {f.message} (expected {f.expected}, got {f.got})\n    {f.curl}"
            for f in results.findings
            if f.operation_id
        ]  # the run's own probes (operation_id "") are no item's failure
        problems += [f"{o.operation_id}: not implemented" for o in results.operations if o.status == "not_implemented"]
        problems += results.errors
        if problems:
            raise ConformanceFailure("\n".join(problems))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ConformanceFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[str, int, str]:
        return "openai-conformance", 0, self.name


def pytest_collection_modifyitems(session: Any, config: Any, items: list[Any]) -> None:
    if not config.getoption("--oai-base-url"):
        return
    from openai_conformance.profiles import profile_for
    from openai_conformance.spec import load_spec

    spec = load_spec(config.getoption("--oai-spec"))
    wanted = {o.strip() for o in config.getoption("--oai-operations").split(",") if o.strip()}
    modes = [m.strip() for m in config.getoption("--oai-modes").split(",") if m.strip()]
    for op in spec.operations:
        if wanted and op.operation_id not in wanted:
            continue
        for mode in (m for m in _MODES if m in modes):
            items.append(
                ConformanceItem.from_parent(
                    session, name=f"{op.operation_id}[{mode}]", operations=(op.operation_id,), mode=mode
                )
            )
    if "stateful" in modes:
        for name, (_, needs) in profile_for(spec).workflows.items():
            operations = needs or ("listModels", "retrieveModel", "listEngines", "retrieveEngine")
            if wanted and not set(operations) & wanted:
                continue
            items.append(
                ConformanceItem.from_parent(session, name=f"stateful[{name}]", operations=operations, mode="stateful")
            )
