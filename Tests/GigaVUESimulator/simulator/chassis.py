"""The device's configuration: ports and their types, port groups, GigaStreams, maps, saves.

Every change checks the rules of gigavue-cli.md "What the simulator must model" and raises
CLIError with the device's `%` text; a refused change leaves the state untouched. Not locked:
Device serialises access.
"""

from dataclasses import dataclass, field
from typing import Callable

from . import dialect
from .errors import CLIError
from .ports import Port, sort_ports, speed_name


@dataclass(frozen=True)
class Endpoint:
    """A map's `from` or `to`: an alias (port group / GigaStream) or explicit ports."""

    alias: str | None = None
    ports: tuple[Port, ...] = ()

    def text(self, formatter) -> str:
        """As the running-config writes it; `formatter` turns ports into a list text."""
        return self.alias if self.alias is not None else formatter(self.ports)


@dataclass
class MapPassall:
    """`map-passall alias M` with its `from` and `to`."""

    source: Endpoint
    target: Endpoint


@dataclass
class Chassis:
    """All configuration, keyed by port and alias."""

    ports: frozenset[Port]
    types: dict[Port, str] = field(default_factory=dict)
    port_groups: dict[str, list[Port]] = field(default_factory=dict)
    gigastreams: dict[str, list[Port]] = field(default_factory=dict)
    maps: dict[str, MapPassall] = field(default_factory=dict)
    saves: int = 0
    # Bumped by every change, copied by `save`: "unsaved changes" is version != saved_version.
    version: int = 0
    saved_version: int = 0
    # Called after every change (the device's traffic timeline); not part of the state.
    on_change: Callable[[], None] | None = field(default=None, compare=False, repr=False)
    # Fault `refuse_in_place_edits`: a live GigaStream's port list and a live map's `to` cannot be
    # changed, only deleted and created again (model: a device that refuses in-place edits).
    refuse_in_place: Callable[[], bool] = field(default=lambda: False, compare=False, repr=False)
    # Fault `ignore_in_place_edits`: a live GigaStream's new port list is accepted silently and not applied.
    ignore_in_place: Callable[[], bool] = field(default=lambda: False, compare=False, repr=False)

    # --- Reading ----------------------------------------------------------------------------
    def port_type(self, port: Port) -> str:
        """The configured type, else the default (model)."""
        return self.types.get(port, dialect.DEFAULT_PORT_TYPE)

    def resolve(self, endpoint: Endpoint, kind: str) -> list[Port]:
        """The ports an endpoint names; `kind` is "from" (port group) or "to" (GigaStream)."""
        if endpoint.alias is None:
            return list(endpoint.ports)
        table = self.port_groups if kind == "from" else self.gigastreams
        return list(table.get(endpoint.alias, []))

    def _users(self, port: Port) -> tuple[list[str], list[str]]:
        """Who needs `port` to be a tool port, and who needs it to be a source port."""
        tool = [f"GigaStream {alias}" for alias, ports in self.gigastreams.items() if port in ports]
        source = [f"port group {alias}" for alias, ports in self.port_groups.items() if port in ports]
        for alias, entry in self.maps.items():
            if port in entry.target.ports:
                tool.append(f"map {alias}")
            if port in entry.source.ports:
                source.append(f"map {alias}")
        return tool, source

    def _map_using(self, alias: str, kind: str) -> str | None:
        for name, entry in sorted(self.maps.items()):
            endpoint = entry.source if kind == "from" else entry.target
            if endpoint.alias == alias:
                return name
        return None

    # --- Checks -----------------------------------------------------------------------------
    def require_ports(self, ports: list[Port]) -> None:
        """Every port exists on the chassis."""
        for port in ports:
            if port not in self.ports:
                raise CLIError("no_such_port", port=port)

    def check_source(self, endpoint: Endpoint) -> None:
        """A map `from`: an existing port group, or network/hybrid ports outside GigaStreams."""
        if endpoint.alias is not None:
            if endpoint.alias not in self.port_groups:
                raise CLIError("no_such_port_group", alias=endpoint.alias)
            return
        self.require_ports(list(endpoint.ports))
        for port in endpoint.ports:
            self._check_not_in_gigastream(port, None)
            if self.port_type(port) not in dialect.SOURCE_PORT_TYPES:
                raise CLIError("not_source_port", port=port, type=self.port_type(port))

    def check_target(self, endpoint: Endpoint) -> None:
        """A map `to`: an existing GigaStream, or tool ports outside port groups."""
        if endpoint.alias is not None:
            if endpoint.alias not in self.gigastreams:
                raise CLIError("no_such_gigastream", alias=endpoint.alias)
            return
        self.require_ports(list(endpoint.ports))
        for port in endpoint.ports:
            self._check_not_in_port_group(port, None)
            if self.port_type(port) != "tool":
                raise CLIError("not_tool_port", port=port, type=self.port_type(port))

    def _check_not_in_gigastream(self, port: Port, allowed: str | None) -> None:
        for alias, members in sorted(self.gigastreams.items()):
            if alias != allowed and port in members:
                raise CLIError("port_in_gigastream", port=port, owner=alias)

    def _check_not_in_port_group(self, port: Port, allowed: str | None) -> None:
        for alias, members in sorted(self.port_groups.items()):
            if alias != allowed and port in members:
                raise CLIError("port_in_port_group", port=port, owner=alias)

    # --- Changes ----------------------------------------------------------------------------
    def _changed(self) -> None:
        self.version += 1
        if self.on_change is not None:
            self.on_change()

    def set_type(self, ports: list[Port], port_type: str) -> None:
        """`port LIST type T`: refused while a GigaStream, port group or map needs the old role."""
        self.require_ports(ports)
        for port in ports:
            tool_users, source_users = self._users(port)
            if port_type != "tool" and tool_users:
                raise CLIError("port_type_in_use", port=port, type=port_type, owner=tool_users[0])
            if port_type == "tool" and source_users:
                raise CLIError("port_type_in_use", port=port, type=port_type, owner=source_users[0])
        for port in ports:
            self.types[port] = port_type
        self._changed()

    def set_gigastream(self, alias: str, ports: list[Port]) -> None:
        """`gigastream alias G port-list L`: creates or replaces G."""
        self.require_ports(ports)
        if alias in self.gigastreams and self.refuse_in_place():
            raise CLIError("in_place_refused", kind="GigaStream", alias=alias)
        if alias in self.gigastreams and self.ignore_in_place():
            return
        if len(ports) < dialect.GIGASTREAM_MIN_PORTS:
            raise CLIError("gigastream_too_small", alias=alias, minimum=dialect.GIGASTREAM_MIN_PORTS,
                           count=len(ports))
        for port in ports:
            self._check_not_in_gigastream(port, alias)
            self._check_not_in_port_group(port, None)
            if self.port_type(port) != "tool":
                raise CLIError("not_tool_port", port=port, type=self.port_type(port))
        first = ports[0]
        for port in ports[1:]:
            if port.speed != first.speed:
                raise CLIError("gigastream_mixed_speeds", alias=alias, first=first, other=port,
                               first_speed=speed_name(first.speed), other_speed=speed_name(port.speed))
        self.gigastreams[alias] = sort_ports(ports)
        self._changed()

    def delete_gigastream(self, alias: str) -> None:
        """`no gigastream alias G`: refused while a map sends to it."""
        if alias not in self.gigastreams:
            raise CLIError("no_such_gigastream", alias=alias)
        user = self._map_using(alias, "to")
        if user is not None:
            raise CLIError("gigastream_in_use", alias=alias, map=user)
        del self.gigastreams[alias]
        self._changed()

    def set_port_group(self, alias: str, ports: list[Port]) -> None:
        """`port-group alias P port-list L`: network/hybrid ports outside GigaStreams (model)."""
        self.require_ports(ports)
        for port in ports:
            self._check_not_in_gigastream(port, None)
            if self.port_type(port) not in dialect.SOURCE_PORT_TYPES:
                raise CLIError("not_source_port", port=port, type=self.port_type(port))
        self.port_groups[alias] = sort_ports(ports)
        self._changed()

    def delete_port_group(self, alias: str) -> None:
        """`no port-group alias P`: refused while a map reads from it."""
        if alias not in self.port_groups:
            raise CLIError("no_such_port_group", alias=alias)
        user = self._map_using(alias, "from")
        if user is not None:
            raise CLIError("port_group_in_use", alias=alias, map=user)
        del self.port_groups[alias]
        self._changed()

    def set_map(self, alias: str, source: Endpoint | None, target: Endpoint | None) -> None:
        """A map-passall leaving its sub-mode: both ends needed and still valid."""
        if source is None or target is None:
            raise CLIError("map_incomplete", alias=alias)
        self.check_source(source)
        self.check_target(target)
        existing = self.maps.get(alias)
        if existing is not None and existing != MapPassall(source, target) and self.refuse_in_place():
            raise CLIError("in_place_refused", kind="Map", alias=alias)
        self.maps[alias] = MapPassall(source, target)
        self._changed()

    def delete_map(self, alias: str) -> None:
        """`no map-passall alias M`."""
        if alias not in self.maps:
            raise CLIError("no_such_map", alias=alias)
        del self.maps[alias]
        self._changed()

    def save(self) -> None:
        """`write memory`."""
        self.saves += 1
        self.saved_version = self.version
