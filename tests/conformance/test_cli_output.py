"""What ``run`` prints and when it stops: --max-time, the progress line and its ETA,
-q/-v, colour (--color, NO_COLOR, a pipe), the top-level --help, schemathesis as an extra.

Runs are real: the CLI in a subprocess against the embedded reference server, one or
two operations and few examples; a pseudo-terminal stands in for a user's terminal.
"""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from openai_conformance.engine._progress import Progress, clock_text

FAST = (
    "--operations",
    "listModels,createEmbedding",
    "--max-examples",
    "2",
    "--modes",
    "positive,negative",
    "--formats",
    "json",
)
BUG = (
    "--operations",
    "createEmbedding",
    "--max-examples",
    "3",
    "--modes",
    "positive",
    "--formats",
    "json",
    "--fault",
    "embedding_wrong_dimension",
)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def run(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "openai_conformance", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**environment, **(env or {})},
    )


def on_terminal(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal, as a user at a shell does."""
    main, child = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "openai_conformance", *argv],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
        env={**environment, "TERM": "xterm", **(env or {})},
    )
    os.close(child)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    return process.wait(timeout=120), output.decode(errors="replace")


# -- --max-time ---------------------------------------------------------------------------
def test_max_time_stops_sending_writes_the_reports_and_says_so(tmp_path: Path) -> None:
    # Every answer takes 2 s: the 14 cases would take over 14 s at 2 workers.
    started = time.monotonic()
    done = run(
        "run",
        "--operations",
        "createEmbedding",
        "--max-examples",
        "6",
        "--modes",
        "positive,negative",
        "--fault",
        "slow_responses",
        "--timeout",
        "5",
        "--max-time",
        "3",
        "--formats",
        "json",
        "--report-dir",
        "out",
        cwd=tmp_path,
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr  # incomplete and nothing found: a budget the user set
    assert took < 3 + 5 + 6, took  # the limit, one request in flight, the server's start and the reports
    document = json.loads((tmp_path / "out" / "results.json").read_text())
    assert document["run"]["verdict"] == "incomplete"
    assert "stopped early: --max-time 3 s reached" in document["errors"]
    assert document["counters"]["cases"] < 14
    assert done.stdout.splitlines()[-3].startswith("INCOMPLETE:")
    assert "error: stopped early: --max-time 3 s reached" in done.stdout


def test_max_time_is_for_the_whole_command_every_version_included(tmp_path: Path) -> None:
    done = run(
        "run",
        "--spec",
        "openai-1.1.0",
        "--spec",
        "openai-1.2.0",
        "--operations",
        "listModels",
        "--max-examples",
        "3",
        "--fault",
        "slow_responses",
        "--timeout",
        "5",
        "--max-time",
        "3",
        "--formats",
        "json",
        "-q",
        "--report-dir",
        "out",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "openai-conformance: --max-time 3 s spent: openai-1.2.0 not run\n"
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == ["INCOMPLETE", "error"]
    assert (tmp_path / "out" / "openai-1.1.0" / "results.json").is_file()
    assert not (tmp_path / "out" / "openai-1.2.0").exists()


class TooManyRequests(BaseHTTPRequestHandler):
    """Every request: 429, come back in 20 s."""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.send_response(429)
        self.send_header("Retry-After", "20")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_max_time_cuts_the_wait_for_a_429_short() -> None:
    from openai_conformance.engine._session import BudgetExhausted, TargetSession
    from openai_conformance.strategies import Case

    server = ThreadingHTTPServer(("127.0.0.1", 0), TooManyRequests)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        session = TargetSession(f"http://127.0.0.1:{server.server_port}/v1", max_time=1.0, rate_limit_wait=20)
        started = time.monotonic()
        with pytest.raises(BudgetExhausted, match="--max-time 1 s reached"):
            session.send(Case("listModels", "GET", "/models"))
        assert time.monotonic() - started < 3  # not the 20 s the target asked for
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("value", ["0", "-1", "nan"])
def test_a_max_time_that_is_no_time_is_one_line_exit_2(tmp_path: Path, value: str) -> None:
    done = run("run", "--max-time", value, cwd=tmp_path)
    assert done.returncode == 2 and "--max-time" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_max_time_and_color_come_from_the_config_file_checked(tmp_path: Path) -> None:
    (tmp_path / "openai-conformance.toml").write_text('max-time = 30\ncolor = "never"\n')
    shown = run("run", "--print-config", cwd=tmp_path).stdout
    assert re.search(r"^max-time\s+30\.0\s+openai-conformance\.toml$", shown, re.M), shown
    assert re.search(r"^color\s+'never'\s+openai-conformance\.toml$", shown, re.M), shown
    for bad in ('max-time = "soon"', 'color = "rainbow"'):
        (tmp_path / "openai-conformance.toml").write_text(bad + "\n")
        done = run("run", cwd=tmp_path)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, (bad, done.stderr)


# -- -q, -v and the progress line -------------------------------------------------------------
def test_quiet_prints_the_verdict_line_only(tmp_path: Path) -> None:
    done = run("run", *BUG, "-q", "--report-dir", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == ""
    [line] = done.stdout.splitlines()
    assert line.startswith("NONCONFORMANT: ") and "1 bugs" in line


def test_verbose_names_each_operation_as_it_ends_and_each_bug_once(tmp_path: Path) -> None:
    done = run("run", *BUG, "--operations", "createEmbedding,listModels", "-v", "--report-dir", "out", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert re.search(
        r"^  createEmbedding: \d+ requests, [1-9]\d* findings so far, \d+:\d\d elapsed$", done.stderr, re.M
    ), done.stderr
    assert re.search(r"^  listModels: \d+ requests", done.stderr, re.M), done.stderr
    bugs = re.findall(r"^  new bug: (.*)$", done.stderr, re.M)
    assert bugs == ["embedding_count_order_dimension · createEmbedding (positive): Wrong embedding dimension"]
    assert "\r" not in done.stderr and not ANSI.search(done.stderr)  # a pipe gets lines, no live display


def test_without_a_terminal_there_is_no_progress_and_no_colour(tmp_path: Path) -> None:
    done = run("run", *BUG, "--report-dir", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["openai-conformance: OpenAI API 1.1.0 against the reference server"]
    assert not ANSI.search(done.stdout + done.stderr)
    assert "NONCONFORMANT: " in done.stdout and "embedding_count_order_dimension · createEmbedding" in done.stdout


def test_quiet_from_the_file_gives_way_to_verbose_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "openai-conformance.toml").write_text("quiet = true\n")
    done = run("run", *FAST, "-v", "--report-dir", "out", cwd=tmp_path)
    assert done.returncode == 0 and "  listModels: " in done.stderr, done.stderr
    both = run("run", *FAST, "-q", "-v", cwd=tmp_path)
    assert both.returncode == 2 and "choose one" in both.stderr


def test_on_a_terminal_the_line_shows_cases_elapsed_and_time_left(tmp_path: Path) -> None:
    code, output = on_terminal("run", *FAST, "--report-dir", "out", cwd=tmp_path)
    assert code == 0, output
    drawn = [ANSI.sub("", part) for part in output.split("\r") if "elapsed" in part]
    assert any(
        re.match(r"cases \d+/~?\d+ · 0 findings · \d+:\d\d elapsed, ~\d+:\d\d left · \[2/2\] ", d) for d in drawn
    ), drawn
    assert "\x1b[1;32mCONFORMANT: " in output  # the verdict in green on a terminal


def test_no_color_turns_colour_off_on_a_terminal_and_always_turns_it_on_in_a_pipe(tmp_path: Path) -> None:
    _, output = on_terminal("run", *BUG, "--report-dir", "out", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert "\nNONCONFORMANT: " in output.replace("\r", "") and "\x1b[1;31m" not in output
    _, never = on_terminal("run", *BUG, "--color", "never", "--report-dir", "out", cwd=tmp_path)
    assert "\x1b[1;31m" not in never and "elapsed" in never  # the progress line is not colour
    piped = run("run", *BUG, "--report-dir", "out", cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[1;31mNONCONFORMANT: " in piped  # a CI log that renders colour asks so
    forced = run("run", *BUG, "--color", "always", "--report-dir", "out", cwd=tmp_path, env={"NO_COLOR": "1"}).stdout
    assert "\x1b[1;31mNONCONFORMANT: " in forced
    assert re.search(
        r"^\x1b\[1;31membedding_count_order_dimension · createEmbedding\x1b\[0m \(\d+ cases?\)$", forced, re.M
    )


# -- the progress estimate, on a clock the test moves ----------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_estimate_comes_from_the_rate_so_far_and_max_time_bounds_it() -> None:
    clock = Clock()
    progress = Progress(Terminal(), clock=clock)
    progress.run_started(4)
    clock.now += 5  # the workflows before the first operation do not count in the rate
    progress.operation_started("a", 10)
    for _ in range(10):
        clock.now += 1
        progress.case_done("a", 0)
    progress.operation_finished("a")
    assert progress.planned() == (10, 40, True)  # 3 more operations like this one
    assert progress.remaining() == (30.0, False)  # 30 cases at 1 a second
    assert progress.status().startswith("cases 10/~40 · 0 findings · 0:15 elapsed, ~0:30 left")
    bounded = Progress(Terminal(), clock=clock, max_time=20)
    bounded.run_started(4)
    bounded.operation_started("a", 10)
    clock.now += 2
    bounded.case_done("a", 0)
    assert bounded.remaining() == (18.0, True)  # no rate yet (1 case of ~40), 18 s by --max-time
    assert "~0:18 left (--max-time)" in bounded.status()
    early = Progress(Terminal(), clock=clock)
    early.run_started(4)
    early.operation_started("a", 10)
    for _ in range(3):
        clock.now += 1
        early.case_done("a", 0)
    assert early.remaining() == (None, False) and "left" not in early.status()  # 3 of ~40: no guess yet
    clock.now += 1
    early.case_done("a", 0)
    assert early.remaining() == (36.0, False)  # 4 of ~40, a tenth: 36 cases at 1 a second


def test_quiet_writes_nothing_and_a_pipe_gets_no_live_line() -> None:
    for stream, quiet in ((Terminal(), True), (io.StringIO(), False)):
        progress = Progress(stream, quiet=quiet, verbose=quiet)
        progress.run_started(1)
        progress.operation_started("a", 2)
        progress.case_done("a", 1)
        progress.operation_finished("a")
        progress.close()
        assert stream.getvalue() == ""


def test_verbose_says_each_bug_once_above_the_live_line() -> None:
    from types import SimpleNamespace

    findings: list[SimpleNamespace] = []
    stream = Terminal()
    progress = Progress(stream, verbose=True, clock=Clock())
    progress.watch(findings)
    progress.operation_started("a", 3)
    for fingerprint, message in (("f1", "first"), ("f1", "same bug"), ("f2", "second")):
        findings.append(
            SimpleNamespace(fingerprint=fingerprint, check="c", operation_id="a", mode="positive", message=message)
        )
        progress.case_done("a", len(findings))
    said = re.findall(r"\r\x1b\[K  new bug: (.*)\n", stream.getvalue())
    assert said == ["c · a (positive): first", "c · a (positive): second"]


def test_no_color_wins_over_force_color_and_never_over_both(monkeypatch: pytest.MonkeyPatch) -> None:
    from openai_conformance.cli._colour import wants_colour

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not wants_colour("auto", Terminal()) and wants_colour("always", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "")  # empty is unset, per no-color.org
    assert wants_colour("auto", io.StringIO()) and not wants_colour("never", Terminal())


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 59.4, 75.2, 3600)] == ["0:00", "0:59", "1:15", "1:00:00"]


# -- the top-level --help -------------------------------------------------------------------
def test_top_level_help_has_a_line_per_exit_code_and_per_command(tmp_path: Path) -> None:
    from openai_conformance.cli import COMMANDS
    from openai_conformance.results import ExitCode

    helped = run("--help", cwd=tmp_path).stdout
    for code in ExitCode:
        assert re.search(rf"^  {int(code)}\s+\w", helped, re.M), (code, helped)
    for name, (_, line) in COMMANDS.items():
        assert re.search(rf"^    {name}\s+{re.escape(line.split()[0])}", helped, re.M), (name, helped)


# -- schemathesis is an extra ---------------------------------------------------------------
BLOCKER = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name == "schemathesis" or name.startswith("schemathesis."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Blocker())
for name in [m for m in sys.modules if m.split(".")[0] == "schemathesis"]:
    del sys.modules[name]
"""


def test_the_cli_and_plugin_work_without_schemathesis_and_the_extension_says_what_to_install(tmp_path: Path) -> None:
    script = (
        BLOCKER
        + """
from openai_conformance.cli import main
import openai_conformance.pytest_plugin
try:
    main(["run", "--help"])
except SystemExit as exc:  # argparse ends --help so
    assert exc.code == 0
assert main(["run", "--operations", "listModels", "--max-examples", "1", "-q", "--formats", "json"]) == 0
try:
    import openai_conformance.schemathesis
except ModuleNotFoundError as exc:
    print("ERROR:", exc)
assert "schemathesis" not in sys.modules
"""
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        "ERROR: openai_conformance.schemathesis needs schemathesis 4: pip install 'openai-conformance[schemathesis]'"
        in done.stdout
    )


def test_pyproject_keeps_test_and_extension_dependencies_out_of_the_install() -> None:
    import tomllib  # the suite's tests run on 3.11+

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    runtime = {re.split(r"[<>=!~;\[ ]", d)[0]: d for d in project["dependencies"]}
    extras = project["optional-dependencies"]
    assert "hypothesis-jsonschema" not in runtime and "schemathesis" not in runtime
    assert "<" not in runtime["hypothesis"]  # the test extra may pin; users get any 6.150+
    assert any(d.startswith("hypothesis-jsonschema") for d in extras["test"])
    assert [d for d in extras["schemathesis"] if d.startswith("schemathesis")] == ["schemathesis>=4.0"]


def test_a_run_leaves_nothing_in_the_current_folder_but_its_reports(tmp_path: Path) -> None:
    # Hypothesis' Unicode tables (the realtime operations' strings need them) went to
    # ./.hypothesis; they belong in the user's cache
    here, cache = tmp_path / "project", tmp_path / "cache"
    here.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
    done = run(
        "run",
        "--spec",
        "openai-2.3.0-2026-08-21",
        "--tags",
        "Realtime",
        "--max-examples",
        "2",
        "-q",
        cwd=here,
        env={**env, "XDG_CACHE_HOME": str(cache)},
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in here.iterdir()) == ["conformance-report"]
    assert (cache / "openai-conformance" / "hypothesis" / "unicode_data").is_dir()
