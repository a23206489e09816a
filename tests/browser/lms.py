"""A test LMS on 127.0.0.1: serves host.html (scorm-again), the npm packages and extracted packages,
and keeps every commit per session so that a relaunch can resume from it."""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent


class LmsState:
    def __init__(self) -> None:
        self.commits: dict[str, list[dict]] = {}
        self.lock = threading.Lock()

    def last(self, session: str) -> dict | None:
        with self.lock:
            commits = self.commits.get(session) or []
            return commits[-1] if commits else None


class Handler(SimpleHTTPRequestHandler):
    state: LmsState
    packages: Path

    def log_message(self, *args) -> None:  # quiet tests
        pass

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith("/pkg/"):
            return str(self.packages / path[len("/pkg/"):])
        if path.startswith("/node_modules/") or path == "/host.html":
            return str(HERE / path.lstrip("/"))
        return str(HERE / "missing")

    def do_GET(self) -> None:
        if self.path.startswith("/cmi/"):
            last = self.state.last(self.path[len("/cmi/"):])
            body = json.dumps(last or {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path.startswith("/commit/"):
            session = self.path[len("/commit/"):].split("?")[0]
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                data = {"unparsed": body.decode("utf-8", "replace")}
            with self.state.lock:
                self.state.commits.setdefault(session, []).append(data)
        reply = b'{"result": true, "errorCode": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


def start(packages: Path) -> tuple[ThreadingHTTPServer, LmsState]:
    state = LmsState()
    handler = type("BoundHandler", (Handler,), {"state": state, "packages": packages})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler))
    server.handle_error = lambda request, address: None  # a browser closing mid-reply is not a failure
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state
