"""The preview's cmi5 side (spec sections 8-11): it creates a registration and a session per
launch, answers the one-time fetch URL with a token, keeps the State API (with LMS.LaunchData)
and receives statements, kept in a JSON Lines file or passed on to a real LRS (503 while that
LRS is down, so the player keeps them and sends them again later)."""

from __future__ import annotations

import base64
import json
import secrets
import urllib.parse
import uuid
from typing import Any

from .server import (MAX_DOCUMENTS, MAX_JSON_DEPTH, MAX_LISTED, MAX_STATEMENTS_FILE, MAX_TOKENS, BadRequest,
                     BaseHandler, nests_past)

SESSION_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


class Cmi5Lms(BaseHandler):
    def _route(self, method: str, path: str, params: dict[str, str]) -> bool:
        if path.startswith("/xapi/"):
            self._xapi(method, path[len("/xapi/"):], params)
            return True
        if method == "POST" and path.startswith("/fetch/"):
            self._fetch(path.rsplit("/", 1)[-1])
            return True
        if method == "GET" and path.startswith("/launch/") and self.preview.aus:
            number = self._numbered(path, self.preview.aus)
            if number is None:
                return False
            self._launch(number)
            return True
        return super()._route(method, path, params)

    def _authorised(self) -> bool:
        auth = self.headers.get("Authorization", "")
        return auth.startswith("Basic ") and auth[6:] in self.preview.valid_tokens

    def _launch(self, number: int) -> None:
        preview = self.preview
        au = preview.aus[number]
        fetch_id = secrets.token_urlsafe(12)
        session = str(uuid.uuid4())
        with preview.lock:
            while len(preview.tokens) >= MAX_TOKENS:  # launches never fetched: the oldest go
                del preview.tokens[next(iter(preview.tokens))]
            preview.tokens[fetch_id] = base64.b64encode(f"preview:{secrets.token_urlsafe(18)}".encode()).decode()
            # cmi5 9.6.2.3: the grouping holds the AU's publisher id (here the AU id is the activity id too)
            launch_data: dict[str, Any] = {"contextTemplate": {"contextActivities": {"grouping": [{"id": au.id}]},
                                                               "extensions": {SESSION_EXTENSION: session}},
                                           "launchMode": preview.launch_mode, "moveOn": au.move_on,
                                           "returnURL": self._base() + "/"}
            if au.mastery is not None:
                launch_data["masteryScore"] = au.mastery
            key = (au.id or "", json.dumps(preview.learner, sort_keys=True), preview.registration, "LMS.LaunchData")
            _keep_document(preview, key, json.dumps(launch_data).encode())
        query = urllib.parse.urlencode({"endpoint": self._base() + "/xapi/", "fetch": f"{self._base()}/fetch/{fetch_id}",
                                        "actor": json.dumps(preview.learner), "registration": preview.registration,
                                        "activityId": au.id or ""})
        joiner = "&" if "?" in au.url else "?"  # an AU url may carry its own parameters: merge them
        location = "/pkg/" + urllib.parse.quote(au.url, safe="/?&=%:;,+@-._~")
        self._send(302, b"", "text/plain", {"Location": f"{location}{joiner}{query}"})

    def _fetch(self, fetch_id: str) -> None:
        with self.preview.lock:
            token = self.preview.tokens.pop(fetch_id, None)
            if token is None:  # cmi5: the fetch URL answers once
                return self._json(200, {"error-code": "1", "error-text": "the fetch URL was already used"})
            valid = self.preview.valid_tokens
            while len(valid) >= MAX_TOKENS:  # the oldest session's token goes (a dict keeps their order)
                del valid[next(iter(valid))]
            valid[token] = None
        self._json(200, {"auth-token": token})

    def _xapi(self, method: str, resource: str, params: dict[str, str]) -> None:
        if resource == "about":
            return self._json(200, {"version": ["1.0.3"]})
        if not self._authorised():
            return self._send(401, b'{"error": "unauthorised"}')
        if resource == "activities/state":
            return self._state(method, params)
        if resource == "agents/profile":
            preferences = self.preview.preferences
            if method == "GET" and params.get("profileId") == "cmi5LearnerPreferences" and preferences is not None:
                return self._json(200, preferences)
            return self._send(404, b"{}")
        if resource == "statements" and method in ("POST", "PUT"):
            return self._statements(self._json_body(), params)
        if resource == "statements" and method == "GET":
            wanted = params.get("registration")
            found = [s for s in self.preview.recorded(last=MAX_LISTED, holding=wanted)
                     if not wanted or (isinstance(s.get("context"), dict) and s["context"].get("registration") == wanted)]
            return self._json(200, {"statements": found, "more": ""})
        self._send(405, b"{}")

    def _forward(self, statements: list[dict[str, Any]]) -> tuple[int, bytes] | None:
        """Pass the statements on to the real LRS, if there is one: None when it took them, else
        the answer to give (503 while it is down, so the player keeps them and tries again)."""
        if not self.preview.lrs:
            return None
        from ..xapi.send import Lrs

        lrs = Lrs(self.preview.lrs, self.preview.lrs_auth, timeout=10)
        try:
            status, reply = lrs.post([json.dumps(s).encode() for s in statements])
        except OSError:
            return 503, b'{"error": "the LRS is unreachable; try again later"}'
        finally:
            lrs.close()
        if status >= 500:
            return 503, b'{"error": "the LRS is failing; try again later"}'
        if status not in (200, 204, 409):
            return status, reply
        return None

    def _state(self, method: str, params: dict[str, str]) -> None:
        try:
            parsed = json.loads(params.get("agent", "{}"))
            if nests_past(parsed, MAX_JSON_DEPTH):
                raise ValueError("too deep")
            agent = json.dumps(parsed, sort_keys=True)
        except (ValueError, RecursionError):
            raise BadRequest("agent is not JSON (or nests too deep)") from None
        key = (params.get("activityId", ""), agent, params.get("registration", ""), params.get("stateId", ""))
        if method in ("PUT", "POST"):
            body = self._body()  # read before the lock: a client slow to send holds no one else
            with self.preview.lock:
                kept = _keep_document(self.preview, key, body)
            return self._send(204) if kept else self._send(
                413, b'{"error": "the preview keeps at most 64 MB of State documents"}')
        if method == "GET":
            with self.preview.lock:
                data = self.preview.documents.get(key)
            return self._send(200, data) if data is not None else self._send(404, b"{}")
        with self.preview.lock:
            _keep_document(self.preview, key, None)
        self._send(204)

    def _statements(self, data: Any, params: dict[str, str]) -> None:
        statements = data if isinstance(data, list) else [data]
        if not statements or not all(isinstance(s, dict) for s in statements):
            raise BadRequest("statements must be JSON objects")
        if "statementId" in params and len(statements) == 1:
            statements[0].setdefault("id", params["statementId"])
        for statement in statements:
            statement.setdefault("id", str(uuid.uuid4()))
            if not isinstance(statement["id"], str):
                raise BadRequest("a statement's id must be text")
        with self.preview.lock:
            # cmi5 9.3.8: after a session's Terminated, the LMS rejects its statements (of any kind),
            # in a later batch or later in this one; a statement held already (the same id, sent
            # again, as a page going sends what is in flight) is no news, and not refused. What
            # this batch holds and ends is claimed now, so that a copy arriving meanwhile is no news.
            held, ended = self.preview.statement_ids, self.preview.ended_sessions
            new, ids, ending = [], set(), set()
            for statement in statements:
                if statement["id"] in held or statement["id"] in ids:
                    continue
                session = _session(statement)
                if session and (session in ended or session in ending):
                    return self._send(403, b'{"error": "the session has ended (cmi5 9.3.8): its statements are '
                                           b'rejected"}')
                new.append(statement)
                ids.add(statement["id"])
                if session and _verb(statement).endswith("/terminated"):
                    ending.add(session)
            held.update(ids)
            ended.update(ending)
        statements = new
        if not statements:
            return self._json(200, [])
        def unclaim() -> None:  # not stored: what the batch claimed is free again
            with self.preview.lock:
                held.difference_update(ids)
                ended.difference_update(ending)

        try:
            lines = "".join(json.dumps(statement, ensure_ascii=False) + "\n" for statement in statements)
            # the store's room first: a batch forwarded to an LRS and then refused here would be
            # sent to it again and again (the player keeps what is refused)
            refusal = _no_room(self.preview.statements_file, len(lines)) or self._forward(statements)
            if refusal is None:
                with self.preview.lock, self.preview.statements_file.open("a", encoding="utf-8") as handle:
                    handle.write(lines)  # the batch whole
        except BaseException:
            unclaim()
            raise
        if refusal is not None:
            unclaim()
            return self._send(*refusal)
        self._json(200, [s["id"] for s in statements])


def _no_room(file: Any, size: int) -> tuple[int, bytes] | None:
    """413 when ``size`` more bytes would take the statement store past MAX_STATEMENTS_FILE."""
    try:
        stored = file.stat().st_size
    except FileNotFoundError:
        stored = 0
    if stored + size > MAX_STATEMENTS_FILE:
        return 413, b'{"error": "the preview keeps at most 64 MB of statements: start it again"}'
    return None


def _keep_document(preview: Any, key: tuple[str, str, str, str], data: bytes | None) -> bool:
    """Keep (or, with None, drop) a State document, within MAX_DOCUMENTS in all; under the lock."""
    old = preview.documents.get(key)
    size = preview.documents_size - (len(old) if old is not None else 0)
    if data is None:
        preview.documents.pop(key, None)
    elif size + len(data) > MAX_DOCUMENTS:
        return False
    else:
        preview.documents[key] = data
        size += len(data)
    preview.documents_size = size
    return True


def _verb(statement: dict[str, Any]) -> str:
    verb = statement.get("verb")
    value = verb.get("id") if isinstance(verb, dict) else None
    return value if isinstance(value, str) else ""


def _session(statement: dict[str, Any]) -> str:
    """The cmi5 session of a statement ('' for none)."""
    context = statement.get("context")
    extensions = context.get("extensions") if isinstance(context, dict) else None
    value = extensions.get(SESSION_EXTENSION) if isinstance(extensions, dict) else None
    return value if isinstance(value, str) else ""
