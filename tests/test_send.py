"""Sending goes through httpx: it honours the environment's proxy settings and an LRS's
Retry-After, and never takes credentials from a URL."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from modpack.xapi.send import Lrs, SendError, Sender, SendSummary, _retry_after

from .lrs_support import reply


class _Recorder(BaseHTTPRequestHandler):
    """An LRS (or a proxy: it records the request line) that answers from a script."""

    script: list[tuple[int, dict[str, str]]] = []
    seen: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(self.requestline)
        status, headers = self.script.pop(0) if self.script else (200, {})
        body = json.dumps(["id"]).encode()
        reply(self, status, headers, body)


@pytest.fixture
def recorder():
    handler = type("Handler", (_Recorder,), {"script": [], "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_retry_after_is_honoured(recorder):
    handler, base = recorder
    handler.script = [(429, {"Retry-After": "7"}), (503, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), (200, {})]
    waits: list[float] = []
    sender = Sender(Lrs(base + "/xapi/", None), sleep=waits.append, backoff=0.5)
    summary = SendSummary()
    sender.send_batch([(1, "a", b'{"id": "a"}')], summary)
    assert summary.sent == 1 and summary.retries == 2
    assert waits == [7.0, 0.0]  # the number of seconds asked; a date in the past: at once


def test_a_long_retry_after_is_capped():
    assert _retry_after("120") == 120.0 and _retry_after("soon") is None and _retry_after(None) is None
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == pytest.approx(60, abs=1)


def test_the_proxy_of_the_environment_is_used(recorder, monkeypatch):
    proxy, proxy_url = recorder
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    lrs = Lrs("http://lrs.example.go.id/xapi/", None)
    status, _ = lrs.post([b'{"id": "a"}'])
    lrs.close()
    assert status == 200
    # a proxy receives the absolute URL in its request line
    assert proxy.seen == ["POST http://lrs.example.go.id/xapi/statements HTTP/1.1"]


def test_credentials_in_the_lrs_url_are_refused():
    with pytest.raises(SendError, match="user name or password"):
        Lrs("https://admin:rahasia@lrs.example.go.id/xapi/", None)
