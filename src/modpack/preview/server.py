"""The preview's HTTP side: what it keeps, serving package files, the index and /tracked.

It answers only requests addressed to 127.0.0.1 or localhost (a page elsewhere using DNS
rebinding is refused), reads request bodies up to a cap, streams package files, and answers a
malformed request with 400: a handler never fails on what a client sends. A client silent for
REQUEST_TIMEOUT seconds is let go, and what the preview keeps for clients (State documents,
statements, launch tokens) is capped, so that a stalled or greedy client holds neither the
others nor the memory.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
import threading
import urllib.parse
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path, PurePosixPath
from typing import Any

from ..lines import bounded_lines
from .package import Served

MAX_BODY = 4 * 1024 * 1024  # a CMI commit or a batch of statements is far smaller
MAX_DOCUMENTS = 64 * 1024 * 1024  # State API documents kept in all (a player keeps a few kB)
MAX_STATEMENTS_FILE = 64 * 1024 * 1024  # statements stored (some 60,000): a preview, not an LRS
MAX_TOKENS = 1000  # launch tokens kept, fetched or not: the oldest go first
MAX_LISTED = 1000  # statements a GET answers with (the last ones)
REQUEST_TIMEOUT = 15.0  # seconds a client may stay silent, in its request or its body
STREAM_TIMEOUT = 600.0  # seconds a client may leave a package file unread (a video paused) before it is cut
_LENGTH = re.compile(r"[0-9]{1,10}")
MAX_JSON_DEPTH = 64  # a statement nests about ten deep
MAX_INJECTED = 8 * 1024 * 1024  # an HTML page read whole to add the reload script; larger ones are streamed as they are
MIME = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css",
        ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".gif": "image/gif", ".webp": "image/webp", ".mp3": "audio/mpeg", ".mp4": "video/mp4", ".webm": "video/webm",
        ".pdf": "application/pdf", ".xml": "application/xml", ".vtt": "text/vtt", ".json": "application/json"}
# Run by launch pages while `preview --watch` runs: the page reloads once the build it was served
# from (its generation, written into the script) is no longer the current one.
RELOAD_SCRIPT = ("(function(){{var g='{generation}';setInterval(function(){{var r=new XMLHttpRequest();"
                 "r.open('GET','/generation');r.onload=function(){{if(r.status===200&&r.responseText!==g)"
                 "top.location.reload();}};r.send();}},500);}})();")


class BadRequest(ValueError):
    """What a client sent cannot be understood: answered 400."""


@dataclass
class PreviewState:
    """What the preview LMS keeps: the package served, tokens, State API documents, statements."""

    served: Served
    store: Path
    launch_mode: str = "Normal"  # cmi5: Normal, Browse or Review
    lrs: str | None = None
    lrs_auth: str | None = None
    learner: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # fetch id -> token, until fetched (once)
    valid_tokens: dict[str, None] = field(default_factory=dict)  # the tokens fetched, oldest first
    documents: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    documents_size: int = 0  # bytes of all documents, against MAX_DOCUMENTS
    preferences: dict[str, str] | None = None  # cmi5 11.0: the learner's cmi5LearnerPreferences, if any
    ended_sessions: set[str] = field(default_factory=set)  # cmi5 sessions whose Terminated came
    statement_ids: set[str] = field(default_factory=set)  # what is held: a resend of one is no news
    registration: str = field(default_factory=lambda: str(uuid.uuid4()))
    lock: threading.Lock = field(default_factory=threading.Lock)
    generation: int = 0  # counts rebuilds under --watch
    watching: bool = False
    # the store, when it is the preview's own: removed when it stops, or else when the process ends
    # (a kill that came while it started, before its caller held it, leaves no folder either)
    temporary: tempfile.TemporaryDirectory[str] | None = None

    @property
    def standard(self) -> str:
        return self.served.standard

    @property
    def course_id(self) -> str:
        return self.served.course_id

    @property
    def aus(self) -> list[Any]:
        return self.served.aus

    @property
    def scos(self) -> list[Any]:
        return self.served.scos

    @property
    def statements_file(self) -> Path:
        return self.store / "statements.jsonl"

    def recorded(self, last: int | None = None, holding: str | None = None) -> list[dict[str, Any]]:
        """The statements kept (the ``last`` ones only, if given; only lines that hold the text
        ``holding``, if given), read line by line in bounded memory; a line that is not a JSON
        object, or is too long or too deep to read, is skipped."""
        if not self.statements_file.exists():
            return []
        found: deque[dict[str, Any]] | list[dict[str, Any]] = deque(maxlen=last) if last else []
        needle = holding.encode() if holding else None
        with self.statements_file.open("rb") as handle:
            for _, line in bounded_lines(handle, MAX_BODY):
                if not line or (needle is not None and needle not in line):
                    continue
                try:
                    value = json.loads(line)
                except (ValueError, RecursionError):
                    continue
                if isinstance(value, dict):
                    found.append(value)
        return list(found)


def _text(value: Any) -> str:
    """Any value as text for a page, escaped."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = "?"
    return html.escape(text, quote=True)


def nests_past(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` deep (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _no_constant(name: str) -> Any:
    raise BadRequest(f"{name} is not a JSON number (RFC 8259 §6)")


class BaseHandler(BaseHTTPRequestHandler):
    server_version = "modpack-preview"
    timeout = REQUEST_TIMEOUT  # (the socket's: a silent client is let go, its thread and descriptor freed)
    preview: PreviewState

    def log_message(self, *args: Any) -> None:  # quiet; the live view shows what matters
        pass

    # -- plumbing ---------------------------------------------------------------------------

    def _send(self, status: int, body: bytes = b"", kind: str = "application/json",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            if any(c in value for c in "\r\n\x00"):  # never a header split by a value from a package
                raise BadRequest(f"refused header value for {key}")
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value).encode())

    def _body(self) -> bytes:
        raw = self.headers.get("Content-Length") or "0"
        # ASCII digits only: str.isdigit() takes '²', which int() then refuses
        if not _LENGTH.fullmatch(raw) or int(raw) > MAX_BODY:
            raise BadRequest("a missing, malformed or too large Content-Length")
        try:
            body = self.rfile.read(int(raw))
        except TimeoutError:
            raise BadRequest(f"the body did not come within {REQUEST_TIMEOUT:g} s") from None
        if len(body) != int(raw):  # the client closed early: half a document is not kept
            raise BadRequest("the body is shorter than its Content-Length")
        return body

    def _json_body(self) -> Any:
        try:
            value = json.loads(self._body(), parse_constant=_no_constant)
        except BadRequest:
            raise
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise BadRequest("the body is not JSON (or nests too deep to read)") from None
        if nests_past(value, MAX_JSON_DEPTH):  # written again later, deeper in a handler's stack: a RecursionError then
            raise BadRequest(f"the body nests more than {MAX_JSON_DEPTH} deep")
        return value

    def _base(self) -> str:
        return f"http://127.0.0.1:{self._port()}"

    def _port(self) -> int:
        address: Any = self.server.server_address
        return int(address[1])

    def _local(self) -> bool:
        """Only requests addressed to this machine: a web page elsewhere (DNS rebinding) is refused."""
        port = self._port()
        return self.headers.get("Host", "") in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _numbered(self, path: str, items: list[Any]) -> int | None:
        """The n of '/launch/n' or '/cmi/n' when it names one of ``items``."""
        tail = path.rsplit("/", 1)[-1]
        return int(tail) if tail.isdigit() and len(tail) < 7 and int(tail) < len(items) else None

    # -- routes -----------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802
        self._guarded("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._guarded("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._guarded("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._guarded("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._guarded("DELETE")

    def _guarded(self, method: str) -> None:
        try:
            if not self._local():
                return self._send(421, b"misdirected request", "text/plain")
            path, _, query = self.path.partition("?")
            params = dict(urllib.parse.parse_qsl(query))
            if not self._route(method, path, params):
                self._send(404, b"not found", "text/plain")
        except BadRequest as exc:
            self._send(400, json.dumps({"error": str(exc)}).encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser left
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the preview; one line, no traceback
            try:
                self._send(500, json.dumps({"error": f"{type(exc).__name__}"}).encode())
            except OSError:
                pass

    def _route(self, method: str, path: str, params: dict[str, str]) -> bool:
        """Serve what this class knows; subclasses (the SCORM host, the cmi5 LMS) add routes."""
        if method != "GET":
            return False
        if path == "/":
            self._index()
        elif path == "/tracked":
            self._tracked()
        elif path == "/generation":
            self._send(200, str(self.preview.generation).encode(), "text/plain")
        elif path == "/preview/reload.js":
            generation = params.get("g", "")
            self._send(200, RELOAD_SCRIPT.format(generation=generation if generation.isdigit() else "").encode(),
                       MIME[".js"])
        elif path.startswith("/pkg/"):
            return self._package_file(urllib.parse.unquote(path[len("/pkg/"):]))
        else:
            return False
        return True

    def _package_file(self, name: str) -> bool:
        served = self.preview.served
        if not served.has(name):
            return False
        kind = MIME.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
        if self.preview.watching and kind.startswith("text/html") and served.size(name) <= MAX_INJECTED:
            # the author loop: launch pages reload themselves after a rebuild
            script = f'<script src="/preview/reload.js?g={self.preview.generation}"></script></body>'.encode()
            body = b"".join(served.stream(name)).replace(b"</body>", script, 1)
            self._send(200, body, kind)
            return True
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(served.size(name)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            # a browser stops reading a video while it is paused: the download waits for it that long
            self.connection.settimeout(STREAM_TIMEOUT)
            for chunk in served.stream(name):
                self.wfile.write(chunk)
        return True

    def _index(self) -> None:
        preview = self.preview
        items = "".join(f'<li><a href="/launch/{n}">{_text(au.title)}</a> <small>moveOn {_text(au.move_on)}</small></li>'
                        for n, au in enumerate(preview.aus))
        items += "".join(f'<li><a href="/launch/{n}">{_text(sco.title)}</a> <small>{_text(preview.standard)}</small></li>'
                         for n, sco in enumerate(preview.scos))
        page = (f"<!DOCTYPE html><html lang=id><meta charset=utf-8><title>modpack preview</title><h1>Pratinjau</h1>"
                f"<ol>{items}</ol><p><a href=/tracked>Yang tercatat (tracked)</a></p></html>")
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _tracked(self) -> None:
        rows = ""
        for statement in self.preview.recorded(last=200):
            verb = statement.get("verb")
            verb_id = verb.get("id") if isinstance(verb, dict) else None
            target = statement.get("object")
            rows += (f"<tr><td>{_text(statement.get('timestamp', ''))}</td>"
                     f"<td>{_text(verb_id.rsplit('/', 1)[-1] if isinstance(verb_id, str) else verb_id)}</td>"
                     f"<td>{_text(target.get('id', '') if isinstance(target, dict) else target)}</td>"
                     f"<td>{_text(statement.get('result', {}))}</td></tr>")
        rows += self._tracked_cmi()
        page = ("<!DOCTYPE html><html lang=en><meta charset=utf-8><meta http-equiv=refresh content=2>"
                "<title>tracked</title><h1>Tracked</h1><table><tr><th>time</th><th>verb</th><th>object</th>"
                f"<th>result</th></tr>{rows}</table></html>")
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _tracked_cmi(self) -> str:
        return ""
