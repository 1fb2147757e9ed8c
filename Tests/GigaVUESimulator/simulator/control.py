"""The control API: plain HTTP/1.1 with JSON bodies, for tests to read state and set faults.

Standard library only (asyncio streams), on the same loop as the SSH sessions, so a request
sees and changes the one shared device. One request per connection (`Connection: close`).
Routes: GET /state, GET /log[?since=K], GET /faults, POST /faults, DELETE /faults,
POST /configure, POST /reset, GET /traffic, GET /health. Errors answer {"error": "..."} with 4xx.
"""

import asyncio
import json
import logging
from urllib.parse import parse_qs, urlsplit

from . import running_config
from .cli import Interpreter
from .device import Device
from .faults import Faults
from .terminal import Level, Terminal

log = logging.getLogger("gigavue_simulator.control")
# Bounds on what a client may send: far above any real request, so only a broken client hits them.
HEAD_LIMIT = 16 * 1024
BODY_LIMIT = 1024 * 1024
CONFIGURE_LINES_LIMIT = 10_000
READ_TIMEOUT_SECONDS = 10
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
           408: "Request Timeout", 411: "Length Required", 413: "Payload Too Large",
           431: "Request Header Fields Too Large"}


class HTTPError(Exception):
    """A request refused with `status` and a message for the person reading the test log."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class ControlServer:
    """Serves the control API for `device`; `info` is merged into GET /health."""

    def __init__(self, device: Device, info: dict):
        self.device = device
        self.info = info
        self.server: asyncio.base_events.Server | None = None
        self.port = 0

    async def start(self, host: str, port: int) -> None:
        self.server = await asyncio.start_server(self._handle, host, port, limit=HEAD_LIMIT)
        self.port = self.server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            status, payload = 200, None
            try:
                method, target, body = await asyncio.wait_for(self._read(reader, writer), READ_TIMEOUT_SECONDS)
                payload = self.route(method, target, body)
            except HTTPError as error:
                status, payload = error.status, {"error": str(error)}
            except asyncio.TimeoutError:
                status, payload = 408, {"error": "request not received in time"}
            data = json.dumps(payload, indent=1).encode() + b"\n"
            writer.write(f"HTTP/1.1 {status} {REASONS[status]}\r\nContent-Type: application/json\r\n"
                         f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            log.debug("control connection ended: %s", error)
        finally:
            writer.close()

    async def _read(self, reader, writer) -> tuple[str, str, bytes]:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            raise HTTPError(431, f"request head larger than {HEAD_LIMIT} bytes") from None
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise HTTPError(400, f"not an HTTP/1.x request line: {lines[0][:80]!r}")
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "transfer-encoding" in headers:
            raise HTTPError(411, "send the body with Content-Length, not Transfer-Encoding")
        try:
            length = int(headers.get("content-length", "0"))
        except ValueError:
            raise HTTPError(400, "Content-Length is not a number") from None
        if length < 0 or length > BODY_LIMIT:
            raise HTTPError(413, f"body larger than {BODY_LIMIT} bytes")
        if length and headers.get("expect", "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = await reader.readexactly(length) if length else b""
        return parts[0], parts[1], body

    def route(self, method: str, target: str, body: bytes) -> object:
        """The answer to one request; raises HTTPError. Public so tests can call it directly."""
        url = urlsplit(target)
        routes = {
            ("GET", "/health"): lambda: {"ok": True, **self.info},
            ("GET", "/state"): self._state,
            ("GET", "/traffic"): self._traffic,
            ("GET", "/log"): lambda: self._log(url.query),
            ("GET", "/faults"): self._faults,
            ("POST", "/faults"): lambda: self._set_faults(body),
            ("DELETE", "/faults"): self._clear_faults,
            ("POST", "/configure"): lambda: self._configure(body),
            ("POST", "/reset"): self._reset,
        }
        handler = routes.get((method, url.path))
        if handler is None:
            if any(path == url.path for _, path in routes):
                raise HTTPError(405, f"{method} is not allowed on {url.path}")
            raise HTTPError(404, f"no route {url.path}; see README.md \"Control API\"")
        return handler()

    def _state(self) -> dict:
        with self.device.lock:
            text = "\n".join(running_config.render(self.device.chassis, self.device.hostname, self.device.clock()))
            return self.device.state_json(text)

    def _traffic(self) -> dict:
        with self.device.lock:
            return self.device.traffic.to_json(self.device.clock())

    def _log(self, query: str) -> dict:
        values = parse_qs(query).get("since", ["0"])
        if not values[0].isdigit():
            raise HTTPError(400, "since must be a non-negative integer")
        with self.device.lock:
            return {"entries": self.device.log.since(int(values[0])), "next": self.device.log.next_seq}

    def _faults(self) -> dict:
        with self.device.lock:
            return self.device.faults.to_json()

    def _set_faults(self, body: bytes) -> dict:
        request = _json(body)
        with self.device.lock:
            try:
                self.device.faults.update(request)
            except ValueError as error:
                raise HTTPError(400, str(error)) from None
            self.device.log.event("control", f"faults set {json.dumps(request, sort_keys=True)}")
            return self.device.faults.to_json()

    def _clear_faults(self) -> dict:
        with self.device.lock:
            self.device.faults = Faults()
            self.device.log.event("control", "faults cleared")
            return self.device.faults.to_json()

    def _reset(self) -> dict:
        self.device.reset()
        return {"ok": True}

    def _configure(self, body: bytes) -> dict:
        """Runs lines as an operator at the configure prompt (faults not applied)."""
        request = _json(body)
        lines = request.get("lines") if isinstance(request, dict) else None
        if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
            raise HTTPError(400, 'the body must be {"lines": ["configuration line", ...]}')
        if len(lines) > CONFIGURE_LINES_LIMIT:
            raise HTTPError(413, f"more than {CONFIGURE_LINES_LIMIT} lines")
        interpreter = Interpreter(self.device, inject_faults=False)
        terminal = Terminal(level=Level.CONFIG, paging=False)
        results, errors = [], 0
        with self.device.lock:
            for line in lines:
                mode = terminal.mode_name
                reply = interpreter.execute(line, terminal)
                self.device.log.add("control", mode, line, reply.lines)
                errors += any(out.startswith("%") for out in reply.lines)
                results.append({"line": line, "output": reply.lines, "mode": mode})
                terminal = reply.terminal
                if reply.close:
                    break
        return {"results": results, "errors": errors, "mode": terminal.mode_name}


def _json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HTTPError(400, f"body is not JSON: {error}") from None
