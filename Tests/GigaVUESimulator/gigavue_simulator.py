#!/usr/bin/env python3
"""GigaVUE-OS CLI simulator: an SSH server on loopback that a test drives like a GigaVUE node.

Prints one JSON line on stdout once both listeners are up
({"ssh_port", "control_port", "host_key_sha256", "alternate_host_key_sha256", "pid"}),
logs on stderr, stops on SIGTERM/SIGINT (and on stdin EOF with --exit-on-stdin-eof).
See README.md next to this file.
"""

import asyncio
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from simulator import options

log = logging.getLogger("gigavue_simulator")


def load_host_key(path: str | None):
    """The key in `path`; a new ed25519 key written there (mode 0600) when the file is missing,
    or kept in memory when no path is given."""
    import asyncssh
    if path is not None and Path(path).exists():
        return asyncssh.read_private_key(path)
    key = asyncssh.generate_private_key("ssh-ed25519")
    if path is not None:
        key.write_private_key(path)
        os.chmod(path, 0o600)
    return key


def load_authorized_keys(path: str | None) -> frozenset[bytes]:
    import asyncssh
    if path is None:
        return frozenset()
    keys = asyncssh.read_public_key_list(path)
    return frozenset(key.public_data for key in keys)


def watch_stdin(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """Stops the simulator when stdin reaches EOF: the test runner that started it is gone."""
    def read() -> None:
        # os.read, not sys.stdin: a daemon thread blocked inside a buffered reader aborts the
        # interpreter at exit.
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        try:
            loop.call_soon_threadsafe(stop.set)
        except RuntimeError:
            pass  # the loop already ended
    threading.Thread(target=read, name="stdin-watch", daemon=True).start()


async def serve(args) -> None:
    # Imported once the options are checked, so a refused start answers at once.
    from simulator.control import ControlServer
    from simulator.device import Device, Setup
    from simulator.server import Credentials, SSHListener

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.exit_on_stdin_eof:
        watch_stdin(loop, stop)
    primary, alternate = load_host_key(args.host_key), load_host_key(args.alternate_host_key)
    device = Device(Setup(hostname=args.hostname, ports=args.chassis_ports, source_group=args.source_port_group,
                          source_ports=args.source_port_list, enable_password=args.enable_password))
    credentials = Credentials(args.user, args.password, load_authorized_keys(args.authorized_keys))
    ssh = SSHListener(device, credentials, primary, alternate)
    await ssh.start(args.listen.host, args.listen.port)
    info = {"ssh_port": ssh.port, "host_key_sha256": primary.get_fingerprint("sha256"),
            "alternate_host_key_sha256": alternate.get_fingerprint("sha256")}
    control = ControlServer(device, dict(info))
    await control.start(args.control.host, args.control.port)
    if args.known_hosts_out:
        host = args.listen.host
        name = host if ssh.port == 22 else f"[{host}]:{ssh.port}"
        Path(args.known_hosts_out).write_text(f"{name} {primary.export_public_key('openssh').decode().strip()}\n")
    print(json.dumps({"ssh_port": ssh.port, "control_port": control.port, **{k: info[k] for k in
                      ("host_key_sha256", "alternate_host_key_sha256")}, "pid": os.getpid()}), flush=True)
    log.info("listening: ssh %s:%d, control %s:%d", args.listen.host, ssh.port, args.control.host, control.port)
    await stop.wait()
    log.info("stopping")
    await control.close()
    await ssh.close()


def main(argv=None) -> int:
    args = options.parse(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    try:
        asyncio.run(serve(args))
    except OSError as error:
        print(f"gigavue_simulator: failed to start: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
