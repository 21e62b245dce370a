"""The JUnit XML report, in the Jenkins/Surefire ``junit-10.xsd`` dialect most CI viewers read.

One ``testsuite`` per operation, one ``testcase`` per check applied to it
(``classname`` = operation id, ``name`` = check); a failing check carries its
folded findings as the failure text, a check whose findings are all warnings passes
with them as its ``system-out``. Skipped operations are one skipped case.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from openai_conformance.results import OperationResult, OperationStatus, RunResult

from ._view import FindingGroup, group_findings, seed_text, verdict_line

# XML 1.0 forbids most control characters; a response body may contain them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_GROUPS_PER_CASE = 20


def xml_text(value: Any) -> str:
    return _XML_INVALID.sub("\ufffd", "" if value is None else str(value))


def finding_text(group: FindingGroup) -> str:
    """The plain-text block for one folded finding: what, where, how to replay."""
    f = group.first
    lines = [
        f"[{group.check}] {f.message}" + (f"  (x{group.count})" if group.count > 1 else ""),
        f"  expected: {f.expected}",
        f"  got:      {f.got}",
        f"  pointer:  {f.pointer or '(document)'}   schema: {f.schema_pointer or '-'}",
        f"  mode: {f.mode}   seed: {seed_text(f.seed)}   finding: {f.id}",
    ]
    if f.spec_bug:
        lines.append(f"  known spec bug: {f.spec_bug}")
    if f.curl:
        lines.append(f"  reproduce: {f.curl}")
    return "\n".join(lines)


class JunitReporter:
    name = "junit"
    extension = "xml"

    def render(self, result: RunResult) -> str:
        groups: dict[tuple[str, str], list[FindingGroup]] = {}
        for group in group_findings(result.findings):
            # A probe's findings name no operation: their suite is the probe's (mode probe:<name>).
            groups.setdefault((group.operation_id or group.first.mode, group.check), []).append(group)
        root = ET.Element(
            "testsuites", name=f"openai-conformance {result.spec.name}", time=f"{result.run.duration_s:.3f}"
        )
        totals = {"tests": 0, "failures": 0, "errors": 0}
        for op in [*map(_Suite.of, result.operations), *map(_Suite.of_probe, result.probes)]:
            suite = self._suite(op, groups, result)
            for key in totals:
                totals[key] += int(suite.get(key, "0"))
            root.append(suite)
        if result.errors:
            root.append(self._errors_suite(result.errors))
            totals["errors"] += len(result.errors)
            totals["tests"] += len(result.errors)
        for key, value in totals.items():
            root.set(key, str(value))
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    def _suite(self, op: _Suite, groups: dict[tuple[str, str], list[FindingGroup]], result: RunResult) -> ET.Element:
        op_id = op.operation_id
        suite = ET.Element("testsuite", name=op_id, timestamp=result.run.started_at, package=f"{op.method} {op.path}")
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("status", op.status.value),
            ("cases", op.cases),
            ("target", result.target.base_url),
            ("seed", seed_text(result.run.seed)),
            ("verdict", verdict_line(result)),
        ):
            ET.SubElement(properties, "property", name=name, value=xml_text(value))
        tests = failures = skipped = 0
        if not op.status.ran:
            case = ET.SubElement(suite, "testcase", classname=op_id, name="all checks")
            reason = op.skip_reason or op.status.value.replace("_", " ")
            ET.SubElement(case, "skipped", message=xml_text(reason))
            tests, skipped = 1, 1
        for check, counts in sorted(op.checks.items()):
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=op_id, name=check)
            if not counts["failed"]:
                continue
            found = groups.get((op_id, check), [])
            if found and all(g.first.severity == "warning" for g in found):
                out = ET.SubElement(case, "system-out")  # a warning leaves the verdict alone: no failure
                out.text = xml_text("\n\n".join(f"warning: {finding_text(g)}" for g in found[:MAX_GROUPS_PER_CASE]))
                continue
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                type=check,
                message=xml_text(
                    f"{counts['failed']} of {counts['passed'] + counts['failed']} "
                    f"applications failed" + (f": {found[0].first.message}" if found else "")
                ),
            )
            shown = [finding_text(g) for g in found[:MAX_GROUPS_PER_CASE]]
            if len(found) > MAX_GROUPS_PER_CASE:
                shown.append(f"... and {len(found) - MAX_GROUPS_PER_CASE} more distinct findings")
            failure.text = xml_text("\n\n".join(shown))
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        return suite

    @staticmethod
    def _errors_suite(errors: list[str]) -> ET.Element:
        suite = ET.Element(
            "testsuite", name="run", tests=str(len(errors)), failures="0", errors=str(len(errors)), skipped="0"
        )
        for index, line in enumerate(errors, 1):
            case = ET.SubElement(suite, "testcase", classname="run", name=f"error {index}")
            ET.SubElement(case, "error", message=xml_text(line), type="tool")
        return suite


@dataclass(frozen=True)
class _Suite:
    """What one ``testsuite`` shows: an operation's result, or a probe of the whole target."""

    operation_id: str
    method: str
    path: str
    status: OperationStatus
    cases: int
    skip_reason: str | None
    checks: dict[str, dict[str, int]]

    @classmethod
    def of(cls, op: OperationResult) -> _Suite:
        return cls(op.operation_id, op.method, op.path, op.status, op.cases, op.skip_reason, op.checks)

    @classmethod
    def of_probe(cls, probe: dict[str, Any]) -> _Suite:
        """A probe (``probes`` of the results) laid out as an operation's suite: one case."""
        failed = any(c["failed"] for c in probe["checks"].values())
        status = OperationStatus.FAILED if failed else OperationStatus.PASSED
        return cls(f"probe:{probe['name']}", probe["method"], probe["path"], status, 1, None, probe["checks"])
