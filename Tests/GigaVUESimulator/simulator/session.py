"""One interactive SSH shell: the terminal side the interpreter leaves out.

asyncssh runs with its line editor off, so this module does what a device's terminal does:
echo each typed character (not password answers), end lines with CR, LF or CRLF, answer
backspace, write output with CRLF, page long output behind `--More--`, and apply the session
faults (slow prompts, dropped connection, forced password change). Every line goes to the
command log; password answers as "<redacted>".
"""

import asyncio
import logging

import asyncssh

from . import dialect
from .cli import Interpreter
from .device import Device

log = logging.getLogger("gigavue_simulator.session")
REDACTED = "<redacted>"
_QUIET = (asyncssh.TerminalSizeChanged, asyncssh.BreakReceived, asyncssh.SignalReceived)


class CLISession:
    """The shell of one SSH channel, from banner to close."""

    def __init__(self, process: asyncssh.SSHServerProcess, device: Device, method: str):
        self.process = process
        self.device = device
        self.method = method
        self.interpreter = Interpreter(device)
        self.pending = ""
        self.position = 0
        self.echo = ""
        self.skip_lf = False
        self.id = ""

    async def run(self) -> None:
        """Serves the channel until the client leaves, `exit`/`quit`, or a drop fault."""
        self.id = self.device.open_session()
        try:
            await self._serve()
        except (BrokenPipeError, ConnectionError, asyncssh.Error) as error:
            log.info("session %s ended: %s", self.id, error)
        finally:
            with self.device.lock:
                self.device.log.event(self.id, "closed")
            self.device.close_session()
            if not self.process.is_closing():
                try:
                    self._flush()
                    self.process.exit(0)
                except (BrokenPipeError, ConnectionError, asyncssh.Error):
                    pass

    async def _serve(self) -> None:
        if self.process.command is not None or self.process.subsystem is not None:
            # (model) gigavue-cli.md: all public automation uses a shell, none an exec channel.
            self.process.stdout.write("% exec and subsystem requests are not supported: open a shell\r\n")
            return
        with self.device.lock:
            drop_after = self.device.faults.claim_drop()
            user = self.process.get_extra_info("username")
            self.device.log.event(self.id, f"login user={user} method={self.method} pty={self._has_pty()}")
        terminal = self.interpreter.login()
        self._write_lines(dialect.BANNER)
        await self._prompt(terminal)
        commands = 0
        while True:
            secret = terminal.expects_secret
            line = await self._read_line(secret)
            if line is None:
                return
            mode = terminal.mode_name
            reply = self.interpreter.execute(line, terminal)
            with self.device.lock:
                self.device.log.add(self.id, mode, REDACTED if secret else line, reply.lines)
            terminal = reply.terminal
            if not secret and line.strip():
                commands += 1
            if drop_after is not None and commands >= drop_after:
                with self.device.lock:
                    self.device.log.event(self.id, f"dropped after command {commands}", mode)
                self._flush()
                self.process.get_extra_info("connection").abort()
                return
            if not await self._show(reply.lines, self.interpreter.page_length(terminal)) or reply.close:
                return
            await self._prompt(terminal)

    def _has_pty(self) -> bool:
        return self.process.get_terminal_type() is not None

    # --- Output -----------------------------------------------------------------------------
    def _flush(self) -> None:
        if self.echo:
            self.process.stdout.write(self.echo)
            self.echo = ""

    def _write(self, text: str) -> None:
        self._flush()
        self.process.stdout.write(text)

    def _write_lines(self, lines: list[str]) -> None:
        if lines:
            self._write("".join(line + "\r\n" for line in lines))

    async def _prompt(self, terminal) -> None:
        with self.device.lock:
            delay = self.device.faults.prompt_delay_ms
        self._flush()
        if delay:
            await asyncio.sleep(delay / 1000)
        self._write(self.interpreter.prompt(terminal))

    async def _show(self, lines: list[str], page: int) -> bool:
        """Writes `lines`, paged when longer than `page` (dialect "Paging"). False at EOF."""
        if not page or len(lines) <= page:
            self._write_lines(lines)
            return True
        shown, count = 0, page - 1
        while True:
            self._write_lines(lines[shown:shown + count])
            shown += count
            if shown >= len(lines):
                return True
            self._write(dialect.MORE_MARKER)
            while True:
                key = await self._next_key()
                if key is None:
                    return False
                if key == " ":
                    count = page - 1
                    break
                if key == "\r" or key == "\n":
                    count = 1
                    break
                if key in "qQ":
                    self._write(dialect.MORE_ERASE)
                    return True
            self._write(dialect.MORE_ERASE)

    # --- Input ------------------------------------------------------------------------------
    async def _next_char(self) -> str | None:
        while self.position >= len(self.pending):
            self._flush()
            try:
                data = await self.process.stdin.read(4096)
            except _QUIET:
                continue
            if not data:
                return None
            self.pending, self.position = data, 0
        self.position += 1
        return self.pending[self.position - 1]

    async def _next_key(self) -> str | None:
        """One key; the LF of a CRLF is part of the CR before it."""
        while True:
            char = await self._next_char()
            if char == "\n" and self.skip_lf:
                self.skip_lf = False
                continue
            self.skip_lf = char == "\r"
            return char

    async def _read_line(self, secret: bool) -> str | None:
        """One line, echoed as typed unless `secret`; None when the client closed its side."""
        buffer: list[str] = []
        while True:
            char = await self._next_key()
            if char is None:
                return None
            if char in "\r\n":
                self.echo += "\r\n"
                return "".join(buffer)
            if char in "\x7f\x08":
                if buffer:
                    buffer.pop()
                    self.echo += "" if secret else "\b \b"
            elif char == "\x03":
                self.echo += "^C\r\n"
                return ""
            elif char == "\x15":
                self.echo += "" if secret else "\b \b" * len(buffer)
                buffer.clear()
            elif char >= " " and len(buffer) <= dialect.MAX_LINE_LENGTH:
                buffer.append(char)
                self.echo += "" if secret else char
