"""Shared test helpers: an in-memory device, the simulator as a real process, an HTTP client
for its control API and an asyncssh shell client that reads up to prompts."""

import asyncio
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncssh

from simulator import dialect
from simulator.cli import Interpreter
from simulator.device import Device, Setup
from simulator.ports import parse_list

SCRIPT = Path(__file__).resolve().parent.parent / "gigavue_simulator.py"
PASSWORD = "s3cret pass"
ENABLE_PASSWORD = "en4ble"
# A CLI prompt, a password question or the pager at the very end of the output.
PROMPT = re.compile(r"(gigavue-sim(?: \([^)]*\))? [>#] |Password: |--More--)$")


def make_device(enable_password=None, clock=lambda: 1_700_000_000.0) -> Device:
    """The default chassis and source group, as the process starts without options."""
    return Device(Setup(hostname="gigavue-sim", ports=frozenset(parse_list(dialect.DEFAULT_PORTS)),
                        source_group="net_group", source_ports=tuple(parse_list(dialect.DEFAULT_SOURCE_PORTS)),
                        enable_password=enable_password), clock=clock)


def plan(ports: list[str]) -> list[str]:
    """gigavue-cli.md "The reconfiguration plan" for sensor ports `ports` (CLI form)."""
    lines = ["no map-passall alias sensor_map", "no gigastream alias sensor_stream"]
    if ports:
        listed = ",".join(ports)
        lines.append(f"port {listed} type tool")
        target = ports[0]
        if len(ports) >= 2:
            lines.append(f"gigastream alias sensor_stream port-list {listed}")
            target = "sensor_stream"
        lines += ["map-passall alias sensor_map", "from net_group", f"to {target}", "exit"]
    return lines + ["write memory"]


def run_lines(interpreter: Interpreter, lines, terminal):
    """Runs lines through the interpreter; returns (outputs per line, final terminal)."""
    outputs = []
    for line in lines:
        reply = interpreter.execute(line, terminal)
        outputs.append(reply.lines)
        terminal = reply.terminal
    return outputs, terminal


class SimulatorProcess:
    """`gigavue_simulator.py` started like the Swift tests start it, in a temporary directory
    holding the password files, a client key pair and the known_hosts output."""

    def __init__(self, *extra: str, enable_password: bool = False):
        self.dir = tempfile.TemporaryDirectory()
        root = Path(self.dir.name)
        (root / "password").write_text(PASSWORD + "\n")
        self.client_key = asyncssh.generate_private_key("ssh-ed25519")
        (root / "authorized_keys").write_bytes(self.client_key.export_public_key())
        self.known_hosts = root / "known_hosts"
        args = [sys.executable, str(SCRIPT), "--password-file", str(root / "password"),
                "--authorized-keys", str(root / "authorized_keys"), "--host-key", str(root / "host_key"),
                "--known-hosts-out", str(self.known_hosts), "--exit-on-stdin-eof", *extra]
        if enable_password:
            (root / "enable").write_text(ENABLE_PASSWORD + "\n")
            args += ["--enable-password-file", str(root / "enable")]
        # stderr to a file, not a pipe nobody reads: a full pipe would block the simulator.
        self.stderr_path = root / "stderr.log"
        with open(self.stderr_path, "w") as stderr:
            self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=stderr, text=True)
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            raise RuntimeError(f"simulator did not start: {self.stderr_path.read_text()}")
        self.info = json.loads(line)
        self.port = self.info["ssh_port"]

    def stop(self) -> int:
        """SIGTERM, then the exit status."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            status = self.process.wait(timeout=10)
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                stream.close()
            if os.environ.get("SIMULATOR_STDERR"):
                sys.stderr.write(self.stderr_path.read_text())
            self.dir.cleanup()
        return status

    def control(self, method: str, path: str, body=None, raw: bytes | None = None):
        """(status, decoded JSON) of one control request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.info["control_port"], timeout=10)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        payload = json.loads(response.read())
        conn.close()
        return response.status, payload

    def state(self) -> dict:
        return self.control("GET", "/state")[1]

    async def connect(self, **options) -> asyncssh.SSHClientConnection:
        """An SSH connection as `admin`, checking the host key against --known-hosts-out."""
        options.setdefault("username", "admin")
        options.setdefault("known_hosts", str(self.known_hosts))
        if "client_keys" not in options:
            options.setdefault("password", PASSWORD)
            options["client_keys"] = None
        return await asyncssh.connect("127.0.0.1", self.port, **options)


class Shell:
    """An interactive shell with a PTY; `command` sends a line and returns the text up to the
    next prompt (the echo included)."""

    def __init__(self, process: asyncssh.SSHClientProcess):
        self.process = process
        self.buffer = ""

    @classmethod
    async def open(cls, conn: asyncssh.SSHClientConnection) -> "Shell":
        process = await conn.create_process(term_type="xterm", term_size=(120, 40))
        return cls(process)

    async def until(self, pattern=PROMPT, timeout: float = 5.0) -> str:
        """Reads until `pattern` matches the end of what was read; returns it all and empties
        the buffer. Raises TimeoutError, or EOFError when the server closed or dropped."""
        deadline = time.monotonic() + timeout
        while not pattern.search(self.buffer):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no prompt; got {self.buffer[-200:]!r}")
            try:
                data = await asyncio.wait_for(self.process.stdout.read(4096), remaining)
            except (asyncssh.ConnectionLost, asyncssh.DisconnectError):
                data = ""
            if not data:
                raise EOFError(self.buffer)
            self.buffer += data
        text, self.buffer = self.buffer, ""
        return text

    async def command(self, line: str, end: str = "\r") -> str:
        self.process.stdin.write(line + end)
        return await self.until()

    async def command_output(self, line: str) -> list[str]:
        """The output lines of `line`: without its echo and without the prompt."""
        text = await self.command(line)
        lines = text.split("\r\n")
        assert lines[0] == line, f"echo {lines[0]!r} != {line!r}"
        return lines[1:-1]


def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


