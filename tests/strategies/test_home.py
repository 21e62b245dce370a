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
keep_hypothesis_files_in_the_cache()
table = charmap.charmap_file("codec-utf-8")
print(table, table.exists())  # there before Hypothesis asked for it
charmap.intervals_from_codec.cache_clear()
built = charmap.intervals_from_codec("utf-8")
# What Hypothesis would have found by trying every code point:
edges = [*range(0xD700, 0xE100), *range(0, sys.maxunicode + 1, 97), sys.maxunicode]
print(all((0xD800 <= c <= 0xDFFF) != (c in built) for c in edges))
"""


def test_the_utf8_table_is_written_to_the_cache_and_says_what_utf8_encodes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    table, there_first, agrees = done.stdout.split()
    assert (
        there_first == "True"
        and Path(table).is_file()
        and Path(table).is_relative_to(tmp_path / "cache" / "openai-conformance")
    )
    assert agrees == "True"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
