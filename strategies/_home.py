"""Where Hypothesis keeps its own files (its Unicode tables) during a run of the CLI.

Hypothesis writes ``.hypothesis/`` into the current folder; a conformance run is not the
user's test suite, so its files go to the user's cache, unless the user named a place.
"""

from __future__ import annotations

import gzip
import json
import os
from typing import Any

from openai_conformance.spec import cache_folder

# What UTF-8 encodes: every code point but the surrogates. Hypothesis finds it by trying
# all 1,114,112 (a list of as many pairs: ~180 MiB for ~3 s, most of a first run's peak
# memory); written here as it keeps it, it is read back in no time.
_UTF8 = ((0, 0xD7FF), (0xE000, 0x10FFFF))


def keep_hypothesis_files_in_the_cache() -> None:
    """Point Hypothesis at ``~/.cache/openai-conformance/hypothesis`` (``HYPOTHESIS_STORAGE_DIRECTORY`` wins)."""
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        return
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(cache_folder("hypothesis"))
    write_utf8_table()


def write_utf8_table() -> None:
    """Give Hypothesis its UTF-8 table, if it has none yet, and check that it reads it as meant.

    Hypothesis has kept it in two ways (``codec-utf-8``: the intervals; ``codec-v2-utf-8``:
    those and the ones that do not round-trip, none for UTF-8); both are written, and the
    one this Hypothesis reads is read back through it. Should it read otherwise, both are
    removed and Hypothesis builds its own, as it did before.
    """
    try:
        from hypothesis.internal.charmap import charmap_file, intervals_from_codec
    except ImportError:
        return
    tables = {charmap_file("codec-utf-8"): _UTF8, charmap_file("codec-v2-utf-8"): (_UTF8, ())}
    if any(path.exists() for path in tables):
        return
    try:
        for path, content in tables.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with gzip.GzipFile(path, "wb", mtime=1) as out:
                out.write(json.dumps(content).encode())
        if tuple(encodable(intervals_from_codec("utf-8")).intervals) != _UTF8:
            for path in tables:
                path.unlink(missing_ok=True)
            intervals_from_codec.cache_clear()
    except (OSError, ValueError, TypeError):
        return


def encodable(found: Any) -> Any:
    """The encodable set of what ``intervals_from_codec`` answers (newer Hypothesis: a pair of sets)."""
    return found[0] if isinstance(found, tuple) else found
