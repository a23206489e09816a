"""Sending statements to an LRS: each exactly once, nothing lost, nothing twice.

- Batches of ``batch_size`` statements, POSTed with the X-Experience-API-Version header.
- 5xx, 429, timeouts and refused connections are retried with exponential backoff; when retries
  run out the send stops, and the checkpoint lets the next run carry on.
- A 400 splits the batch in halves until the bad statements are alone; they are reported with the
  LRS's reason and the rest is sent. A 409 is split the same way: a statement the LRS already holds
  counts as stored.
- After every batch the checkpoint file records how far the file was sent (written, then
  renamed), so an interrupted send resumes with nothing lost and nothing twice (statement ids are
  fixed, so even a batch resent after a crash is stored once).
- A statement without an id is given one, derived from its line and its text (``given_id``): the
  LRS would otherwise give it a new one each time it is sent, and store it twice.
- Credentials come from the environment or a file, never from the command line; they are never
  printed.
"""

from __future__ import annotations

import base64
import email.utils
import json
import os
import re
import ssl
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import orjson

from ..credentials import keep, redact
from ..definition.files import RefusedFile, open_regular, read_regular
from ..lines import bounded_lines
from ..messages import t, os_reason
from .statements import XAPI_VERSIONS, uuid5


class SendError(Exception):
    """The send cannot go on (credentials refused, LRS unreachable after every retry)."""


@dataclass
class Rejected:
    line: int
    id: str | None
    reason: str


@dataclass
class SendSummary:
    sent: int = 0
    already_stored: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    skipped: int = 0  # lines a checkpoint showed were sent before
    batches: int = 0
    retries: int = 0
    ids_given: int = 0  # statements sent that had no id (given_id)


def given_id(line: int, statement: bytes) -> tuple[str, bytes]:
    """An id for a statement (a JSON object's bytes) that has none, and the statement with it.

    The id is UUIDv5 (modpack's namespace) of ``send|<line>|<the line's text>``: sending the same
    file again gives the same ids, so the LRS stores nothing twice (an LRS gives an id-less
    statement a new id each time). Two identical lines keep two ids: they are two events."""
    ident = uuid5(f"send|{line}|{statement.decode('utf-8')}")
    rest = statement[1:].lstrip()
    joiner = b"" if rest.startswith(b"}") else b","
    return ident, b'{"id":"' + ident.encode() + b'"' + joiner + rest


def checked_auth(value: str) -> str:
    """An Authorization value fit for a header; SendError, naming the fault never the value, otherwise.

    A line break would end the header and start another (RFC 9110 §5.5: field values have no
    CR, LF or NUL), and an HTTP library's own error would print the whole value."""
    keep(value)
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise SendError(t("the Authorization value holds a line break or another control character; it is refused "
                          "(the value is not shown)"))
    if not value.isascii():
        raise SendError(t("the Authorization value holds characters that are not ASCII; a Basic value is base64 "
                          "(set MODPACK_LRS_USERNAME and MODPACK_LRS_PASSWORD and modpack encodes them)"))
    if not value.strip():
        raise SendError(t("the Authorization value is empty"))
    return value


def credentials_from(env: dict[str, str] | None = None, file: str | os.PathLike[str] | None = None) -> str | None:
    """An Authorization header value from MODPACK_LRS_AUTH, MODPACK_LRS_USERNAME/PASSWORD, or a file.

    The file holds 'username:password' on one line, or JSON {"username": ..., "password": ...}
    or {"auth": "Basic ..."}. Raises SendError for credentials that cannot be used, in a
    message that never holds them.
    """
    env = dict(os.environ) if env is None else env
    if file is not None:
        try:
            text = read_regular(file, 64 * 1024).decode("utf-8").strip()
        except (OSError, RefusedFile, UnicodeDecodeError) as exc:
            reason = (os_reason(exc) if isinstance(exc, OSError) else exc.reason if isinstance(exc, RefusedFile)
                      else t("not UTF-8 text"))
            raise SendError(t("the credentials file '{file}' cannot be read ({reason})", file=file, reason=reason)) from None
        keep(text)
        if text.startswith("{"):
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                raise SendError(t("the credentials file '{file}' is not valid JSON", file=file)) from None
            if isinstance(data, dict) and isinstance(data.get("auth"), str):
                return checked_auth(data["auth"])
            if not (isinstance(data, dict) and isinstance(data.get("username"), str)
                    and isinstance(data.get("password"), str)):
                raise SendError(t("the credentials file '{file}' needs \"username\" and \"password\" (text), or "
                                  "\"auth\"", file=file))
            return _basic(data["username"], data["password"])
        if "\n" in text or ":" not in text:
            raise SendError(t("the credentials file '{file}' must hold one line, username:password", file=file))
        user, _, password = text.partition(":")
        return _basic(user, password)
    if env.get("MODPACK_LRS_AUTH"):
        return checked_auth(env["MODPACK_LRS_AUTH"])
    if env.get("MODPACK_LRS_USERNAME"):
        return _basic(env["MODPACK_LRS_USERNAME"], env.get("MODPACK_LRS_PASSWORD", ""))
    return None


def _basic(user: str, password: str) -> str:
    """RFC 7617: user-id and password in UTF-8, base64; a user-id cannot hold ':'."""
    keep(password)
    if ":" in user:
        raise SendError(t("the LRS user name holds ':', which HTTP Basic cannot carry"))
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in user + password):
        raise SendError(t("the LRS user name or password holds a line break or another control character (not shown)"))
    return checked_auth("Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())


ANSWER_LIMIT = 4 * 1024 * 1024  # what an LRS says back to a POST: the ids stored, or why not


class LrsUnreachable(OSError):
    """The LRS could not be reached (refused, timed out, a proxy or TLS failure): worth retrying."""


class LrsTooSlow(LrsUnreachable):
    """The LRS did not answer in full within the deadline: asking again will not make it faster."""


class LrsAnswerTooLarge(ValueError):
    """An answer (or what it inflates to) is over the byte budget a reader set."""


def _inflate(body: bytes, encoding: str, limit: int) -> bytes:
    """The body as sent before compression, never more than ``limit`` bytes of it."""
    import zlib

    encoding = encoding.strip().lower()
    if not encoding or encoding == "identity":
        return body
    if encoding not in ("gzip", "deflate"):
        raise LrsAnswerTooLarge(t("the LRS's answer is in an encoding modpack does not read ({encoding})",
                                  encoding=encoding))
    inflater = zlib.decompressobj(wbits=47 if encoding == "gzip" else 15)  # 47: gzip or zlib header
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise LrsAnswerTooLarge(t("the LRS's {encoding} answer cannot be inflated ({reason})", encoding=encoding,
                                  reason=exc)) from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise LrsAnswerTooLarge(t("the LRS's answer inflates to more than {limit} bytes", limit=limit))
    return out


class Lrs:
    """A small client for the statements resource, on httpx: one keep-alive connection, and the
    proxy settings of the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as offices need."""

    def __init__(self, endpoint: str, auth: str | None, version: str = "1.0.3", timeout: float = 30,
                 deadline: float = 300):
        base = endpoint if endpoint.endswith("/") else endpoint + "/"
        try:
            parts = urllib.parse.urlsplit(base)
        except ValueError:  # a broken [IPv6] host
            raise SendError(t("'{value}' is not an http(s) LRS endpoint", value=endpoint)) from None
        if parts.password:
            keep(parts.password)  # before any message could quote the address
        if parts.scheme not in ("http", "https") or not parts.hostname or not _followable(base):
            raise SendError(t("'{value}' is not an http(s) LRS endpoint", value=endpoint))
        if parts.username or parts.password:
            raise SendError(t("the LRS address holds a user name or password: give credentials in the environment "
                              "(MODPACK_LRS_USERNAME, MODPACK_LRS_PASSWORD) or a file, never in the URL"))
        self.base = base
        self.path = parts.path + "statements"
        self.headers = {"X-Experience-API-Version": XAPI_VERSIONS.get(version, version),
                        "Content-Type": "application/json"}
        if auth:
            self.headers["Authorization"] = checked_auth(auth)
        self.timeout = timeout
        self.deadline = deadline  # the whole of one request and its answer, in seconds
        self.retry_after: float | None = None  # what the last answer asked, in seconds (Retry-After)
        self._client: httpx.Client | None = None

    def _connect(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, trust_env=True, follow_redirects=False)
        return self._client

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        """(status, body) of one request to a path of the LRS's host; raises LrsUnreachable, or
        LrsAnswerTooLarge for an answer over ANSWER_LIMIT (what a POST gets back is a list of ids)."""
        return self._bounded(method, path, body, ANSWER_LIMIT)

    def get_bounded(self, path: str, limit: int) -> tuple[int, bytes]:
        """(status, body) of a GET of a path of the LRS's host, reading at most ``limit`` bytes of
        body: an answer that would be longer raises LrsAnswerTooLarge instead of filling memory."""
        return self._bounded("GET", path, None, limit)

    def _bounded(self, method: str, path: str, body: bytes | None, limit: int) -> tuple[int, bytes]:
        """One request, its answer read raw within ``limit`` bytes (inflated within it too: a gzip
        bomb is refused), and the whole of it within ``deadline`` seconds: httpx's timeout is per
        read, so an LRS sending a byte a second would hold the command for ever. Past the
        deadline its connection is closed (its thread stops at the next byte, or its read's
        timeout) and a new connection serves the next request."""
        url = urllib.parse.urljoin(self.base, path)
        if not _followable(url):
            raise SendError(t("the LRS's 'more' link is not a URL that can be followed: {url}", url=url[:200]))
        _check_host(urllib.parse.urlsplit(url), self.base)  # the last guard, whatever asked for the URL
        client = self._connect()
        outcome: dict[str, Any] = {}
        deadline = time.monotonic() + self.deadline

        def run() -> None:
            try:
                headers = {**self.headers, "Accept-Encoding": "gzip, deflate"}  # what _inflate reads, within budget
                with client.stream(method, url, content=body, headers=headers) as response:
                    retry_after = _retry_after(response.headers.get("Retry-After"))
                    chunks, size = [], 0
                    for chunk in response.iter_raw():  # raw: a compressed answer is counted as it inflates below
                        size += len(chunk)
                        if size > limit:
                            raise LrsAnswerTooLarge(f"the LRS's answer is longer than {limit} bytes")
                        if time.monotonic() > deadline:  # given up by the caller: read no further
                            return
                        chunks.append(chunk)
                outcome["answer"] = (response.status_code, b"".join(chunks),
                                     response.headers.get("Content-Encoding", ""), retry_after)
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                outcome["error"] = exc

        worker = threading.Thread(target=run, daemon=True, name="modpack-lrs-request")
        worker.start()
        worker.join(self.deadline)
        if worker.is_alive():
            # its connection closed under it: the worker's read fails at the next byte that comes
            # (or at its read timeout), and it stops between chunks; the next request connects anew
            self._client = None
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing what another thread is using may complain
                pass
            raise LrsTooSlow(t("the LRS did not answer in full within {seconds} s", seconds=f"{self.deadline:g}"))
        error = outcome.get("error")
        if isinstance(error, httpx.TransportError):
            self.close()
            if _tls_failure(error):  # a wrong scheme or certificate: retrying cannot help (92 s, before)
                raise SendError(t("the TLS connection to the LRS failed ({reason}): is the address right, http or "
                                  "https, and its certificate valid?", reason=error)) from None
            raise LrsUnreachable(f"{type(error).__name__}: {error}") from None
        if isinstance(error, (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, UnicodeError)) \
                and not isinstance(error, LrsAnswerTooLarge):
            raise SendError(t("the LRS's 'more' link is not a URL that can be followed: {url}", url=url[:200])) from None
        if error is not None:
            raise error
        status, raw, encoding, self.retry_after = outcome["answer"]
        return status, _inflate(raw, encoding, limit)

    def post(self, statements: list[bytes]) -> tuple[int, bytes]:
        return self.request("POST", self.path, b"[" + b",".join(statements) + b"]")

    def get(self, query: dict[str, str]) -> tuple[int, bytes]:
        return self.request("GET", self.path + "?" + urllib.parse.urlencode(query))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (a number, or an HTTP date); None if absent or odd."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,9}", value):  # ASCII digits: str.isdigit() takes '²', which float() refuses
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def reason(body: bytes) -> str:
    """What the LRS said of a refusal, for a message: its credentials hidden before it is cut (a
    token cut in two is no longer found whole), and no control character, not even a line break,
    so that an answer cannot write a line of its own into the output."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        text, limit = body.decode("utf-8", "replace"), 300
    else:
        if isinstance(data, dict):
            warnings = data.get("warnings")
            parts = [str(data.get("message") or "")] + [str(w) for w in (warnings if isinstance(warnings, list) else [])[:20]]
            text, limit = "; ".join(p for p in parts if p), 500
        else:
            text, limit = str(data), 300
    text = redact(text)[:limit]
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text) or "rejected"


MAX_PAGES = 100_000  # pages of one reading of the statements resource (100 statements each: 10 million)
MAX_OBJECTS = 2_000_000  # JSON objects in one page: '{},' is three bytes and a hundred once parsed


def next_page(lrs: Lrs, more: object, seen: set[str]) -> str:
    """The URL to ask for the page a statements result's ``more`` names: on the LRS's own host
    (the credentials go with every request), never one asked for before in this reading (a
    link back to itself was followed for ever; ``seen`` holds the absolute URLs asked for), at
    most MAX_PAGES of them; raises SendError."""
    if not isinstance(more, str):
        raise SendError(t("the LRS's 'more' link is not text"))
    try:
        target = urllib.parse.urlsplit(urllib.parse.urljoin(lrs.base, more))
        _check_host(target, lrs.base)
    except ValueError:
        raise SendError(t("the LRS's 'more' link is not a URL that can be followed: {url}", url=more[:200])) from None
    # the whole URL, its host checked: a path kept alone ('//evil.example/x') is another host once joined
    url = urllib.parse.urlunsplit((target.scheme, target.netloc, target.path, target.query, ""))
    if url in seen:
        raise SendError(t("the LRS's 'more' link leads back to a page already read; not followed again"))
    if len(seen) >= MAX_PAGES:
        raise SendError(t("the LRS's answer runs past {count} pages; stopped", count=f"{MAX_PAGES:,}"))
    seen.add(url)
    return url


READ_RETRIES = 5  # asks again of an LRS that is busy (429) or failing (5xx), waiting 1, 2, 4... s


def read_page(lrs: Lrs, path: str, limit: int, sleep: Callable[[float], None] = time.sleep) -> bytes:
    """The body of one page of statements read back from the LRS (GET ``path``), at most ``limit``
    bytes: a busy or failing LRS, or one that cannot be reached, is asked again READ_RETRIES times
    (its Retry-After honoured, up to a minute); refused credentials, another status or an answer
    that did not come in full within the deadline stop at once. Raises SendError."""
    delay = 1.0
    status = 0
    for attempt in range(READ_RETRIES + 1):
        try:
            status, body = lrs.get_bounded(path, limit)
            check_objects(body)
        except LrsAnswerTooLarge as exc:
            raise SendError(str(exc)) from None
        except LrsUnreachable as exc:
            # an answer that did not come in full within the deadline (a trickle) will not come faster
            # the next time: six tries were half an hour of silence
            if attempt == READ_RETRIES or isinstance(exc, LrsTooSlow):
                raise SendError(t("the LRS at {address} cannot be reached: {reason}", address=lrs.base,
                                  reason=exc)) from None
            sleep(delay)
            delay *= 2
            continue
        if status == 200:
            return body
        if status in (401, 403):
            raise SendError(t("the LRS refused the credentials ({status})", status=status))
        if status == 429 or status >= 500:
            if attempt == READ_RETRIES:
                break
            asked = lrs.retry_after
            sleep(min(asked, 60.0) if asked is not None else delay)
            delay *= 2
            continue
        raise SendError(t("the LRS answered {status} when asked for statements: {detail}", status=status,
                          detail=reason(body)))
    raise SendError(t("the LRS kept failing ({status}) after {count} tries", status=status, count=READ_RETRIES + 1))


def _check_host(target: urllib.parse.SplitResult, base: str) -> None:
    """Raise SendError unless ``target`` is on the LRS's own scheme, host and port (the
    credentials go with every request); ValueError for a port no URL can have."""
    if _origin(target) != _origin(urllib.parse.urlsplit(base)):
        raise SendError(t("the LRS's 'more' link leads to another host ({host}); not followed", host=target.netloc))


def _origin(parts: urllib.parse.SplitResult) -> tuple[str, str, int | None]:
    """Scheme, host (as DNS compares it: case aside) and port, the default one filled in; raises
    ValueError for a port no URL can have."""
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def check_objects(body: bytes) -> None:
    """Refuse, before it is parsed, a page of more than MAX_OBJECTS JSON objects (each '{' is
    counted: in strings too, which only makes the bound safe): 64 MB of '{},' parsed whole held
    2 GB. A real page of statements holds a few thousand."""
    if body.count(b"{") > MAX_OBJECTS:
        raise LrsAnswerTooLarge(t("the LRS's answer holds more than {count} JSON objects", count=f"{MAX_OBJECTS:,}"))


def _count(summary: dict[str, Any], key: str) -> int:
    """A count a checkpoint kept: a whole number of 0 or more, else 0 (a checkpoint edited or damaged)."""
    value = summary.get(key, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _rejected(kept: object) -> list[Rejected]:
    """The rejections a checkpoint kept, those in the shape it writes them (line, id, reason)."""
    found = []
    for item in kept if isinstance(kept, list) else []:
        if isinstance(item, dict) and isinstance(item.get("line"), int) and isinstance(item.get("reason"), str) \
                and isinstance(item.get("id"), (str, type(None))):
            found.append(Rejected(item["line"], item["id"], item["reason"]))
    return found


def _tls_failure(error: BaseException) -> bool:
    """Whether ``error`` (httpx's) is a TLS failure that retrying cannot mend: a certificate
    refused, or no TLS at all on the other side (https to a plain port). A connection cut during
    the handshake (an LRS restarting, a busy balancer) is retried as any other."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return True
        if isinstance(cause, ssl.SSLError) and any(
                mark in str(cause) for mark in ("WRONG_VERSION_NUMBER", "record layer failure", "HTTP_REQUEST",
                                                "http request", "UNKNOWN_PROTOCOL")):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _followable(url: str) -> bool:
    """Whether httpx can request ``url``: a port in range, a well-formed host, printable ASCII."""
    try:
        port = urllib.parse.urlsplit(url).port  # raises for a port out of range or a broken [IPv6]
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL, UnicodeError):
        return False
    return (port is None or port > 0) and url.isprintable()


@dataclass
class Checkpoint:
    """How far a file was sent; kept beside it as FILE.checkpoint unless told otherwise."""

    path: Path
    source: str
    size: int
    endpoint: str = ""
    next_line: int = 1
    summary: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, source: Path, endpoint: str = "") -> "Checkpoint":
        """The checkpoint of this file sent to this LRS; a fresh one if it was another file or LRS."""
        size = source.stat().st_size
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 1024 * 1024:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, RecursionError):
                data = {}
            if not isinstance(data, dict):
                data = {}
            matches = (data.get("source"), data.get("size"), data.get("endpoint", "")) == (str(source.resolve()), size,
                                                                                            endpoint)
            if matches and isinstance(data.get("next_line"), int) and data["next_line"] >= 1:
                summary = data.get("summary")
                if not isinstance(summary, dict):
                    summary = {}
                return cls(path, data["source"], size, endpoint, data["next_line"], summary)
        return cls(path, str(source.resolve()), size, endpoint)

    def save(self, next_line: int, summary: SendSummary) -> None:
        self.next_line = next_line
        self.summary = asdict(summary)
        temporary = self.path.with_name(self.path.name + ".part")
        if temporary.is_symlink():
            temporary.unlink()  # never written through: a link could point at any file of the user's
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps({"source": self.source, "size": self.size, "endpoint": self.endpoint,
                                         "next_line": next_line, "summary": self.summary}))
            os.chmod(temporary, 0o600)  # it names the LRS; and a file made earlier may have had other modes
            os.replace(temporary, self.path)
        except BaseException:  # a kill meanwhile (signals.py): the checkpoint before stands, alone
            temporary.unlink(missing_ok=True)
            raise


class Sender:
    def __init__(self, lrs: Lrs, batch_size: int = 100, max_retries: int = 8, backoff: float = 0.5,
                 max_backoff: float = 30.0, sleep: Callable[[float], None] = time.sleep, max_wait: float = 60.0):
        self.lrs = lrs
        self.max_wait = max_wait  # the longest Retry-After honoured
        self.batch_size = batch_size
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep

    def _post(self, batch: list[tuple[int, str | None, bytes]], summary: SendSummary) -> tuple[int, bytes]:
        delay = self.backoff
        for attempt in range(self.max_retries + 1):
            self.lrs.retry_after = None
            try:
                status, body = self.lrs.post([b for _, _, b in batch])
            except OSError as exc:
                status, body = 0, str(exc).encode()
            except LrsAnswerTooLarge as exc:  # a gzip bomb, or megabytes for a list of ids: not an LRS to trust
                raise SendError(str(exc)) from None
            if status and status < 500 and status != 429:
                return status, body
            if attempt == self.max_retries:
                raise SendError(t("the LRS did not take the statements after {count} retries (last: {last})",
                                  count=self.max_retries, last=status or body.decode("utf-8", "replace")))
            summary.retries += 1
            # a 429 or 503 may say when to come back (RFC 9110 10.2.3); honour it, within reason
            asked = self.lrs.retry_after
            self.sleep(min(asked, self.max_wait) if asked is not None else delay)
            delay = min(delay * 2, self.max_backoff)
        raise AssertionError("unreachable")

    def send_batch(self, batch: list[tuple[int, str | None, bytes]], summary: SendSummary) -> None:
        status, body = self._post(batch, summary)
        if status in (200, 204):
            summary.sent += len(batch)
            return
        if status in (401, 403):
            raise SendError(t("the LRS refused the credentials ({status}): check MODPACK_LRS_USERNAME/PASSWORD "
                              "or the credentials file", status=status))
        if status in (400, 409, 413) and len(batch) > 1:
            middle = len(batch) // 2
            self.send_batch(batch[:middle], summary)
            self.send_batch(batch[middle:], summary)
            return
        line, ident, _ = batch[0]
        if status == 409:
            summary.already_stored += 1
            return
        if status in (400, 413):
            summary.rejected.append(Rejected(line, ident, f"{status}: {reason(body)}"))
            return
        # A 404, 405, a redirect...: the endpoint is wrong, not the statements. Stop before the
        # checkpoint moves on, so that nothing is counted as sent that was not.
        raise SendError(t("the LRS answered {status} ({reason}): is the endpoint its xAPI base URL?", status=status,
                          reason=reason(body)))

    def send(self, statements: Iterator[tuple[int, str | None, "bytes | str | Rejected"]], checkpoint: Checkpoint | None = None,
             progress: Callable[[int], None] | None = None) -> SendSummary:
        """Send (line, id, statement) in batches; an id of None means the statement has none, and
        it is given one (given_id)."""
        summary = SendSummary()
        start = 1
        if checkpoint is not None and checkpoint.next_line > 1:
            start = checkpoint.next_line
            previous = checkpoint.summary
            summary.sent = _count(previous, "sent")
            summary.already_stored = _count(previous, "already_stored")
            summary.rejected = _rejected(previous.get("rejected"))
            summary.batches = _count(previous, "batches")
            summary.retries = _count(previous, "retries")
            summary.ids_given = _count(previous, "ids_given")
        batch: list[tuple[int, str | None, bytes]] = []

        def flush(next_line: int) -> None:
            self.send_batch(batch, summary)
            summary.batches += 1
            if checkpoint is not None:
                checkpoint.save(next_line, summary)
            if progress:
                progress(len(batch))
            batch.clear()

        last = start
        for line, ident, data in statements:
            if line < start:
                summary.skipped += 1
                continue
            if isinstance(data, Rejected):  # a line that is not a statement at all
                summary.rejected.append(data)
                continue
            raw = data.encode() if isinstance(data, str) else data
            if ident is None:
                ident, raw = given_id(line, raw)
                summary.ids_given += 1
            batch.append((line, ident, raw))
            last = line + 1
            if len(batch) >= self.batch_size:
                flush(last)
        if batch:
            flush(last)
        self.lrs.close()
        return summary


MAX_STATEMENT_LINE = 1024 * 1024  # a statement is a few KB; a longer line is never read whole


def read_statements(path: Path) -> Iterator[tuple[int, str | None, "bytes | Rejected"]]:
    """(line, id, JSON bytes) of each statement of a JSON Lines file; a malformed line gives a Rejected."""
    with open_regular(path) as handle:
        for number, raw in bounded_lines(handle, MAX_STATEMENT_LINE):
            if raw is None:
                yield number, None, Rejected(number, None, f"longer than {MAX_STATEMENT_LINE:,} bytes: not read")
                continue
            if not raw.strip():
                continue
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                yield number, None, Rejected(number, None, f"not valid JSON: {exc}")
                continue
            if not isinstance(data, dict):
                yield number, None, Rejected(number, None, "not a JSON object")
                continue
            ident = data.get("id")
            if "id" in data and not isinstance(ident, str):
                yield number, None, Rejected(number, None, "its id is not text: give a UUID, or leave the id out "
                                                           "and modpack gives one")
                continue
            yield number, ident, raw.strip()


class CheckpointLock:
    """One `send` at a time for a checkpoint: a second one would send the same lines again.

    The lock is an advisory lock (flock) on FILE.checkpoint.lock, released when the process ends
    however it ends. A checkpoint that is a symbolic link, not a file, or in a folder that cannot
    be written is refused before anything is sent.
    """

    def __init__(self, path: Path):
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self._fd: int | None = None

    def __enter__(self) -> "CheckpointLock":
        for candidate in (self.path, self.lock_path):
            if candidate.is_symlink():
                raise SendError(t("the checkpoint '{path}' is a symbolic link: refused (it could point at any "
                                  "file); remove it or give --checkpoint another path", path=candidate))
            if candidate.exists() and not candidate.is_file():
                raise SendError(t("the checkpoint '{path}' is not a file: give --checkpoint another path", path=candidate))
        folder = self.path.parent
        if not os.access(folder, os.W_OK) or (self.path.exists() and not os.access(self.path, os.W_OK)):
            raise SendError(t("the checkpoint '{path}' cannot be written: give --checkpoint a path in a folder "
                              "you can write", path=self.path))
        try:
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError as exc:
            raise SendError(t("the checkpoint's lock '{path}' cannot be made ({reason})", path=self.lock_path,
                              reason=os_reason(exc))) from None
        try:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows: msvcrt's lock on the first byte
            import msvcrt

            try:
                msvcrt.locking(self._fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            except OSError:
                self._busy()
        except OSError:
            self._busy()
        return self

    def _busy(self) -> None:
        assert self._fd is not None
        os.close(self._fd)
        self._fd = None
        raise SendError(t("another `modpack send` is sending with this checkpoint ({path}); wait for it to end, "
                          "or give this one another --checkpoint", path=self.path))

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock; the lock file stays, harmless and empty
            self._fd = None


def send_file(path: str | os.PathLike[str], endpoint: str, auth: str | None, batch_size: int = 100,
              version: str = "1.0.3", checkpoint: str | os.PathLike[str] | None = None, resume: bool = True,
              progress: Callable[[int], None] | None = None, max_retries: int = 8, backoff: float = 0.5,
              timeout: float = 30) -> SendSummary:
    """Send every statement of a JSON Lines file to the LRS at ``endpoint`` (its xAPI base URL)."""
    source = Path(path)
    point_path = Path(checkpoint) if checkpoint else source.with_name(source.name + ".checkpoint")
    lrs = Lrs(endpoint, auth, version, timeout)  # a bad endpoint is refused before any lock is taken
    with CheckpointLock(point_path):
        point = Checkpoint.load(point_path, source, endpoint) if resume else Checkpoint(
            point_path, str(source.resolve()), source.stat().st_size, endpoint)
        sender = Sender(lrs, batch_size, max_retries, backoff)
        return sender.send(read_statements(source), point, progress)
