"""The command table: which words make which command, from which mode, and the session and
show commands. Configuration objects are in config_commands.py.

A command matches when its words start the line (the longest match wins); the rest of the line
goes to its handler. A line that is only the start of a command is "incomplete".
"""

from dataclasses import dataclass
from typing import Callable

from . import config_commands as objects
from . import dialect, port_table, running_config
from .errors import CLIError
from .terminal import Level, Reply


@dataclass(frozen=True)
class Command:
    """One table row. `config` marks commands that change configuration (fault target);
    `arguments` whether words may follow the row's words (else the line is unrecognized)."""

    words: tuple[str, ...]
    level: Level
    handler: Callable
    config: bool = False
    arguments: bool = False


def enable(interp, args, terminal):
    """user → enable, through `Password:` when an enable password is set; no-op higher up."""
    if terminal.level >= Level.ENABLE:
        return Reply([], terminal)
    if interp.device.setup.enable_password is not None:
        return Reply([], terminal.with_(awaiting="enable_password"))
    return Reply([], terminal.at(Level.ENABLE))


def disable(interp, args, terminal):
    return Reply([], terminal.at(Level.USER))


def exit_(interp, args, terminal):
    """exit: config → enable → user → (model) end of session."""
    if terminal.level == Level.USER:
        return Reply([], terminal, close=dialect.EXIT_IN_USER_MODE_CLOSES)
    return Reply([], terminal.at(Level(terminal.level - 1)))


def logout(interp, args, terminal):
    return Reply([], terminal, close=True)


def end(interp, args, terminal):
    return Reply([], terminal.at(Level.ENABLE))


def configure_terminal(interp, args, terminal):
    return Reply([], terminal.at(Level.CONFIG))


def terminal_length(interp, args, terminal):
    """Page length N, 0–999; 0 = no paging (model). Refusable by fault (another release)."""
    line = "cli session terminal length " + " ".join(args)
    if interp.inject_faults and interp.faults.refuses("terminal_length"):
        raise CLIError("unrecognized", line=line.strip()[:80])
    if not args:
        raise CLIError("incomplete", line=line.strip())
    value = args[0]
    if len(args) > 1 or not value.isdigit() or int(value) > dialect.TERMINAL_LENGTH_MAX:
        raise CLIError("invalid_length", value=" ".join(args)[:20], limit=dialect.TERMINAL_LENGTH_MAX)
    return Reply([], terminal.with_(page_length=int(value)))


def no_paging(interp, args, terminal):
    """The other release's paging-off command (gigavue-cli.md "Session" step 4)."""
    if interp.inject_faults and interp.faults.refuses("no_paging"):
        raise CLIError("unrecognized", line="no cli session paging enable")
    return Reply([], terminal.with_(paging=False))


def paging(interp, args, terminal):
    return Reply([], terminal.with_(paging=True))


def show_running_config(interp, args, terminal):
    return Reply(running_config.render(interp.chassis, interp.device.hostname, interp.device.clock()), terminal)


def show_version(interp, args, terminal):
    seconds = int(interp.device.clock() - interp.device.started_at)
    uptime = f"{seconds // 86400}d {seconds // 3600 % 24}h {seconds // 60 % 60}m {seconds % 60}s"
    return Reply([line.format(host=interp.device.hostname, uptime=uptime) for line in dialect.VERSION_LINES],
                  terminal)


def write_memory(interp, args, terminal):
    """Saves: prints nothing, counts the save (doc: no confirmation prompt)."""
    if interp.inject_faults and interp.faults.fail_write_memory:
        raise CLIError("fault_write_memory")
    interp.chassis.save()
    return Reply([], terminal)


TABLE = [
    Command(("enable",), Level.USER, enable),
    Command(("disable",), Level.ENABLE, disable),
    Command(("exit",), Level.USER, exit_),
    Command(("quit",), Level.USER, logout),
    Command(("logout",), Level.USER, logout),
    Command(("end",), Level.CONFIG, end),
    Command(("configure", "terminal"), Level.ENABLE, configure_terminal),
    Command(("cli", "session", "terminal", "length"), Level.USER, terminal_length, arguments=True),
    Command(("no", "cli", "session", "paging", "enable"), Level.USER, no_paging),
    Command(("cli", "session", "paging", "enable"), Level.USER, paging),
    Command(("show", "running-config"), Level.ENABLE, show_running_config),
    Command(("show", "version"), Level.USER, show_version),
    Command(("show", "port"), Level.ENABLE, port_table.show_port, arguments=True),
    Command(("write", "memory"), Level.ENABLE, write_memory),
    Command(("port",), Level.CONFIG, objects.port_type, config=True, arguments=True),
    Command(("gigastream",), Level.CONFIG, objects.gigastream, config=True, arguments=True),
    Command(("port-group",), Level.CONFIG, objects.port_group, config=True, arguments=True),
    Command(("map-passall",), Level.CONFIG, objects.map_passall, config=True, arguments=True),
    Command(("no", "gigastream"), Level.CONFIG, objects.no_gigastream, config=True, arguments=True),
    Command(("no", "port-group"), Level.CONFIG, objects.no_port_group, config=True, arguments=True),
    Command(("no", "map-passall"), Level.CONFIG, objects.no_map_passall, config=True, arguments=True),
]

# Sub-mode commands, by (sub-mode kind, first word); the handler gets the other words.
SUBMODE = {
    ("gigastream", "port-list"): objects.gigastream_port_list,
    ("port-group", "port-list"): objects.port_group_port_list,
    ("map-passall", "from"): objects.map_from,
    ("map-passall", "to"): objects.map_to,
    **{(kind, "exit"): objects.leave for kind in ("gigastream", "port-group", "map-passall")},
    **{(kind, "end"): objects.leave_to_enable for kind in ("gigastream", "port-group", "map-passall")},
}


def match(words: list[str]) -> Command | None:
    """The longest table row whose words start the line."""
    found = [row for row in TABLE if tuple(words[:len(row.words)]) == row.words]
    return max(found, key=lambda row: len(row.words), default=None)


def is_prefix(words: list[str]) -> bool:
    """Whether the line is the start of some command (so: incomplete, not unknown)."""
    return any(len(words) < len(row.words) and tuple(words) == row.words[:len(words)] for row in TABLE)
