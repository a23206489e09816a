"""A real LRS for the tests: Learning Locker's statements service (npm xapi-statements 5.0.1),
in memory, bound to 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from http.server import BaseHTTPRequestHandler
from pathlib import Path

LRS_DIR = Path(__file__).resolve().parent / "lrs"


def reply(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
    """One whole answer of a scripted test server: its status, headers, length and body."""
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LearningLocker:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        self.process: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> "LearningLocker":
        if not (LRS_DIR / "node_modules" / "xapi-statements").exists():
            raise RuntimeError("npm packages missing: run .ci/run (npm ci --prefix tests/lrs)")
        env = {**os.environ, "MODELS_REPO": "memory", "STORAGE_REPO": "local", "EVENTS_REPO": "test",
               "AUTH_REPO": "test", "EXPRESS_PORT": str(self.port), "WINSTON_CONSOLE_LEVEL": "error",
               "FS_LOCAL_STORAGE_DIR": str(LRS_DIR / "storage"), "EXPRESS_MORGAN_DIRECTORY": str(LRS_DIR / "storage")}
        self.process = subprocess.Popen(["node", "server.js"], cwd=LRS_DIR, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        if wait:
            self.wait()
        return self

    def wait(self, seconds: float = 30) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the LRS did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def statements(self) -> list[dict]:
        """Every statement the LRS holds, in one page (this service sets no ceiling on `limit`). Not
        by its `more` links: in memory, their cursor compares version-1 UUIDs as text, whose leading
        field wraps every 7 minutes, so a page after a wrap left out every older statement."""
        request = urllib.request.Request(self.endpoint + "statements?limit=1000000",
                                         headers={"X-Experience-API-Version": "1.0.3",
                                                  "Authorization": "Basic dGVzdDp0ZXN0"})
        with urllib.request.urlopen(request, timeout=60) as response:
            page = json.loads(response.read())
        if page.get("more"):
            raise RuntimeError("more than a million statements held: the tests never send that many")
        return page["statements"]


def xapi_validation_warnings(jsonl: bytes) -> list[dict]:
    """Learning Locker's validator (npm @learninglocker/xapi-validation) over JSON Lines."""
    result = subprocess.run(["node", "validate.js"], cwd=LRS_DIR, input=jsonl, capture_output=True, check=True)
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
