"""The one shared device: configuration, faults and the command log that every SSH session and
the control API use, so state lives across sessions until the process stops.

Everything runs on one asyncio loop, and each command runs without awaiting, so commands are
already atomic; `lock` still guards every access so a caller on another thread stays safe.
"""

import threading
import time
from dataclasses import dataclass

from .chassis import Chassis
from .faults import Faults
from .ports import Port, format_list
from .traffic import Timeline, reachable


@dataclass(frozen=True)
class Setup:
    """What the command line fixed: the initial state `POST /reset` returns to."""

    hostname: str
    ports: frozenset[Port]
    source_group: str
    source_ports: tuple[Port, ...]
    enable_password: str | None = None


class CommandLog:
    """Every line received, with its answer. Never holds a password: the session passes
    "<redacted>" for password answers. Capped; `seq` numbers keep counting past dropped entries."""

    LIMIT = 100_000

    def __init__(self):
        self.entries: list[dict] = []
        self.first_seq = 0

    def add(self, session: str, mode: str, line: str, output: list[str]) -> None:
        """A line typed (or sent to POST /configure) and its answer."""
        self._append({"seq": self.next_seq, "session": session, "time": time.time(), "mode": mode,
                      "line": line, "output": list(output)})

    def event(self, session: str, event: str, mode: str = "") -> None:
        """Something that is not a line (login, close, drop, faults): `line` is null, so a reader
        collecting typed lines skips it."""
        self._append({"seq": self.next_seq, "session": session, "time": time.time(), "mode": mode,
                      "line": None, "output": [], "event": event})

    def _append(self, entry: dict) -> None:
        self.entries.append(entry)
        if len(self.entries) > self.LIMIT:
            drop = len(self.entries) - self.LIMIT // 2
            del self.entries[:drop]
            self.first_seq += drop

    def since(self, seq: int) -> list[dict]:
        """Entries with `seq` ≥ the given one."""
        return self.entries[max(0, seq - self.first_seq):]

    @property
    def next_seq(self) -> int:
        return self.first_seq + len(self.entries)


class Device:
    """The simulated GigaVUE node: state, faults, log, session counters."""

    def __init__(self, setup: Setup, clock=time.time):
        self.setup = setup
        self.clock = clock
        self.started_at = clock()
        self.lock = threading.RLock()
        self.sessions_started = 0
        self.sessions_active = 0
        self.reset()

    @property
    def hostname(self) -> str:
        return self.setup.hostname

    def reset(self) -> None:
        """Back to the initial state: the source port group only, no faults, empty log."""
        with self.lock:
            chassis = Chassis(ports=self.setup.ports)
            for port in self.setup.source_ports:
                chassis.types[port] = "network"
            chassis.port_groups[self.setup.source_group] = list(self.setup.source_ports)
            self.chassis = chassis
            self.faults = Faults()
            self.log = CommandLog()
            self.traffic = Timeline()
            chassis.on_change = self._traffic_changed
            chassis.refuse_in_place = lambda: self.faults.refuse_in_place_edits
            chassis.ignore_in_place = lambda: self.faults.ignore_in_place_edits

    def _traffic_changed(self) -> None:
        """After a configuration change: which tool ports the source group reaches now."""
        self.traffic.update(reachable(self.chassis, self.setup.source_group), self.clock())

    def open_session(self) -> str:
        """A new session id ("s1", "s2", …)."""
        with self.lock:
            self.sessions_started += 1
            self.sessions_active += 1
            return f"s{self.sessions_started}"

    def close_session(self) -> None:
        with self.lock:
            self.sessions_active -= 1

    def state_json(self, running_config: str) -> dict:
        """`GET /state`: the configuration as data, with the running-config text."""
        with self.lock:
            chassis = self.chassis

            def endpoint(value, kind):
                return {"alias": value.alias, "text": value.text(format_list),
                        "ports": [p.name for p in chassis.resolve(value, kind)]}

            maps = {}
            for alias, entry in chassis.maps.items():
                source, target = endpoint(entry.source, "from"), endpoint(entry.target, "to")
                maps[alias] = {"from": source["text"], "to": target["text"],
                               "from_ports": source["ports"], "to_ports": target["ports"]}
            return {
                "hostname": self.hostname,
                "running_config": running_config,
                "gigastreams": {a: [p.name for p in ps] for a, ps in chassis.gigastreams.items()},
                "port_groups": {a: [p.name for p in ps] for a, ps in chassis.port_groups.items()},
                "maps": maps,
                "port_types": {p.name: t for p, t in sorted(chassis.types.items(), key=lambda i: i[0].sort_key)},
                "saves": chassis.saves,
                "unsaved_changes": chassis.version != chassis.saved_version,
                "sessions": {"started": self.sessions_started, "active": self.sessions_active},
                "log_size": self.log.next_seq,
            }
