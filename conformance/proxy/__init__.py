"""The validating proxy: real traffic forwarded as it is, every exchange checked like a run's.

proxy_in_thread(spec, ProxyOptions(upstream), *, host, port, run_options, write, flush_every)
    -> ContextManager[RunningProxy]   (.base_url, .results() -> RunResult, .stop())
ProxyOptions(upstream, timeout=30, deadline=300, max_body=16 MB)
ProxyRunOptions(checks=(), errata=(), strict_spec=False)   what the results say of the session
"""

from ._app import ProxyOptions
from ._record import ProxyRunOptions, Recorder
from ._serve import RunningProxy, proxy_in_thread

__all__ = ["ProxyOptions", "ProxyRunOptions", "Recorder", "RunningProxy", "proxy_in_thread"]
