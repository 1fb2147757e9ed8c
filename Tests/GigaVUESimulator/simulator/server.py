"""The SSH side: a listening socket we own, logins, and the host key each connection gets.

We accept connections ourselves and hand each socket to asyncssh (`run_server`), so the
"different host key" fault only changes which key the next connection is served with: the
port never closes, no test races a restart, and open sessions keep running.
"""

import asyncio
import hmac
import logging
import socket
from dataclasses import dataclass

import asyncssh

from .device import Device
from .session import CLISession

log = logging.getLogger("gigavue_simulator.ssh")
# (model) How long a client may take to log in.
LOGIN_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Credentials:
    """Who may log in: one user, by password (also keyboard-interactive) or authorized key."""

    user: str
    password: str | None
    authorized_keys: frozenset[bytes]  # public_data of each accepted key


class DeviceSSHServer(asyncssh.SSHServer):
    """Authentication for one connection; remembers the method that succeeded."""

    def __init__(self, device: Device, credentials: Credentials):
        self.device = device
        self.credentials = credentials
        self.method = "none"

    def begin_auth(self, username: str) -> bool:
        return True  # always ask for credentials

    def _record(self, username: str, method: str, accepted: bool) -> bool:
        if accepted:
            self.method = method
        else:
            with self.device.lock:
                self.device.log.event("auth", f"login refused user={username[:64]} method={method}")
        return accepted

    def _password_ok(self, username: str, password: str) -> bool:
        expected = self.credentials.password
        with self.device.lock:
            rejected = self.device.faults.reject_password
        return (expected is not None and not rejected and username == self.credentials.user
                and hmac.compare_digest(password.encode(), expected.encode()))

    def password_auth_supported(self) -> bool:
        with self.device.lock:
            withheld = self.device.faults.no_password_method
        return self.credentials.password is not None and not withheld

    def validate_password(self, username: str, password: str) -> bool:
        return self._record(username, "password", self._password_ok(username, password))

    def kbdint_auth_supported(self) -> bool:
        return self.credentials.password is not None

    def get_kbdint_challenge(self, username, lang, submethods):
        # One prompt, answered with the password (gigavue-cli.md "Session" step 1).
        return "", "", "", [("Password: ", False)]

    def validate_kbdint_response(self, username, responses) -> bool:
        accepted = len(responses) == 1 and self._password_ok(username, responses[0])
        return self._record(username, "keyboard-interactive", accepted)

    def public_key_auth_supported(self) -> bool:
        return bool(self.credentials.authorized_keys)

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        with self.device.lock:
            rejected = self.device.faults.reject_public_key
        accepted = (not rejected and username == self.credentials.user
                    and key.public_data in self.credentials.authorized_keys)
        return self._record(username, "publickey", accepted)


class SSHListener:
    """Accepts on one loopback port and serves each connection with the current host key."""

    def __init__(self, device: Device, credentials: Credentials, primary_key, alternate_key):
        self.device = device
        self.credentials = credentials
        self.keys = {False: primary_key, True: alternate_key}
        self.sock: socket.socket | None = None
        self.port = 0
        self.accepting: asyncio.Task | None = None
        self.tasks: set[asyncio.Task] = set()
        self.connections: set[asyncssh.SSHServerConnection] = set()

    async def start(self, host: str, port: int) -> None:
        """Binds (port 0 = a free one) and starts accepting."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(64)
        sock.setblocking(False)
        self.sock, self.port = sock, sock.getsockname()[1]
        self.accepting = asyncio.get_running_loop().create_task(self._accept())

    async def _accept(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            client, _ = await loop.sock_accept(self.sock)
            task = loop.create_task(self._serve(client))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _serve(self, client: socket.socket) -> None:
        with self.device.lock:
            key = self.keys[self.device.faults.alternate_host_key]
        owner = DeviceSSHServer(self.device, self.credentials)

        async def shell(process: asyncssh.SSHServerProcess) -> None:
            await CLISession(process, self.device, owner.method).run()

        try:
            conn = await asyncssh.run_server(
                client, server_host_keys=[key], server_factory=lambda: owner, process_factory=shell,
                line_editor=False, encoding="utf-8", login_timeout=LOGIN_TIMEOUT_SECONDS,
                allow_scp=False, agent_forwarding=False, x11_forwarding=False)
        except (asyncssh.Error, OSError, asyncio.TimeoutError) as error:
            log.info("connection ended before login completed: %s", error)
            client.close()
            return
        self.connections.add(conn)
        try:
            await conn.wait_closed()
        finally:
            self.connections.discard(conn)

    async def close(self) -> None:
        """Stops accepting and closes every connection."""
        if self.accepting is not None:
            self.accepting.cancel()
        if self.sock is not None:
            self.sock.close()
        for conn in list(self.connections):
            conn.close()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
