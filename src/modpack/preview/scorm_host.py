"""The preview's SCORM side: each SCO runs in a page of the preview's own under a SCORM API
(scorm-host.js), and its CMI is kept in a file per SCO, so a relaunch resumes."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ..atomic import write_bytes
from .server import MIME, BadRequest, BaseHandler, _text

HOST_SCRIPT = Path(__file__).with_name("scorm-host.js")


class ScormHost(BaseHandler):
    def _route(self, method: str, path: str, params: dict[str, str]) -> bool:
        scos = self.preview.scos
        if path.startswith("/cmi/") and method in ("GET", "POST"):
            number = self._numbered(path, scos)
            if number is None:
                return False
            self._cmi_get(number) if method == "GET" else self._cmi_post(number)
            return True
        if method == "GET" and path == "/host/scorm-host.js":
            self._send(200, HOST_SCRIPT.read_bytes(), MIME[".js"])
            return True
        if method == "GET" and path.startswith("/launch/") and scos:
            number = self._numbered(path, scos)
            if number is None:
                return False
            self._launch_sco(number)
            return True
        return super()._route(method, path, params)

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
        data = self._json_body()
        if not isinstance(data, dict):
            raise BadRequest("the CMI must be a JSON object")
        # whole or not at all, through a temporary file of its own (two tabs, or a page's last beacon
        # beside a commit, write at once): the last one to replace the file wins
        write_bytes(self._cmi_file(number), json.dumps(data).encode())
        self._json(200, {"result": True})

    def _launch_sco(self, number: int) -> None:
        sco = self.preview.scos[number]
        config = json.dumps({"standard": self.preview.standard, "cmiUrl": f"/cmi/{number}", "learnerId": "peserta",
                             "learnerName": self.preview.learner.get("name", "")}).replace("</", "<\\/")
        page = ("<!DOCTYPE html><html lang=id><meta charset=utf-8><meta name=viewport content='width=device-width'>"
                f"<title>{_text(sco.title)}</title><style>html,body{{margin:0;height:100%}}"
                "iframe{border:0;width:100%;height:100%;display:block}</style>"
                f"<script>window.PREVIEW = {config};</script><script src=/host/scorm-host.js></script>"
                f"<iframe id=sco title='{_text(sco.title)}' src='/pkg/{html.escape(sco.url, quote=True)}'></iframe>"
                + (f"<script src='/preview/reload.js?g={self.preview.generation}'></script>" if self.preview.watching
                   else "") + "</html>")
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _tracked_cmi(self) -> str:
        rows = ""
        for number, sco in enumerate(self.preview.scos):
            file = self._cmi_file(number)
            try:
                data: Any = json.loads(file.read_text(encoding="utf-8")) if file.exists() else None
            except (ValueError, RecursionError):
                data = None
            if isinstance(data, dict):
                shown = {k: v for k, v in data.items() if "interactions" not in k and k != "cmi.suspend_data"}
                rows += f"<tr><td>{_text(sco.key)}</td><td colspan=3>{_text(shown)}</td></tr>"
        return rows + super()._tracked_cmi()
