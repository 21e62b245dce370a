"""Third-party-like OpenAI-compatible servers for the tests, written unlike the reference server.

A stdlib ``ThreadingHTTPServer``; each module gives a ``routes`` list of (method, path regex,
handler), and ``serve(bugs=...)`` mounts them all. ``bugs`` switches on one deviation each.
"""
