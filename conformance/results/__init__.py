"""The results of a run, typed: the one contract between running and reporting.

The runner returns a ``RunResult`` and reports render one; ``to_document()`` is its JSON
(docs/results.md, validated by reports/schema/results.schema.json, whose enums a test
holds to the enums here); ``from_document`` reads one back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from enum import Enum, IntEnum
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TypeVar

_T = TypeVar("_T")

FORMAT = "openai-conformance/results"
FORMAT_VERSION = 1
try:
    SUITE_VERSION = version("openai-conformance")
except PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
    SUITE_VERSION = "0.0.0"


class ExitCode(IntEnum):
    """Every exit code of the command line, in one place."""

    OK = 0  # conformant, or incomplete with no finding (a budget the user set was spent)
    FINDINGS = 1  # findings, or operations not implemented
    USAGE = 2  # bad arguments, a bad spec, or every request refused for the key
    UNREACHABLE = 3  # the target did not answer
    INTERNAL = 70  # EX_SOFTWARE: a bug of ours cut part of the run
    INTERRUPTED = 130  # Ctrl-C or SIGTERM: cleanup done, results so far written


class Verdict(str, Enum):
    CONFORMANT = "conformant"
    NONCONFORMANT = "nonconformant"
    UNREACHABLE = "unreachable"
    INTERRUPTED = "interrupted"
    INCOMPLETE = "incomplete"


class OperationStatus(str, Enum):
    """How one operation fared; the two last mean no check ran on it (no score, never 100 %)."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    NOT_IMPLEMENTED = "not_implemented"

    @property
    def ran(self) -> bool:
        return self not in (OperationStatus.SKIPPED, OperationStatus.NOT_IMPLEMENTED)


class CheckSource(str, Enum):
    """Where a check's rule comes from (the catalogue's ``source``)."""

    SPEC = "spec"
    CONVENTION = "convention"
    SEMANTICS = "semantics"


class BodyKind(str, Enum):
    """What a recorded request's or response's body is (``body_kind``): how a report shows it."""

    JSON = "json"
    TEXT = "text"
    BINARY = "binary"
    MULTIPART = "multipart"
    NONE = "none"


class LintSeverity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class CaseAuth(str, Enum):
    """The key a kept case was sent with (``request.case.auth``), so ``replay`` sends the same."""

    KEY = "key"
    NONE = "none"
    WRONG = "wrong"


@dataclass(frozen=True)
class Ending:
    """How a run ended, as the runner saw it; ``judge`` turns it into the verdict."""

    unreachable: bool = False
    interrupted: bool = False
    refused: bool = False  # every request was answered 401
    broken: bool = False  # a step ended in an internal error
    budget_spent: bool = False  # stopped by --max-requests


def judge(ending: Ending, findings: int, not_implemented: int) -> tuple[Verdict, ExitCode]:
    """The verdict and exit code of a run: the only place either is decided (``findings``: errors only)."""
    found = bool(findings or not_implemented)
    if ending.unreachable:
        return Verdict.UNREACHABLE, ExitCode.UNREACHABLE
    if ending.interrupted:
        return Verdict.INTERRUPTED, ExitCode.INTERRUPTED
    if ending.refused:
        return Verdict.NONCONFORMANT, ExitCode.USAGE  # nothing was tested
    if ending.broken and not found:
        return Verdict.INCOMPLETE, ExitCode.INTERNAL  # never "conformant"
    if ending.budget_spent and not found:
        return Verdict.INCOMPLETE, ExitCode.OK
    if found:
        return Verdict.NONCONFORMANT, ExitCode.FINDINGS
    return Verdict.CONFORMANT, ExitCode.OK


@dataclass(frozen=True)
class Finding:
    """One check's verdict against one response: what was expected, what came, how to send it again."""

    id: str
    fingerprint: str
    check: str
    operation_id: str
    mode: str
    seed: int | None
    rule: dict[str, str] | None
    message: str
    expected: str | None
    got: str | None
    pointer: str
    schema_pointer: str | None
    schema_excerpt: Any
    spec_bug: str | None
    request: dict[str, Any]
    response: dict[str, Any] | None
    curl: str | None
    transcript: list[str] | None
    example_diff: dict[str, Any] | None
    reference: dict[str, Any] | None = None  # --compare-to: the reference's answer (status, headers, body excerpt)
    severity: str = "error"  # "warning": its check's severity; warnings leave the verdict alone


@dataclass(frozen=True)
class OperationResult:
    operation_id: str
    method: str
    path: str
    tags: list[str]
    deprecated: bool
    status: OperationStatus  # a str given is turned into the enum
    skip_reason: str | None
    cases: int
    cases_by_mode: dict[str, int]
    documented_statuses: list[str]
    statuses_seen: dict[str, int]
    latency_ms: dict[str, float] | None
    checks: dict[str, dict[str, int]]
    properties_exercised: list[str]
    negative_rules: list[str]

    def __post_init__(self) -> None:
        # Builders pass the status as text; it is held as the enum (and refused when unknown).
        object.__setattr__(self, "status", OperationStatus(self.status))


@dataclass(frozen=True)
class SuiteInfo:
    """The suite that wrote the results: kept from a saved document, so a re-render does not restamp it."""

    name: str = "openai-conformance"
    version: str = SUITE_VERSION


@dataclass(frozen=True)
class SpecInfo:
    name: str
    title: str
    version: str
    location: str
    sha256: str
    strict: bool
    errata: list[str]


@dataclass(frozen=True)
class TargetInfo:
    base_url: str  # redacted, without userinfo
    reference_server: bool
    faults: list[str]
    compare_to: str | None = None  # --compare-to: the reference's base URL, redacted


@dataclass(frozen=True)
class RunInfo:
    seed: int | None
    started_at: str
    finished_at: str | None
    duration_s: float
    modes: list[str]
    max_examples: int | None
    interrupted: bool
    verdict: Verdict
    exit_code: ExitCode
    refused: bool = False  # every request sent with the key was answered 401: nothing was tested


# The headline of a refused run, on top of the terminal summary and of every report.
REFUSED_HEADLINE = "every request was refused with 401: is the key right?"


@dataclass(frozen=True)
class Counters:
    cases: int
    requests: int
    rate_limited: int
    retries: int
    findings: int
    not_implemented: int
    findings_dropped: int = 0  # over the cap on stored findings: counted, never silent
    cleanup: int = 0  # requests that deleted or cancelled what the run made: outside the budget, still counted
    warnings: int = 0  # of the findings, those whose check is a warning (they leave the verdict alone)


@dataclass(frozen=True)
class RunResult:
    spec: SpecInfo
    target: TargetInfo
    run: RunInfo
    counters: Counters
    checks: list[dict[str, str]]
    operations: list[OperationResult]
    findings: list[Finding]
    skipped: list[dict[str, str]] = field(default_factory=list)
    lint: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Checks of the target as a whole, no operation's (the unknown-route probe):
    # {"name", "method", "path", "status", "checks": {name: {"passed", "failed"}}}.
    probes: list[dict[str, Any]] = field(default_factory=list)
    suite: SuiteInfo = field(default_factory=SuiteInfo)

    @property
    def verdict(self) -> Verdict:
        return self.run.verdict

    @property
    def exit_code(self) -> ExitCode:
        return self.run.exit_code

    def with_lint(self, lint: list[dict[str, str]]) -> RunResult:
        return replace(self, lint=list(lint))

    def to_document(self) -> dict[str, Any]:
        """The results document (docs/results.md): plain JSON values only."""
        document: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, "suite": _plain(self.suite)}
        for item in fields(self):
            document.setdefault(item.name, _plain(getattr(self, item.name)))
        for rare in ("findings_dropped", "cleanup", "warnings"):  # left out when none, as documents before them did
            if not document["counters"][rare]:
                del document["counters"][rare]
        for finding in document["findings"]:
            if finding["severity"] == "error":
                del finding["severity"]  # the default, as documents before warnings had it
        return document

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> RunResult:
        """A saved results document read back (validate it first: reports.load_results).

        Keys the model does not know are left out: the schema lets later minor versions add some.
        """
        run = dict(document["run"])
        run["verdict"], run["exit_code"] = Verdict(run["verdict"]), ExitCode(run["exit_code"])
        return cls(
            spec=_known(SpecInfo, document["spec"]),
            target=_known(TargetInfo, document["target"]),
            run=_known(RunInfo, run),
            counters=_known(Counters, document["counters"]),
            checks=list(document["checks"]),
            operations=[_known(OperationResult, o) for o in document["operations"]],
            findings=[_known(Finding, f) for f in document["findings"]],
            skipped=list(document["skipped"]),
            lint=list(document["lint"]),
            errors=list(document["errors"]),
            probes=list(document.get("probes", [])),  # absent from documents before probes
            suite=_known(SuiteInfo, document["suite"]),
        )


def _known(cls: type[_T], values: dict[str, Any]) -> _T:
    """``cls`` built from the keys of ``values`` it has a field for."""
    names = {item.name for item in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in values.items() if k in names})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
