"""Usage errors before the run starts: the pure checks, and the CLI's one line and exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from openai_conformance._errors import UsageError
from openai_conformance.cli._arguments import check_base_url, check_report_dir, check_timeout


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), 0.0, -1.0])
def test_a_timeout_that_means_nothing_is_refused(value: float) -> None:
    with pytest.raises(UsageError, match="--timeout"):
        check_timeout(value)


def test_a_finite_timeout_passes() -> None:
    assert check_timeout(0.5) == 0.5


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://[::1", "not a valid URL"),
        ("http://[::1]x/v1", "not a valid URL"),
        ("http://[::1]]/v1", "not a valid URL"),
        ("http://[zz]/v1", "not a valid URL"),
        ("not-a-url", "no scheme"),
        ("ftp://example.com/v1", "'ftp'"),
        ("http://", "no host"),
        ("http://h:99999/v1", "not a valid URL"),
        ("http://u:pw@h/v1", "credentials"),
        ("http://token@h/v1", "credentials"),
    ],
)
def test_a_base_url_one_cannot_test_is_refused(url: str, said: str) -> None:
    with pytest.raises(UsageError, match=said):
        check_base_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/v1",
        "https://api.openai.com/v1",
        "http://[::1]:8000/v1",
        "http://[::1]/v1",
        "http://[fe80::1%25eth0]:8000/v1",
    ],
)
def test_good_base_urls_pass(url: str) -> None:
    assert check_base_url(url) == url


def test_a_report_dir_that_is_a_file_or_unwritable_is_refused(tmp_path: Path) -> None:
    afile = tmp_path / "report"
    afile.write_text("")
    with pytest.raises(UsageError, match="not a folder"):
        check_report_dir(afile)
    with pytest.raises(UsageError, match="not a folder"):
        check_report_dir(afile / "below")
    with pytest.raises(UsageError, match="not writable"):
        check_report_dir("/proc/openai-conformance")


def test_a_new_report_dir_under_a_writable_folder_passes_and_nothing_is_left(tmp_path: Path) -> None:
    assert check_report_dir(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert list(tmp_path.iterdir()) == []


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "openai_conformance", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "args",
    [
        ("--timeout", "nan"),
        ("--timeout", "inf"),
        ("--timeout", "1e400"),
        ("--base-url", "http://[::1"),
        ("--base-url", "http://[::1]x/v1"),
        ("--base-url", "not-a-url"),
        ("--base-url", "ftp://example.com/v1"),
        ("--base-url", "http://"),
        ("--report-dir", "/proc/oc-report"),
    ],
)
def test_run_refuses_with_one_line_and_exit_2_before_starting(args: tuple[str, ...], tmp_path: Path) -> None:
    result = cli("run", *args)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "usage error" in result.stderr
    assert result.stdout == ""  # nothing ran: no table, no report written


def test_run_refuses_a_report_dir_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "r").write_text("")
    result = cli("run", "--report-dir", str(tmp_path / "r"))
    assert result.returncode == 2 and "not a folder" in result.stderr


@pytest.mark.parametrize("command", [("report",), ("report", "diff")])
def test_deep_json_given_to_report_is_one_line_exit_2(command: tuple[str, ...], tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    inputs = [str(deep)] * (2 if "diff" in command else 1)
    result = cli(*command, *inputs)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "openai-conformance: usage error: the JSON nests too deeply to be a results document"
    ]
