"""``python -m openai_conformance.server``: what ``serve_in_subprocess`` runs."""

import sys

from ._main import main

sys.exit(main())
