"""What one CLI session carries between lines: its mode, sub-mode draft, paging and pending
password question. Immutable, so the interpreter stays a function from (line, terminal) to
(output, terminal) and tests can compare terminals."""

from dataclasses import dataclass, replace
from enum import IntEnum

from . import dialect
from .chassis import Endpoint


class Level(IntEnum):
    """CLI modes in order: a command allowed in a mode is allowed in the modes above it
    (model), except that sub-modes only take their own commands plus SUBMODE_GLOBALS."""

    USER = 0
    ENABLE = 1
    CONFIG = 2
    SUB = 3


@dataclass(frozen=True)
class Terminal:
    """One session's CLI state."""

    level: Level = Level.USER
    # Sub-mode object: "map-passall", "gigastream" or "port-group", and its alias.
    kind: str = ""
    alias: str = ""
    # The map-passall being edited: committed on `exit`/`end` (model).
    source: Endpoint | None = None
    target: Endpoint | None = None
    # Paging (dialect "Paging"): on at login; page_length 0 means off as well.
    paging: bool = True
    page_length: int = dialect.PAGE_LENGTH
    # "enable_password" or "password_change": the next line answers a password question.
    awaiting: str | None = None

    @property
    def expects_secret(self) -> bool:
        """The next line is a password: not echoed, logged as <redacted>."""
        return self.awaiting is not None

    @property
    def mode_name(self) -> str:
        """For the command log: user, enable, config, `config map-passall M`, or the question."""
        if self.awaiting is not None:
            return self.awaiting
        if self.level == Level.SUB:
            return f"config {self.kind} {self.alias}"
        return {Level.USER: "user", Level.ENABLE: "enable", Level.CONFIG: "config"}[self.level]

    def prompt(self, hostname: str) -> str:
        """The prompt this state shows (dialect "Prompts")."""
        if self.awaiting == "enable_password":
            return dialect.PROMPT_ENABLE_PASSWORD
        if self.awaiting == "password_change":
            return dialect.PROMPT_PASSWORD_CHANGE
        if self.level == Level.SUB:
            return dialect.PROMPT_SUB.format(host=hostname, kind=self.kind, alias=self.alias)
        form = {Level.USER: dialect.PROMPT_USER, Level.ENABLE: dialect.PROMPT_ENABLE,
                Level.CONFIG: dialect.PROMPT_CONFIG}[self.level]
        return form.format(host=hostname)

    def at(self, level: Level) -> "Terminal":
        """This terminal moved to a plain mode (the sub-mode draft is dropped)."""
        return replace(self, level=level, kind="", alias="", source=None, target=None, awaiting=None)

    def sub(self, kind: str, alias: str, source=None, target=None) -> "Terminal":
        """This terminal inside an object's sub-mode."""
        return replace(self, level=Level.SUB, kind=kind, alias=alias, source=source, target=target)

    def with_(self, **changes) -> "Terminal":
        return replace(self, **changes)


@dataclass
class Reply:
    """What a line produced: output lines (no line endings), the next terminal, and whether the
    session ends (`exit` in user mode, `quit`, `logout`)."""

    lines: list[str]
    terminal: Terminal
    close: bool = False
