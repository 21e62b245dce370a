"""Hypothesis' files go to the user's cache, and its UTF-8 table is written there, not walked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
import hypothesis.internal.charmap as charmap
from openai_conformance.strategies import keep_hypothesis_files_in_the_cache
from openai_conformance.strategies._home import encodable
keep_hypothesis_files_in_the_cache()
print(charmap.charmap_file("codec-utf-8").parent)
charmap.intervals_from_codec.cache_clear()
calls = []
def count(frame, event, arg):
    if event == "c_call" and arg is chr:
        calls.append(1)
sys.setprofile(count)
built = encodable(charmap.intervals_from_codec("utf-8"))
sys.setprofile(None)
print(len(calls))  # Hypothesis tries chr() on every code point when it has no table
edges = [*range(0xD700, 0xE100), *range(0, sys.maxunicode + 1, 97), sys.maxunicode]
print(all((0xD800 <= c <= 0xDFFF) != (c in built) for c in edges))
"""


def test_the_utf8_table_is_written_to_the_cache_and_says_what_utf8_encodes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    folder, walked, agrees = done.stdout.split()
    assert Path(folder).is_relative_to(tmp_path / "cache" / "openai-conformance")
    assert int(walked) < 1000  # read from the table written, not found by trying all 1,114,112 code points
    assert agrees == "True"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
