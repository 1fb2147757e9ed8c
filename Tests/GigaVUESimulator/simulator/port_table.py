"""`show port` and `show port port-list LIST` (gigavue-cli.md "Listing the device's ports").

(doc) A table framed by `====` and `----` lines; each row starts with the port ID, then its type.
(model) The other columns are fixed values: the simulator has no optics or links.
"""

from .errors import CLIError
from .ports import PortSyntaxError, parse_list, sort_ports
from .terminal import Reply

HEADER = ("Port      Type       Alias  Admin    Link Status  Xcvr Pwr  Pwr THld  Xcvr Type  Auto Neg  Speed   "
          "Duplex  Force LnkUp  Port Relay  Dscvry")
RULE_HEAVY = "=" * len(HEADER)
RULE_LIGHT = "-" * len(HEADER)
SPEEDS_MBPS = {1: "1000", 10: "10000", 25: "25000", 40: "40000", 100: "100000"}


def _row(chassis, port) -> str:
    speed = SPEEDS_MBPS.get(port.speed, str(port.speed * 1000))
    return (f"{port.name:<9} {chassis.port_type(port):<10} {'N/A':<6} {'enabled':<8} {'up':<12} {'-2.64':<9} "
            f"{'-':<9} {'sfp+ sr':<10} {'off':<9} {speed:<7} {'full':<7} {'off':<12} {'N/A':<11} off")


def show_port(interp, args, terminal):
    """`show port`: every chassis port; `show port port-list LIST`: those, `%` for a missing one."""
    chassis = interp.chassis
    if not args:
        ports = sort_ports(chassis.ports)
    elif args[0] == "port-list" and len(args) == 2:
        try:
            ports = parse_list(args[1])
        except PortSyntaxError as error:
            key = "invalid_range" if error.kind == "range" else "invalid_port"
            raise CLIError(key, port=error.element[:64]) from None
        chassis.require_ports(ports)
    else:
        raise CLIError("unrecognized", line=" ".join(("show", "port", *args))[:80])
    lines = [RULE_HEAVY, HEADER, RULE_LIGHT, *(_row(chassis, port) for port in ports), RULE_HEAVY]
    return Reply(lines, terminal)
