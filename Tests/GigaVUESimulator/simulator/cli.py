"""The command interpreter: one line and a Terminal in, output lines and a new Terminal out.

No I/O and no waiting, so every command and error class is table-tested without SSH
(tests/test_cli.py). The session (session.py) adds echo, paging, delays and drops.
`Reply` and `Terminal` are in terminal.py; the command table in commands.py and
config_commands.py (gigavue-cli.md "Session" and "The reconfiguration plan").
"""

import hmac

from . import commands, dialect
from .device import Device
from .errors import CLIError
from .terminal import Level, Reply, Terminal

# (model) Outside sub-modes these may be typed in any sub-mode too.
SUBMODE_GLOBALS = {("show", "running-config"), ("show", "version"), ("show", "port"), ("write", "memory")}


def tokenize(line: str) -> list[str]:
    """Words separated by blanks; "double quotes" keep blanks inside one word."""
    words, current, quoted, in_word = [], [], False, False
    for char in line:
        if char == '"':
            quoted, in_word = not quoted, True
        elif char.isspace() and not quoted:
            if in_word:
                words.append("".join(current))
            current, in_word = [], False
        else:
            current.append(char)
            in_word = True
    if quoted:
        raise CLIError("unterminated_quote")
    if in_word:
        words.append("".join(current))
    return words


class Interpreter:
    """Runs lines against `device`. With `inject_faults` False (the control API's operator)
    the fail-config and paging faults are not applied."""

    def __init__(self, device: Device, inject_faults: bool = True):
        self.device = device
        self.inject_faults = inject_faults

    @property
    def chassis(self):
        return self.device.chassis

    @property
    def faults(self):
        return self.device.faults

    def login(self) -> Terminal:
        """The terminal of a session that just logged in."""
        with self.device.lock:
            forced = self.faults.force_password_change
        return Terminal(awaiting="password_change" if forced else None)

    def prompt(self, terminal: Terminal) -> str:
        return terminal.prompt(self.device.hostname)

    def page_length(self, terminal: Terminal) -> int:
        """Lines per page for this session's output, 0 when not paged."""
        with self.device.lock:
            if self.inject_faults and self.faults.force_paging:
                return dialect.PAGE_LENGTH
        return terminal.page_length if terminal.paging else 0

    def execute(self, line: str, terminal: Terminal) -> Reply:
        """Runs one line typed at `terminal`'s prompt."""
        with self.device.lock:
            if terminal.awaiting is not None:
                return self._answer_password(line, terminal)
            try:
                if len(line) > dialect.MAX_LINE_LENGTH:
                    raise CLIError("line_too_long", limit=dialect.MAX_LINE_LENGTH)
                words = tokenize(line)
                if not words:
                    return Reply([], terminal)
                return self._dispatch(words, terminal)
            except CLIError as error:
                return Reply([str(error)], terminal)

    def _answer_password(self, line: str, terminal: Terminal) -> Reply:
        if terminal.awaiting == "password_change":
            return Reply([dialect.ERRORS["password_change"]], terminal)
        expected = self.device.setup.enable_password or ""
        if hmac.compare_digest(line.encode(), expected.encode()):
            return Reply([], terminal.at(Level.ENABLE))
        return Reply([dialect.ERRORS["enable_denied"]], terminal.at(Level.USER))

    def _dispatch(self, words: list[str], terminal: Terminal) -> Reply:
        shown = " ".join(words)[:80]
        if terminal.level == Level.SUB:
            handler = commands.SUBMODE.get((terminal.kind, words[0]))
            if handler is not None:
                if words[0] not in ("exit", "end"):
                    self._maybe_fail_config()
                return handler(self, words[1:], terminal)
        entry = commands.match(words)
        if entry is None:
            if commands.is_prefix(words):
                raise CLIError("incomplete", line=shown)
            raise CLIError("unrecognized", line=shown)
        if not entry.arguments and len(words) > len(entry.words):
            raise CLIError("unrecognized", line=shown)
        if terminal.level == Level.SUB and entry.words not in SUBMODE_GLOBALS:
            raise CLIError("not_in_submode", line=shown)
        if terminal.level < entry.level:
            key = "requires_enable" if entry.level == Level.ENABLE else "requires_config"
            raise CLIError(key, line=shown)
        if entry.config:
            self._maybe_fail_config()
        return entry.handler(self, words[len(entry.words):], terminal)

    def _maybe_fail_config(self) -> None:
        if self.inject_faults and self.faults.take_config_failure():
            raise CLIError("fault_config")
