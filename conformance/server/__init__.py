"""The reference server: a conformant, stateful, streaming OpenAI API (seed spec),
with named faults that make it wrong on purpose, one check at a time.

    create_app(spec=None, *, faults=(), api_keys=None) -> Starlette app
    serve_in_thread(...) / serve_in_subprocess(...) -> ContextManager[RunningServer]
    FAULTS: name -> Fault(name, description, check)
"""

from ._app import create_app
from ._faults import FAULTS, Fault
from ._runner import RunningServer, serve_in_subprocess, serve_in_thread

__all__ = ["FAULTS", "Fault", "RunningServer", "create_app", "serve_in_subprocess", "serve_in_thread"]
