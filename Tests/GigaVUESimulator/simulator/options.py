"""Command-line options, checked before anything listens: a bad option stops the process with
exit status 2 and one line on stderr, never a half-started simulator.

Secrets come from files only, so no password ever shows in `ps` or a test log.
"""

import argparse
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

from . import dialect
from .config_commands import check_alias
from .errors import CLIError
from .ports import PortSyntaxError, parse_list

HOSTNAME = re.compile(r"[A-Za-z0-9_.-]{1,63}")


@dataclass(frozen=True)
class Address:
    host: str
    port: int


def loopback(text: str) -> Address:
    """`127.0.0.1:0` or `[::1]:0`; only loopback addresses are accepted (a test device)."""
    host, sep, port = text.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        if not sep or not ipaddress.ip_address(host).is_loopback:
            raise ValueError
        number = int(port)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a loopback HOST:PORT such as 127.0.0.1:0") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"port {number} is out of range")
    return Address(host, number)


def secret_file(path: str | None) -> str | None:
    """A password read from a file: its text without the final line break; must not be empty."""
    if path is None:
        return None
    text = Path(path).read_text(encoding="utf-8")
    text = text[:-1] if text.endswith("\n") else text
    text = text[:-1] if text.endswith("\r") else text
    if not text:
        raise ValueError(f"{path} holds no password")
    return text


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gigavue_simulator.py", description="GigaVUE-OS CLI simulator (SSH) for tests.")
    p.add_argument("--listen", type=loopback, default=Address("127.0.0.1", 0), help="SSH HOST:PORT (loopback; 0 = free port)")
    p.add_argument("--control", type=loopback, default=Address("127.0.0.1", 0), help="control API HOST:PORT (loopback)")
    p.add_argument("--host-key", help="ed25519 host key file; generated and written when missing, in memory when not given")
    p.add_argument("--alternate-host-key", help="host key of the 'different host key' fault; same rules")
    p.add_argument("--hostname", default="gigavue-sim", help="hostname shown in prompts (letters, digits, - _ .)")
    p.add_argument("--user", default="admin")
    p.add_argument("--password-file", help="file holding the login password (password and keyboard-interactive)")
    p.add_argument("--authorized-keys", help="OpenSSH authorized_keys file for public-key logins")
    p.add_argument("--enable-password-file", help="file holding the enable password; `enable` then asks Password:")
    p.add_argument("--ports", default=dialect.DEFAULT_PORTS, help="chassis ports (letter = speed: g 1G, x 10G, q 40G, c 100G)")
    p.add_argument("--source-port-group", default=dialect.DEFAULT_SOURCE_GROUP)
    p.add_argument("--source-ports", default=dialect.DEFAULT_SOURCE_PORTS, help="ports of the source port group (type network)")
    p.add_argument("--known-hosts-out", help="write `[127.0.0.1]:PORT ssh-ed25519 …` for the primary key here")
    p.add_argument("--exit-on-stdin-eof", action="store_true", help="stop when stdin closes (the parent died)")
    p.add_argument("--verbose", action="store_true", help="log asyncssh and sessions at debug level on stderr")
    return p


def parse(argv=None) -> argparse.Namespace:
    """Parsed and checked options, with `password`, `enable_password` and port sets added."""
    p = parser()
    args = p.parse_args(argv)
    if not HOSTNAME.fullmatch(args.hostname):
        p.error(f"--hostname {args.hostname!r}: use 1-63 letters, digits, '-', '_' or '.'")
    try:
        args.password = secret_file(args.password_file)
        args.enable_password = secret_file(args.enable_password_file)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        p.error(f"cannot read a password file: {error}")
    if args.password is None and args.authorized_keys is None:
        p.error("give --password-file, --authorized-keys or both: nobody could log in")
    try:
        args.chassis_ports = frozenset(parse_list(args.ports))
        args.source_port_list = tuple(parse_list(args.source_ports))
    except PortSyntaxError as error:
        p.error(f"invalid port list element {error.element!r}")
    missing = [port.name for port in args.source_port_list if port not in args.chassis_ports]
    if missing:
        p.error(f"--source-ports not on the chassis (--ports): {', '.join(missing)}")
    try:
        check_alias(args.source_port_group)
    except CLIError as error:
        p.error(f"--source-port-group: {error}")
    return args
