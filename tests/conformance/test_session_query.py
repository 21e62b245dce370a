"""How the session writes a query: an object parameter as OpenAI reads it (deepObject)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from openai_conformance.engine._session import TargetSession
from openai_conformance.strategies import Case


def test_an_object_in_the_query_is_sent_member_by_member() -> None:
    case = Case(
        "listChatCompletions", "GET", "/chat/completions", query={"metadata": {"a": "1", "b": "x y"}, "limit": 3}
    )
    prepared = TargetSession("http://127.0.0.1:9/v1", api_key="sk-x").prepare(case)
    assert parse_qsl(urlsplit(prepared.url).query) == [("metadata[a]", "1"), ("metadata[b]", "x y"), ("limit", "3")]
