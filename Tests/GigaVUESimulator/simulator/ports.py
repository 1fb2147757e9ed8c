"""Port identifiers and port lists, as gigavue-cli.md "Port identifiers" describes them.

The driver must read what this module writes (ranges such as `1/1/x1..x4`), so the grammar
and the range writer live together and are tested against each other.
"""

import re
from dataclasses import dataclass

# (doc) Port letter = speed class, in Gbit/s. The order is the sort order of TapPort in Swift.
SPEEDS = {"g": 1, "x": 10, "q": 40, "c": 100}
LETTER_ORDER = "gxqc"
# (model) Speed of one breakout sub-port of a q (40G → 4×10G) or c (100G → 4×25G) port.
BREAKOUT_SPEEDS = {"q": 10, "c": 25}
# (model) Grammar bounds, gigavue-cli.md "Our accepted grammar".
BOX_MAX, SLOT_MAX, NUMBER_MAX, BREAKOUT_MAX = 255, 32, 128, 4
# (model) The most ports one list may expand to: far above any chassis, so only a runaway
# list hits it.
LIST_LIMIT = 4096

_PORT = re.compile(r"([1-9][0-9]{0,2})/([1-9][0-9]?)/([gxqc])([1-9][0-9]{0,2})(?:x([1-9]))?")
_END = re.compile(r"([gxqc])([1-9][0-9]{0,2})(?:x([1-9]))?")


class PortSyntaxError(ValueError):
    """A port or list element that is not in the grammar; `kind` is "syntax" or "range"."""

    def __init__(self, element: str, kind: str = "syntax"):
        super().__init__(f"invalid port {kind}: {element!r}")
        self.element = element
        self.kind = kind


@dataclass(frozen=True)
class Port:
    """One chassis port, `BOX/SLOT/<letter><number>[x<breakout>]`."""

    box: int
    slot: int
    letter: str
    number: int
    breakout: int | None = None

    @property
    def name(self) -> str:
        """The CLI form, `1/1/x1`."""
        return f"{self.box}/{self.slot}/{self.short}"

    @property
    def short(self) -> str:
        """The part after the slot, `x1` or `q1x2`: what a range repeats on its end."""
        tail = f"x{self.breakout}" if self.breakout is not None else ""
        return f"{self.letter}{self.number}{tail}"

    @property
    def speed(self) -> int:
        """Gbit/s, from the letter (and breakout)."""
        return BREAKOUT_SPEEDS[self.letter] if self.breakout is not None else SPEEDS[self.letter]

    @property
    def sort_key(self) -> tuple:
        """Box, slot, letter (g < x < q < c), number, breakout: the Swift TapPort order."""
        return (self.box, self.slot, LETTER_ORDER.index(self.letter), self.number, self.breakout or 0)

    def __str__(self) -> str:
        return self.name


def speed_name(gbps: int) -> str:
    """`10G`: how messages write a speed."""
    return f"{gbps}G"


def parse_port(text: str) -> Port:
    """Parses one port in CLI form; raises PortSyntaxError."""
    match = _PORT.fullmatch(text)
    if not match:
        raise PortSyntaxError(text)
    box, slot, letter, number, breakout = match.groups()
    port = Port(int(box), int(slot), letter, int(number), int(breakout) if breakout else None)
    _check_bounds(port, text)
    return port


def _check_bounds(port: Port, text: str) -> None:
    if port.box > BOX_MAX or port.slot > SLOT_MAX or port.number > NUMBER_MAX:
        raise PortSyntaxError(text)
    if port.breakout is not None and (port.letter not in BREAKOUT_SPEEDS or port.breakout > BREAKOUT_MAX):
        raise PortSyntaxError(text)


def expand(element: str) -> list[Port]:
    """One list element: a port, or a range `1/1/x1..x4` (also `1/1/x1..1/1/x4`, and
    `1/1/q1x1..q1x4` over the breakouts of one port)."""
    if ".." not in element:
        return [parse_port(element)]
    start_text, _, end_text = element.partition("..")
    start = parse_port(start_text)
    if "/" in end_text:
        end = parse_port(end_text)
    else:
        match = _END.fullmatch(end_text)
        if not match:
            raise PortSyntaxError(element, "range")
        letter, number, breakout = match.groups()
        end = Port(start.box, start.slot, letter, int(number), int(breakout) if breakout else None)
        _check_bounds(end, element)
    if (start.box, start.slot, start.letter) != (end.box, end.slot, end.letter):
        raise PortSyntaxError(element, "range")
    if start.breakout is None and end.breakout is None and start.number <= end.number:
        return [Port(start.box, start.slot, start.letter, n) for n in range(start.number, end.number + 1)]
    if (start.breakout is not None and end.breakout is not None and start.number == end.number
            and start.breakout <= end.breakout):
        return [Port(start.box, start.slot, start.letter, start.number, b)
                for b in range(start.breakout, end.breakout + 1)]
    raise PortSyntaxError(element, "range")


def parse_list(text: str, limit: int = LIST_LIMIT) -> list[Port]:
    """A comma-separated list without spaces, sorted and unique; the first bad element raises
    PortSyntaxError naming it (an empty element is reported as '')."""
    ports: set[Port] = set()
    for element in text.split(","):
        ports.update(expand(element))
        if len(ports) > limit:
            raise PortSyntaxError(element, "range")
    return sort_ports(ports)


def sort_ports(ports) -> list[Port]:
    """Ports in device order."""
    return sorted(ports, key=lambda port: port.sort_key)


def _follows(previous: Port, port: Port) -> bool:
    same = (previous.box, previous.slot, previous.letter) == (port.box, port.slot, port.letter)
    if not same:
        return False
    if previous.breakout is None and port.breakout is None:
        return port.number == previous.number + 1
    if previous.breakout is not None and port.breakout is not None:
        return port.number == previous.number and port.breakout == previous.breakout + 1
    return False


def runs(ports) -> list[list[Port]]:
    """The sorted, unique ports cut into runs of consecutive ports."""
    result: list[list[Port]] = []
    for port in sort_ports(set(ports)):
        if result and _follows(result[-1][-1], port):
            result[-1].append(port)
        else:
            result.append([port])
    return result


def format_run(run: list[Port], min_run: int) -> list[str]:
    """A run as a range `1/1/x1..x4` when long enough, else port by port."""
    if len(run) >= min_run and len(run) > 1:
        return [f"{run[0].name}..{run[-1].short}"]
    return [port.name for port in run]


def format_list(ports, min_run: int = 2) -> str:
    """The device's list form: runs of `min_run` or more as ranges, comma-separated."""
    return ",".join(text for run in runs(ports) for text in format_run(run, min_run))
