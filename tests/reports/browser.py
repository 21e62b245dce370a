"""Open a report in a real headless Debian chromium and see what a reader would see.

No Selenium or CDP client: chromium's own ``--dump-dom`` gives the DOM after the
page's scripts ran, ``--enable-logging=stderr`` its console messages, and
``--log-net-log`` every network request it made (browser-internal ones, whose
initiator is "not an origin", are left out).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--mute-audio",
]
_CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\]? ?(.*)")


def chromium() -> str:
    """Path of the chromium binary, or skip the test when there is none."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("needs Debian's chromium")
    return path


@dataclass
class PageLoad:
    """What one headless load of a page produced."""

    dom: str
    console: list[str] = field(default_factory=list)  # every console message the page logged
    requests: list[str] = field(default_factory=list)  # URLs the page (not the browser) fetched
    seconds: float = 0.0  # wall time of the whole chromium process
    screenshot: Path | None = None

    @property
    def ready_ms(self) -> int | None:
        """Milliseconds from navigation start to the end of the report's script, if it ran."""
        found = re.search(r'data-ready-ms="(\d+)"', self.dom)
        return int(found.group(1)) if found else None


def _page_requests(netlog: Path) -> list[str]:
    if not netlog.exists():
        return []
    log = json.loads(netlog.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",") or "{}")
    start_job = log.get("constants", {}).get("logEventTypes", {}).get("URL_REQUEST_START_JOB")
    urls: dict[int, str] = {}
    page_sources: list[int] = []
    for event in log.get("events", []):
        source, params = event.get("source", {}).get("id"), event.get("params", {})
        if "url" in params:
            urls.setdefault(source, params["url"])
        if event.get("type") == start_job and params.get("initiator") not in (None, "not an origin"):
            page_sources.append(source)
    return sorted({urls.get(source, "?") for source in page_sources})


def open_page(
    path: Path,
    fragment: str = "",
    *,
    screenshot: str | None = None,
    window: tuple[int, int] = (1400, 1800),
    timeout: float = 60,
) -> PageLoad:
    """Load ``path`` (with ``#fragment``) once for its DOM, console and requests; with
    ``screenshot`` a second time to save ``test-artifacts/<screenshot>``."""
    binary = chromium()
    url = Path(path).resolve().as_uri() + (f"#{fragment}" if fragment else "")
    with tempfile.TemporaryDirectory(prefix="chromium-") as tmp:
        netlog = Path(tmp) / "net.json"
        flags = [*_FLAGS, f"--user-data-dir={tmp}/profile", f"--window-size={window[0]},{window[1]}"]
        started = time.perf_counter()
        done = subprocess.run(
            [binary, *flags, "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        load = PageLoad(dom=done.stdout, seconds=time.perf_counter() - started)
        load.console = [m.group(1) for m in map(_CONSOLE.search, done.stderr.splitlines()) if m]
        load.requests = _page_requests(netlog)
        if screenshot:
            ARTIFACTS.mkdir(exist_ok=True)
            load.screenshot = ARTIFACTS / screenshot
            subprocess.run(
                [binary, *flags, f"--screenshot={load.screenshot}", url],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
    return load


def rows_by_operation(dom: str) -> dict[str, str]:
    """Matrix rows of a dumped report: operation id -> class attribute ("filterable filtered" if hidden)."""
    matrix = dom[dom.index('<table class="matrix">') :]
    matrix = matrix[: matrix.index("</table>")]
    return {m.group(2): m.group(1) for m in re.finditer(r'<tr class="([^"]*)" data-op="([^"]+)"', matrix)}


def assert_loads_clean(load: PageLoad) -> None:
    """The report's script ran to its end, logged nothing and fetched nothing."""
    assert load.console == [], load.console
    assert load.requests == [], load.requests
    assert 'data-ready="true"' in load.dom
