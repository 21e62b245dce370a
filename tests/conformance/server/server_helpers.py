"""Helpers of the server's tests: an authenticated client and SSE parsing."""

from __future__ import annotations

from typing import Any

import requests

from openai_conformance.server import RunningServer

KEY = "sk-test-reference"


class Client:
    """``requests`` against one server, authenticated, with the base URL applied."""

    def __init__(self, server: RunningServer, key: str | None = KEY) -> None:
        self.server = server
        self.session = requests.Session()
        if key is not None:
            self.session.headers["Authorization"] = f"Bearer {key}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.server.base_url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


def events(response: requests.Response) -> list[str]:
    """The ``data:`` payloads of a server-sent event stream, in order."""
    text = response.text
    assert text.endswith("\n\n"), "every event ends with a blank line"
    frames = [frame for frame in text.split("\n\n") if frame]
    assert all(frame.startswith("data: ") for frame in frames), frames[:3]
    return [frame[len("data: ") :] for frame in frames]


def png(side: int = 64, *, height: int | None = None, alpha: bool = True, fmt: str = "PNG") -> bytes:
    """An image for uploads: square RGBA with a transparent corner unless told otherwise."""
    import io

    from PIL import Image

    mode = "RGBA" if alpha else "RGB"
    image = Image.new(mode, (side, height or side), (10, 200, 30, 255) if alpha else (10, 200, 30))
    if alpha:
        image.putpixel((0, 0), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


TRAINING = b'{"prompt": "a ->", "completion": " b\\n"}\n{"prompt": "c ->", "completion": " d\\n"}\n'


def upload_file(
    client: Client, data: bytes = TRAINING, purpose: str = "fine-tune", name: str = "train.jsonl"
) -> requests.Response:
    return client.post("/files", files={"file": (name, data, "application/jsonl")}, data={"purpose": purpose})
