"""Which tool ports the source group's traffic reaches, over time (issue 15, "Measure the dark time").

A port receives traffic while a map-passall reads `from` the source port group and its `to` names the
port, or a GigaStream holding it. After every configuration change the device recomputes the set and
this timeline opens or closes one interval per port; `GET /traffic` returns the intervals, so a test
or benchmark sees exactly how long a port that stayed in the set was dark.
"""

from .ports import Port


def reachable(chassis, source_group: str) -> set[Port]:
    """The tool ports the source group's traffic reaches in `chassis` now."""
    ports: set[Port] = set()
    for entry in chassis.maps.values():
        if entry.source.alias != source_group or source_group not in chassis.port_groups:
            continue
        ports.update(chassis.resolve(entry.target, "to"))
    return ports


class Timeline:
    """Per tool port, the [start, end] intervals of traffic (end None while it still flows)."""

    def __init__(self):
        self.intervals: dict[Port, list[list]] = {}
        self.current: set[Port] = set()

    def update(self, ports: set[Port], now: float) -> None:
        """The set reached from `now` on."""
        for port in self.current - ports:
            self.intervals[port][-1][1] = now
        for port in ports - self.current:
            self.intervals.setdefault(port, []).append([now, None])
        self.current = set(ports)

    def to_json(self, now: float) -> dict:
        """`GET /traffic`: {"now": t, "ports": {"1/1/x1": [[start, end|null], ...]}}."""
        return {"now": now,
                "ports": {port.name: [list(interval) for interval in spans]
                          for port, spans in sorted(self.intervals.items(), key=lambda item: item[0].sort_key)}}
