"""`modpack preview`: a small LMS on 127.0.0.1 to try a module or package as a learner would.

For cmi5 it is the LMS and LRS side: it creates a registration and a session per launch, answers
the one-time fetch URL with a token, keeps the State API (with LMS.LaunchData) and receives
statements, which it keeps in a JSON Lines file or passes on to a real LRS (--lrs, credentials
from the environment). When that LRS is down it answers 503, so the player keeps the statements
and sends them again later. For SCORM 1.2 and 2004 it hosts each SCO under a SCORM API
(preview_host/scorm-host.js) and keeps the CMI of each SCO in a file, so a relaunch resumes.
/tracked shows what was recorded. The browser tests use this same code as their LMS.
May import: ``modpack.package`` (to build a module on the fly), ``modpack.checker`` (to read
a package safely), ``modpack.definition`` and ``modpack.xapi``.
"""

from __future__ import annotations

import base64
import html
import json
import os
import secrets
import tempfile
import threading
import urllib.parse
import uuid
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from lxml import etree

from ..package.builder import build_package
from ..definition.loader import load
from ..model import Course

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
SESSION_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MIME = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css",
        ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".gif": "image/gif", ".webp": "image/webp", ".mp3": "audio/mpeg", ".mp4": "video/mp4", ".webm": "video/webm",
        ".pdf": "application/pdf", ".xml": "application/xml", ".vtt": "text/vtt", ".json": "application/json"}


@dataclass
class Au:
    id: str
    title: str
    url: str
    move_on: str
    mastery: float | None


@dataclass
class Sco:
    key: str
    title: str
    url: str


@dataclass
class PreviewState:
    """What the preview LMS keeps: package files, AUs, tokens, State API documents, statements."""

    files: dict[str, bytes]
    course_id: str
    aus: list[Au]
    store: Path
    standard: str = "cmi5"
    scos: list[Sco] = field(default_factory=list)
    launch_mode: str = "Normal"  # cmi5: Normal, Browse or Review
    lrs: str | None = None
    lrs_auth: str | None = None
    learner: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str | None] = field(default_factory=dict)  # fetch id -> token (None once used)
    valid_tokens: set[str] = field(default_factory=set)
    documents: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    registration: str = field(default_factory=lambda: str(uuid.uuid4()))
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def statements_file(self) -> Path:
        return self.store / "statements.jsonl"

    def recorded(self) -> list[dict[str, Any]]:
        if not self.statements_file.exists():
            return []
        return [json.loads(line) for line in self.statements_file.read_text(encoding="utf-8").splitlines() if line]


def package_files(source: str | os.PathLike[str], out: Path, fmt: str = "cmi5") -> dict[str, bytes]:
    """The files of a package: a zip as it is, or a module (or its folder) built on the fly in ``fmt``."""
    path = Path(source)
    if path.is_file() and path.suffix == ".zip":
        zip_path = path
    else:
        loaded = load(path)
        module = loaded.loaded_modules[0] if isinstance(loaded, Course) else loaded
        zip_path = build_package(module, fmt, out)
    with zipfile.ZipFile(zip_path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def read_scos(files: dict[str, bytes]) -> tuple[str, list[Sco]]:
    """The standard and the launchable items of a SCORM manifest."""
    root = etree.fromstring(files["imsmanifest.xml"], etree.XMLParser(resolve_entities=False, no_network=True))
    ns = etree.QName(root).namespace
    standard = "scorm12" if ns == "http://www.imsproject.org/xsd/imscp_rootv1p1p2" else "scorm2004"
    resources = {r.get("identifier"): r for r in root.iter(f"{{{ns}}}resource")}
    scos = []
    for item in root.iter(f"{{{ns}}}item"):
        resource = resources.get(item.get("identifierref") or "")
        if resource is not None and resource.get("href"):
            scos.append(Sco(item.get("identifier"), (item.findtext(f"{{{ns}}}title") or "").strip(),
                            resource.get("href") + (item.get("parameters") or "")))
    return standard, scos


def read_course(files: dict[str, bytes]) -> tuple[str, list[Au]]:
    root = etree.fromstring(files["cmi5.xml"], etree.XMLParser(resolve_entities=False, no_network=True))
    course = root.find(f"{{{CMI5_NS}}}course")
    aus = []
    for au in root.iter(f"{{{CMI5_NS}}}au"):
        title = au.find(f"{{{CMI5_NS}}}title/{{{CMI5_NS}}}langstring")
        score = au.get("masteryScore")
        aus.append(Au(au.get("id"), title.text if title is not None else au.get("id"),
                      (au.findtext(f"{{{CMI5_NS}}}url") or "").strip(), au.get("moveOn", "NotApplicable"),
                      float(score) if score else None))
    return course.get("id"), aus


class Handler(BaseHTTPRequestHandler):
    server_version = "modpack-preview"
    preview: PreviewState

    def log_message(self, *args: Any) -> None:  # quiet; the live view shows what matters
        pass

    # -- plumbing -------------------------------------------------------------------

    def _send(self, status: int, body: bytes = b"", kind: str = "application/json", headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value).encode())

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _local(self) -> bool:
        """Only requests addressed to this machine: a web page elsewhere (DNS rebinding) is refused."""
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _authorised(self) -> bool:
        auth = self.headers.get("Authorization", "")
        return auth.startswith("Basic ") and auth[6:] in self.preview.valid_tokens

    # -- routes ---------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._route("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._route("DELETE")

    def _numbered(self, path: str, items: list) -> int | None:
        """The n of '/launch/n' or '/cmi/n' when it names one of ``items``."""
        tail = path.rsplit("/", 1)[-1]
        return int(tail) if tail.isdigit() and int(tail) < len(items) else None

    def _route(self, method: str) -> None:
        if not self._local():
            return self._send(421, b"misdirected request", "text/plain")
        path, _, query = self.path.partition("?")
        params = dict(urllib.parse.parse_qsl(query))
        units = self.preview.scos or self.preview.aus
        if path.startswith("/xapi/"):
            return self._xapi(method, path[len("/xapi/"):], params)
        if method == "POST" and path.startswith("/fetch/"):
            return self._fetch(path.rsplit("/", 1)[-1])
        if path.startswith("/cmi/") and method in ("GET", "POST") and (number := self._numbered(path, self.preview.scos)) is not None:
            return self._cmi_get(number) if method == "GET" else self._cmi_post(number)
        if method == "GET":
            if path == "/":
                return self._index()
            if path == "/tracked":
                return self._tracked()
            if path.startswith("/launch/") and (number := self._numbered(path, units)) is not None:
                return self._launch_sco(number) if self.preview.scos else self._launch(number)
            if path == "/host/scorm-host.js":
                return self._send(200, (Path(__file__).parent / "scorm-host.js").read_bytes(),
                                  MIME[".js"])
            if path.startswith("/pkg/"):
                name = urllib.parse.unquote(path[len("/pkg/"):])
                data = self.preview.files.get(name)
                if data is not None:
                    return self._send(200, data, MIME.get(Path(name).suffix.lower(), "application/octet-stream"))
        self._send(404, b"not found", "text/plain")

    def _index(self) -> None:
        items = "".join(f'<li><a href="/launch/{n}">{html.escape(au.title)}</a> <small>moveOn {au.move_on}</small></li>'
                        for n, au in enumerate(self.preview.aus))
        items += "".join(f'<li><a href="/launch/{n}">{html.escape(sco.title)}</a> <small>{self.preview.standard}</small></li>'
                         for n, sco in enumerate(self.preview.scos))
        page = (f"<!DOCTYPE html><html lang=id><meta charset=utf-8><title>modpack preview</title><h1>Pratinjau</h1>"
                f"<ol>{items}</ol><p><a href=/tracked>Yang tercatat (tracked)</a></p></html>")
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _cmi_file(self, number: int) -> Path:
        # by position, never by the manifest's identifier: a package must not choose where files go
        return self.preview.store / "cmi" / f"sco-{number}.json"

    def _cmi_get(self, number: int) -> None:
        file = self._cmi_file(number)
        self._send(200, file.read_bytes() if file.exists() else b"{}")

    def _cmi_post(self, number: int) -> None:
        origin = self.headers.get("Origin")
        if origin and origin != self._base():  # another site's page posting into the preview
            return self._send(403, b"{}")
        body = self._body()
        try:
            json.loads(body)
        except ValueError:
            return self._send(400, b"{}")
        file = self._cmi_file(number)
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_suffix(".part")
        temporary.write_bytes(body)
        os.replace(temporary, file)  # a commit is whole or not at all
        self._json(200, {"result": True})

    def _launch_sco(self, number: int) -> None:
        sco = self.preview.scos[number]
        config = json.dumps({"standard": self.preview.standard, "cmiUrl": f"/cmi/{number}", "learnerId": "peserta",
                             "learnerName": self.preview.learner.get("name", "")}).replace("</", "<\\/")
        page = ("<!DOCTYPE html><html lang=id><meta charset=utf-8><meta name=viewport content='width=device-width'>"
                f"<title>{html.escape(sco.title)}</title><style>html,body{{margin:0;height:100%}}"
                "iframe{border:0;width:100%;height:100%;display:block}</style>"
                f"<script>window.PREVIEW = {config};</script><script src=/host/scorm-host.js></script>"
                f"<iframe id=sco title='{html.escape(sco.title)}' src='/pkg/{html.escape(sco.url)}'></iframe></html>")
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _tracked(self) -> None:
        rows = "".join(
            f"<tr><td>{html.escape(s.get('timestamp', ''))}</td><td>{html.escape(s['verb']['id'].rsplit('/', 1)[-1])}</td>"
            f"<td>{html.escape(s['object'].get('id', ''))}</td><td>{html.escape(json.dumps(s.get('result', {})))}</td></tr>"
            for s in self.preview.recorded()[-200:])
        for number, sco in enumerate(self.preview.scos):
            file = self._cmi_file(number)
            if file.exists():
                data = json.loads(file.read_text(encoding="utf-8"))
                shown = {k: v for k, v in data.items() if "interactions" not in k and k != "cmi.suspend_data"}
                rows += f"<tr><td>{html.escape(sco.key)}</td><td colspan=3>{html.escape(json.dumps(shown))}</td></tr>"
        page = ("<!DOCTYPE html><html lang=en><meta charset=utf-8><meta http-equiv=refresh content=2>"
                "<title>tracked</title><h1>Tracked</h1><table><tr><th>time</th><th>verb</th><th>object</th>"
                f"<th>result</th></tr>{rows}</table></html>")
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _launch(self, number: int) -> None:
        preview = self.preview
        au = preview.aus[number]
        fetch_id = secrets.token_urlsafe(12)
        session = str(uuid.uuid4())
        with preview.lock:
            preview.tokens[fetch_id] = base64.b64encode(f"preview:{secrets.token_urlsafe(18)}".encode()).decode()
            # cmi5 9.6.2.3: the grouping holds the AU's publisher id (here the AU id is the activity id too)
            launch_data = {"contextTemplate": {"contextActivities": {"grouping": [{"id": au.id}]},
                                               "extensions": {SESSION_EXTENSION: session}},
                           "launchMode": preview.launch_mode, "moveOn": au.move_on, "returnURL": self._base() + "/"}
            if au.mastery is not None:
                launch_data["masteryScore"] = au.mastery
            key = (au.id, json.dumps(preview.learner, sort_keys=True), preview.registration, "LMS.LaunchData")
            preview.documents[key] = json.dumps(launch_data).encode()
        query = urllib.parse.urlencode({"endpoint": self._base() + "/xapi/", "fetch": f"{self._base()}/fetch/{fetch_id}",
                                        "actor": json.dumps(preview.learner), "registration": preview.registration,
                                        "activityId": au.id})
        joiner = "&" if "?" in au.url else "?"  # an AU url may carry its own parameters: merge them
        self._send(302, b"", "text/plain", {"Location": f"/pkg/{au.url}{joiner}{query}"})

    def _fetch(self, fetch_id: str) -> None:
        with self.preview.lock:
            token = self.preview.tokens.get(fetch_id)
            if token is None:  # cmi5: the fetch URL answers once
                return self._json(200, {"error-code": "1", "error-text": "the fetch URL was already used"})
            self.preview.tokens[fetch_id] = None
            self.preview.valid_tokens.add(token)
        self._json(200, {"auth-token": token})

    def _xapi(self, method: str, resource: str, params: dict[str, str]) -> None:
        if resource == "about":
            return self._json(200, {"version": ["1.0.3"]})
        if not self._authorised():
            return self._send(401, b'{"error": "unauthorised"}')
        if resource == "activities/state":
            return self._state(method, params)
        if resource == "agents/profile":
            return self._send(404, b"{}")
        if resource == "statements" and method in ("POST", "PUT"):
            return self._statements(self._body(), params)
        if resource == "statements" and method == "GET":
            wanted = params.get("registration")
            found = [s for s in self.preview.recorded() if not wanted or s.get("context", {}).get("registration") == wanted]
            return self._json(200, {"statements": found, "more": ""})
        self._send(405, b"{}")

    def _state(self, method: str, params: dict[str, str]) -> None:
        agent = json.dumps(json.loads(params.get("agent", "{}")), sort_keys=True)
        key = (params.get("activityId", ""), agent, params.get("registration", ""), params.get("stateId", ""))
        with self.preview.lock:
            if method == "GET":
                data = self.preview.documents.get(key)
                return self._send(200, data) if data is not None else self._send(404, b"{}")
            if method in ("PUT", "POST"):
                self.preview.documents[key] = self._body()
                return self._send(204)
            self.preview.documents.pop(key, None)
        self._send(204)

    def _statements(self, body: bytes, params: dict[str, str]) -> None:
        try:
            data = json.loads(body)
        except ValueError:
            return self._send(400, b'{"error": "not JSON"}')
        statements = data if isinstance(data, list) else [data]
        if "statementId" in params and len(statements) == 1:
            statements[0].setdefault("id", params["statementId"])
        for statement in statements:
            statement.setdefault("id", str(uuid.uuid4()))
        if self.preview.lrs:
            from ..xapi.send import Lrs

            lrs = Lrs(self.preview.lrs, self.preview.lrs_auth, timeout=10)
            try:
                status, reply = lrs.post([json.dumps(s).encode() for s in statements])
            except OSError:
                return self._send(503, b'{"error": "the LRS is unreachable; try again later"}')
            finally:
                lrs.close()
            if status >= 500:
                return self._send(503, b'{"error": "the LRS is failing; try again later"}')
            if status not in (200, 204, 409):
                return self._send(status, reply)
        with self.preview.lock, self.preview.statements_file.open("a", encoding="utf-8") as handle:
            for statement in statements:
                handle.write(json.dumps(statement, ensure_ascii=False) + "\n")
        self._json(200, [s["id"] for s in statements])


def start(source: str | os.PathLike[str], port: int = 0, lrs: str | None = None, lrs_auth: str | None = None,
          store: str | os.PathLike[str] | None = None, learner: str = "Peserta Pratinjau",
          fmt: str = "cmi5") -> tuple[ThreadingHTTPServer, PreviewState]:
    """Start the preview LMS in a background thread; returns the server and its state.

    ``source`` is a cmi5 or SCORM package (zip), or a module built on the fly as ``fmt``.
    """
    store_path = Path(store) if store else Path(tempfile.mkdtemp(prefix="modpack-preview-"))
    store_path.mkdir(parents=True, exist_ok=True)
    files = package_files(source, store_path / "build", fmt)
    if "cmi5.xml" in files:
        course_id, aus = read_course(files)
        state = PreviewState(files, course_id, aus, store_path, lrs=lrs, lrs_auth=lrs_auth)
    elif "imsmanifest.xml" in files:
        standard, scos = read_scos(files)
        state = PreviewState(files, "", [], store_path, standard=standard, scos=scos, lrs=lrs, lrs_auth=lrs_auth)
    else:
        raise ValueError("preview serves cmi5 and SCORM packages, and module definitions")
    handler = type("PreviewHandler", (Handler,), {"preview": state})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    state.learner = {"objectType": "Agent", "name": learner,
                     "account": {"homePage": f"http://127.0.0.1:{server.server_address[1]}", "name": "peserta"}}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state


__all__ = ["start", "PreviewState"]
