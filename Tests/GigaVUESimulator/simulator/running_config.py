"""`show running-config`: the configuration written as the commands that make it.

Layout (model, gigavue-cli.md "Reading the device's state"; compare the Swift fixture
Tests/GigaVUETests/State/Fixtures/RunningConfigFixture.swift): a `##` header, then sections
for the chassis, port types (one line per run of consecutive ports of one type, ranges such as
`1/1/x1..x4`), port groups and GigaStreams (one-line form), maps (a block with indented
`from`/`to` and `exit`). Objects are sorted by alias so the text is stable.
"""

import time

from . import dialect
from .chassis import Chassis
from .ports import format_list, format_run, runs


def port_list(ports) -> str:
    """A port list as the running-config writes it (ranges per dialect.RANGE_MIN_RUN)."""
    return format_list(ports, dialect.RANGE_MIN_RUN)


def _section(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    return ["", "##", f"## {title}", "##", *lines]


def _port_lines(chassis: Chassis) -> list[str]:
    lines = []
    by_type: dict[str, list] = {}
    for port, port_type in chassis.types.items():
        by_type.setdefault(port_type, []).append(port)
    # One line per run, in port order across all types, like a device listing port by port.
    entries = []
    for port_type, ports in by_type.items():
        for run in runs(ports):
            entries.append((run[0].sort_key, run, port_type))
    for _, run, port_type in sorted(entries, key=lambda entry: entry[0]):
        lines.append(f"port {','.join(format_run(run, dialect.RANGE_MIN_RUN))} type {port_type}")
    return lines


def render(chassis: Chassis, hostname: str, now: float | None = None) -> list[str]:
    """The running-config lines (no line endings)."""
    stamp = time.strftime("%Y/%m/%d %H:%M:%S +0000", time.gmtime(time.time() if now is None else now))
    header = ["##", f'## Running database "{dialect.RUNNING_CONFIG_DATABASE}"',
              f"## Generated at {stamp}", f"## Hostname: {hostname}", "##"]
    boxes = sorted({port.box for port in chassis.ports})
    indent = dialect.RUNNING_CONFIG_INDENT
    map_lines = []
    for alias, entry in sorted(chassis.maps.items()):
        map_lines += [f"map-passall alias {alias}",
                      f"{indent}from {entry.source.text(port_list)}",
                      f"{indent}to {entry.target.text(port_list)}",
                      f"{indent}exit"]
    return (header
            + _section("Chassis level configurations", [dialect.CHASSIS_LINE.format(box=box) for box in boxes])
            + _section("Port configurations", _port_lines(chassis))
            + _section("Port-group configurations",
                       [f"port-group alias {alias} port-list {port_list(ports)}"
                        for alias, ports in sorted(chassis.port_groups.items())])
            + _section("Gigastream configurations",
                       [f"gigastream alias {alias} port-list {port_list(ports)}"
                        for alias, ports in sorted(chassis.gigastreams.items())])
            + _section("Map configurations", map_lines))
