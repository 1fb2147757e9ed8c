"""Configuration commands: port types, GigaStreams, port groups, map-passall, in both the
one-line and the sub-mode forms of gigavue-cli.md "The reconfiguration plan".

Sub-mode rules (model): `gigastream alias G` / `port-group alias P` enter a sub-mode whose
`port-list L` applies at once (errors show on that line); leaving without a port list for a
new object prints an error and creates nothing. `map-passall alias M` enters a sub-mode that
collects `from` and `to` (each checked when typed) and commits on `exit`/`end`, checked again;
an incomplete map prints an error and is not created. Either way the sub-mode is left.
"""

from . import dialect
from .chassis import Endpoint
from .errors import CLIError
from .ports import PortSyntaxError, parse_list
from .terminal import Level, Reply


def check_alias(alias: str) -> str:
    """gigavue-cli.md "Aliases": 1–128 characters, none of `\\ / : , ? % " *` or space."""
    if not 1 <= len(alias) <= dialect.ALIAS_MAX_LENGTH or set(alias) & dialect.ALIAS_FORBIDDEN:
        raise CLIError("invalid_alias", alias=alias[:dialect.ALIAS_MAX_LENGTH + 1])
    return alias


def parse_ports(interp, text: str):
    """A port list that parses and whose ports all exist on the chassis."""
    try:
        ports = parse_list(text)
    except PortSyntaxError as error:
        key = "invalid_range" if error.kind == "range" else "invalid_port"
        raise CLIError(key, port=error.element[:64]) from None
    interp.chassis.require_ports(ports)
    return ports


def parse_endpoint(interp, text: str) -> Endpoint:
    """A `from`/`to` argument: ports when it holds `/` or `,` (aliases cannot), else an alias."""
    if "/" in text or "," in text:
        return Endpoint(ports=tuple(parse_ports(interp, text)))
    return Endpoint(alias=check_alias(text))


def _alias_then(args: list[str], command: str) -> tuple[str, list[str]]:
    """`alias NAME rest…` → (NAME, rest)."""
    if not args or args[0] != "alias":
        if args:
            raise CLIError("unrecognized", line=" ".join((command, *args))[:80])
        raise CLIError("incomplete", line=command)
    if len(args) < 2:
        raise CLIError("incomplete", line=f"{command} alias")
    return check_alias(args[1]), args[2:]


def _port_list_argument(rest: list[str], command: str) -> str | None:
    """None for the sub-mode form; the LIST of `port-list LIST`."""
    if not rest:
        return None
    if rest[0] != "port-list":
        raise CLIError("unrecognized", line=" ".join((command, *rest))[:80])
    if len(rest) != 2:
        raise CLIError("incomplete" if len(rest) < 2 else "unrecognized", line=" ".join((command, *rest))[:80])
    return rest[1]


# --- Top-level commands ------------------------------------------------------------------
def port_type(interp, args, terminal):
    """`port LIST type tool|network|hybrid`."""
    if len(args) < 3:
        raise CLIError("incomplete", line=" ".join(("port", *args))[:80])
    if args[1] != "type" or len(args) > 3:
        raise CLIError("unrecognized", line=" ".join(("port", *args))[:80])
    ports = parse_ports(interp, args[0])
    if args[2] not in dialect.PORT_TYPES:
        raise CLIError("invalid_port_type", type=args[2][:32])
    interp.chassis.set_type(ports, args[2])
    return Reply([], terminal)


def gigastream(interp, args, terminal):
    """`gigastream alias G port-list L`, or `gigastream alias G` into its sub-mode."""
    alias, rest = _alias_then(args, "gigastream")
    text = _port_list_argument(rest, f"gigastream alias {alias}")
    if text is None:
        return Reply([], terminal.sub("gigastream", alias))
    interp.chassis.set_gigastream(alias, parse_ports(interp, text))
    return Reply([], terminal)


def port_group(interp, args, terminal):
    """`port-group alias P port-list L`, or `port-group alias P` into its sub-mode."""
    alias, rest = _alias_then(args, "port-group")
    text = _port_list_argument(rest, f"port-group alias {alias}")
    if text is None:
        return Reply([], terminal.sub("port-group", alias))
    interp.chassis.set_port_group(alias, parse_ports(interp, text))
    return Reply([], terminal)


def map_passall(interp, args, terminal):
    """`map-passall alias M`: into its sub-mode, starting from the map as it is."""
    alias, rest = _alias_then(args, "map-passall")
    if rest:
        raise CLIError("unrecognized", line=" ".join(("map-passall", *args))[:80])
    existing = interp.chassis.maps.get(alias)
    if existing is None:
        return Reply([], terminal.sub("map-passall", alias))
    return Reply([], terminal.sub("map-passall", alias, existing.source, existing.target))


def _deletion(args, command):
    alias, rest = _alias_then(args, command)
    if rest:
        raise CLIError("unrecognized", line=" ".join((command, *args))[:80])
    return alias


def no_gigastream(interp, args, terminal):
    interp.chassis.delete_gigastream(_deletion(args, "no gigastream"))
    return Reply([], terminal)


def no_port_group(interp, args, terminal):
    interp.chassis.delete_port_group(_deletion(args, "no port-group"))
    return Reply([], terminal)


def no_map_passall(interp, args, terminal):
    interp.chassis.delete_map(_deletion(args, "no map-passall"))
    return Reply([], terminal)


# --- Sub-mode commands -------------------------------------------------------------------
def _one_argument(args, command):
    if len(args) != 1:
        raise CLIError("incomplete" if not args else "unrecognized", line=" ".join((command, *args))[:80])
    return args[0]


def gigastream_port_list(interp, args, terminal):
    interp.chassis.set_gigastream(terminal.alias, parse_ports(interp, _one_argument(args, "port-list")))
    return Reply([], terminal)


def port_group_port_list(interp, args, terminal):
    interp.chassis.set_port_group(terminal.alias, parse_ports(interp, _one_argument(args, "port-list")))
    return Reply([], terminal)


def map_from(interp, args, terminal):
    endpoint = parse_endpoint(interp, _one_argument(args, "from"))
    interp.chassis.check_source(endpoint)
    return Reply([], terminal.with_(source=endpoint))


def map_to(interp, args, terminal):
    endpoint = parse_endpoint(interp, _one_argument(args, "to"))
    interp.chassis.check_target(endpoint)
    return Reply([], terminal.with_(target=endpoint))


def _commit(interp, terminal) -> list[str]:
    """The sub-mode's object on leaving: the `%` line when it cannot be kept, else nothing."""
    chassis = interp.chassis
    try:
        if terminal.kind == "map-passall":
            chassis.set_map(terminal.alias, terminal.source, terminal.target)
        elif terminal.kind == "gigastream" and terminal.alias not in chassis.gigastreams:
            raise CLIError("gigastream_empty", alias=terminal.alias)
        elif terminal.kind == "port-group" and terminal.alias not in chassis.port_groups:
            raise CLIError("port_group_empty", alias=terminal.alias)
    except CLIError as error:
        return [str(error)]
    return []


def leave(interp, args, terminal):
    """`exit` in a sub-mode: commit, back to configure mode."""
    if args:
        raise CLIError("unrecognized", line=" ".join(("exit", *args))[:80])
    return Reply(_commit(interp, terminal), terminal.at(Level.CONFIG))


def leave_to_enable(interp, args, terminal):
    """`end` in a sub-mode: commit, back to enable mode."""
    if args:
        raise CLIError("unrecognized", line=" ".join(("end", *args))[:80])
    return Reply(_commit(interp, terminal), terminal.at(Level.ENABLE))
