"""The key never leaves the process: redaction of text, headers and reproducers."""

from __future__ import annotations

from openai_conformance.redact import REDACTED, Redactor

KEY = "sk-proj-abcdefghijklmnopqrstuvwx0123"


def test_redactor_removes_the_key_from_text_and_headers() -> None:
    redactor = Redactor([KEY])
    assert KEY not in redactor.text(f"url?key={KEY}&x=1")
    headers = redactor.headers({"Authorization": f"Bearer {KEY}", "X-Echo": KEY, "Accept": "*/*"})
    assert headers == {"Authorization": f"Bearer {REDACTED}", "X-Echo": REDACTED, "Accept": "*/*"}


def test_any_key_shaped_string_is_redacted_even_when_unknown() -> None:
    assert "sk-" not in Redactor().text("leaked sk-live-0123456789-abcdefgh here")


def test_secrets_that_are_not_key_shaped_are_redacted_when_named() -> None:
    assert "hunter2hunter2" not in Redactor(["hunter2hunter2"]).text("pw=hunter2hunter2")
    assert Redactor().text("pw=hunter2hunter2") == "pw=hunter2hunter2"


def test_echoed_forms_of_a_named_secret_are_redacted() -> None:
    import base64
    from urllib.parse import quote

    secret = "plain-gateway-secret-42"
    redactor = Redactor([secret])
    basic = base64.b64encode(f"user:{secret}".encode()).decode()
    for echoed in (secret, quote(secret + "/", safe=""), base64.b64encode(secret.encode()).decode(), basic):
        left = redactor.text(echoed)
        # At most a few characters at either edge of an encoded form survive, never the secret.
        assert not [echoed[i : i + 10] for i in range(len(echoed) - 9) if echoed[i : i + 10] in left], (echoed, left)
