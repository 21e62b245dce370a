"""``spec lint``: a document checked against itself.

Each rule is a function ``(spec) -> findings`` listed in ``RULES``; each kind
of finding has one severity, in ``KINDS``. Errors are things a strict reader
of the document gets wrong (an example its own schema rejects, a ``oneOf``
that no listed value can pass); warnings are gaps (no examples, an unknown
format, an example nobody can read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._curl import CurlParseError, parse_curl
from ._examples import parse_example
from ._oaimeta import operation_examples
from ._overlap import oneof_overlaps
from ._refs import lookup, walk_refs
from ._validate import example_errors, json_media, one_line
from ._walk import iter_schemas

if TYPE_CHECKING:
    from ._spec import Spec

KINDS: dict[str, tuple[str, str]] = {
    "example_invalid": ("error", "an x-oaiMeta example that its own schema rejects"),
    "example_unparseable": ("warning", "an x-oaiMeta example that is not even pseudo-JSON"),
    "curl_unparseable": ("warning", "a curl example that cannot be read as a curl command"),
    "dangling_ref": ("error", "a $ref that points nowhere"),
    "unknown_format": ("warning", "a 'format' that neither JSON Schema nor OpenAPI defines"),
    "oneof_overlap": ("error", "oneOf branches that accept the same value, so a strict oneOf rejects it"),
    "default_invalid": ("error", "a default that its own schema rejects"),
    "default_misplaced": ("warning", "a default on an anyOf/oneOf branch that only the whole accepts"),
    "no_examples": ("warning", "an operation with no x-oaiMeta example at all"),
    "schema_cycle": ("error", "schemas applied to the same value in a loop: validating against them never ends"),
    "ref_not_schema": ("error", "a $ref to a string, a number or a list, not a schema"),
    "unknown_type": ("error", "a 'type' that JSON Schema does not define"),
}

# JSON Schema 2020-12's formats, OpenAPI's, and the common extensions of jsonschema.
KNOWN_FORMATS = frozenset(
    {
        "date-time",
        "date",
        "time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uuid",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
        "regex",
        "int32",
        "int64",
        "float",
        "double",
        "byte",
        "binary",
        "password",
    }
)


@dataclass(frozen=True)
class LintFinding:
    """One problem of the document: where, what (one line), how bad, which rule."""

    pointer: str
    message: str
    severity: str  # "error" | "warning"
    kind: str

    def to_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "message": self.message, "severity": self.severity, "kind": self.kind}


def _finding(kind: str, pointer: str, message: str) -> LintFinding:
    return LintFinding(pointer, message, KINDS[kind][0], kind)


def _examples(spec: Spec) -> Iterator[LintFinding]:
    for op in spec.operations:
        for example in operation_examples(op):
            if example.kind == "curl":
                try:
                    parse_curl(example.text)
                except CurlParseError as exc:
                    yield _finding("curl_unparseable", example.pointer, f"{op.operation_id}: {exc}")
                continue
            parsed = parse_example(example.text)
            if not parsed.ok:
                yield _finding(
                    "example_unparseable",
                    example.pointer,
                    f"{op.operation_id}: {example.kind} example is not JSON: {parsed.error}",
                )
                continue
            media = json_media(op, example.kind)
            if media is None:
                continue
            for where, message in example_errors(spec, media.pointer, parsed.value):
                yield _finding(
                    "example_invalid",
                    example.pointer,
                    f"{op.operation_id}: {example.kind} example at {where or '/'}: {message}",
                )


def _no_examples(spec: Spec) -> Iterator[LintFinding]:
    for op in spec.operations:
        if not operation_examples(op):
            yield _finding("no_examples", op.pointer, f"{op.operation_id} has no x-oaiMeta example")


def _dangling_refs(spec: Spec) -> Iterator[LintFinding]:
    for where, holder in walk_refs(spec.raw):
        ref = holder["$ref"]
        if not ref.startswith("#"):
            continue
        try:
            lookup(spec.raw, ref[1:])
        except (KeyError, IndexError, ValueError):
            yield _finding("dangling_ref", f"{where}/$ref", f"$ref points nowhere: {ref!r}")


def _unknown_formats(spec: Spec) -> Iterator[LintFinding]:
    for pointer, schema in iter_schemas(spec.raw):
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt not in KNOWN_FORMATS:
            yield _finding("unknown_format", f"{pointer}/format", f"unknown format {fmt!r}")


def _oneof_overlaps(spec: Spec) -> Iterator[LintFinding]:
    # The raw document: normalization reads such a oneOf as anyOf to validate.
    for pointer, schema in iter_schemas(spec.raw):
        for message in oneof_overlaps(spec.raw, schema):
            yield _finding("oneof_overlap", f"{pointer}/oneOf", message)


def _defaults(spec: Spec) -> Iterator[LintFinding]:
    for pointer, schema in iter_schemas(spec.document):
        if "default" not in schema:
            continue
        default = schema["default"]
        error = next(iter(spec.validator(pointer).iter_errors(default)), None)
        if error is None:
            continue
        # 3.1 documents put `default: null` on the object branch of `anyOf [object, null]`
        parent, _, tail = pointer.rpartition("/")
        composite = parent.rpartition("/")[2] in ("anyOf", "oneOf") and tail.isdigit()
        if composite and spec.validator(parent.rpartition("/")[0]).is_valid(default):
            yield _finding(
                "default_misplaced",
                f"{pointer}/default",
                f"default {default!r} is set on a branch that rejects it; the enclosing "
                f"{parent.rpartition('/')[2]} accepts it",
            )
        else:
            yield _finding(
                "default_invalid",
                f"{pointer}/default",
                f"default {default!r} does not validate: {one_line(error.message)}",
            )


def _unusable(spec: Spec) -> Iterator[LintFinding]:
    for kind, pointer, message in spec.problems:
        yield _finding(kind, pointer, message)


RULES: dict[str, Callable[[Spec], Iterator[LintFinding]]] = {
    "unusable": _unusable,
    "examples": _examples,
    "no_examples": _no_examples,
    "dangling_refs": _dangling_refs,
    "unknown_formats": _unknown_formats,
    "oneof_overlaps": _oneof_overlaps,
    "defaults": _defaults,
}


# Rules that validate values against the document's schemas.
_VALIDATING = frozenset({"examples", "oneof_overlaps", "defaults"})


def lint(spec: Spec) -> list[LintFinding]:
    """Every finding of every rule, errors first, then by pointer.

    Example: ``[f for f in lint(load_spec()) if f.severity == "error"]`` lists,
    among others, the Engine and Model examples that lack ``created``.
    """
    findings: list[LintFinding] = []
    unusable = False
    for name, rule in RULES.items():
        if unusable and name in _VALIDATING:
            continue  # validating against a schema cycle never ends; the errors above say why
        findings.extend(rule(spec))
        unusable = unusable or (name == "unusable" and bool(findings))
    return sorted(findings, key=lambda f: (f.severity != "error", f.pointer, f.message))


def lint_summary(findings: list[LintFinding]) -> dict[str, Any]:
    errors = sum(1 for f in findings if f.severity == "error")
    return {"errors": errors, "warnings": len(findings) - errors}
