"""Where Hypothesis keeps its own files (its Unicode tables) during a run of the CLI.

Hypothesis writes ``.hypothesis/`` into the current folder; a conformance run is not the
user's test suite, so its files go to the user's cache, unless the user named a place.
"""

from __future__ import annotations

import os

from openai_conformance.spec import cache_folder


def keep_hypothesis_files_in_the_cache() -> None:
    """Point Hypothesis at ``~/.cache/openai-conformance/hypothesis`` (``HYPOTHESIS_STORAGE_DIRECTORY`` wins)."""
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        return
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(cache_folder("hypothesis"))
