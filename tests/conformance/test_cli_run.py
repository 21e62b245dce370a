"""`openai-conformance run` and `checks` at the command line: bad input is one line and exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from openai_conformance.cli import main


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["run", "--modes", "positive,bogus"], "unknown mode 'bogus'"),
        (["run", "--fault", "no_such_fault"], "unknown fault 'no_such_fault'"),
        (["run", "--spec", "/nonexistent/openai.yaml"], "neither a file nor a shipped spec"),
        (["run", "--workers", "0"], "--workers"),
        (["run", "--base-url", "http://127.0.0.1:9/v1", "--fault", "ignore_n"], "drop --base-url"),
        (["run", "--max-examples", "many"], "invalid int value"),
        (["frobnicate"], "invalid choice"),
    ],
    ids=["mode", "fault", "spec", "workers", "fault-with-base-url", "not-a-number", "command"],
)
def test_bad_input_is_one_line_and_exit_2(argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("openai-conformance: ")


def test_checks_lists_the_catalogue_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines]
    assert {"response_schema", "stream_format", "choices_count", "file_roundtrip", "transport"} <= set(names)
    assert [line.split()[1] for line in lines][0] == "spec"  # spec checks first


def test_help_explains_the_run_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "openai_conformance", "run", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    for option in ("--base-url", "--api-key", "--max-requests", "--strict-spec", "--report-dir", "OPENAI_BASE_URL"):
        assert option in done.stdout


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["run", "--checks", "response_schema,bogus"], "--checks: unknown name 'bogus'"),
        (["run", "--formats", "html,pdf"], "--formats: unknown name 'pdf'"),
        (["run", "--operations", "createCompletion,nosuchop"], "--operations: unknown name 'nosuchop'"),
        (["run", "--tags", "nosuchtag"], "--tags: unknown name 'nosuchtag'"),
        (["run", "--max-requests", "0"], "--max-requests must be at least 1"),
        (["run", "--api-key", "sk-bad\nkey"], "characters an HTTP header cannot carry"),
    ],
    ids=["check", "format", "operation", "tag", "max-requests", "key"],
)
def test_names_that_would_test_nothing_are_refused_before_sending(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1


def test_help_imports_neither_the_server_nor_the_reports_nor_the_spec() -> None:
    probe = (
        "import sys; from openai_conformance.cli import build_parser; build_parser(['--help']); "
        "print(sorted(m for m in sys.modules if m.startswith(('openai_conformance.server', 'openai_conformance.reports', 'openai_conformance.spec'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_the_spec_commands_default_is_the_spec_stages() -> None:
    from openai_conformance.cli._spec import DEFAULT_SPEC_NAME
    from openai_conformance.spec import DEFAULT_SPEC

    assert DEFAULT_SPEC_NAME == DEFAULT_SPEC


def test_each_commands_help_line_is_its_modules() -> None:
    import argparse
    import importlib

    from openai_conformance.cli import COMMANDS

    for name, (module, line) in COMMANDS.items():
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module, "openai_conformance.cli").add_parser(sub)
        assert sub.choices[name] is not None
        assert sub._choices_actions[0].help == line, name
