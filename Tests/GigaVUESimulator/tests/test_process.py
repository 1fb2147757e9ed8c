"""The process interface the Swift tests rely on: the JSON line, known_hosts, options refused
before listening, and stopping on SIGTERM or stdin EOF."""

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import asyncssh

from .support import SCRIPT, SimulatorProcess, wait_for


def run_refused(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=20)


class StartTests(unittest.TestCase):
    def test_json_line_and_known_hosts(self):
        sim = SimulatorProcess()
        try:
            self.assertEqual(set(sim.info), {"ssh_port", "control_port", "host_key_sha256",
                                             "alternate_host_key_sha256", "pid"})
            self.assertEqual(sim.info["pid"], sim.process.pid)
            self.assertRegex(sim.info["host_key_sha256"], r"^SHA256:[A-Za-z0-9+/]{43}$")
            self.assertNotEqual(sim.info["host_key_sha256"], sim.info["alternate_host_key_sha256"])
            line = sim.known_hosts.read_text()
            self.assertRegex(line, rf"^\[127\.0\.0\.1\]:{sim.port} ssh-ed25519 AAAA\S+\n$")
            key = asyncssh.import_public_key(line.split(" ", 1)[1])
            self.assertEqual(key.get_fingerprint("sha256"), sim.info["host_key_sha256"])
            host_key = Path(sim.dir.name) / "host_key"
            self.assertEqual(host_key.stat().st_mode & 0o777, 0o600)
            self.assertEqual(sim.control("GET", "/health")[1]["ssh_port"], sim.port)
        finally:
            self.assertEqual(sim.stop(), 0)  # SIGTERM is a clean exit

    def test_host_key_file_is_reused(self):
        with tempfile.TemporaryDirectory() as folder:
            key = Path(folder) / "host_key"
            prints = []
            for _ in range(2):
                sim = SimulatorProcess("--host-key", str(key))
                prints.append(sim.info["host_key_sha256"])
                sim.stop()
            self.assertEqual(prints[0], prints[1])

    def test_stdin_eof_stops_it(self):
        sim = SimulatorProcess()
        sim.process.stdin.close()
        self.assertTrue(wait_for(lambda: sim.process.poll() is not None, 10))
        self.assertEqual(sim.stop(), 0)

    def test_bad_options_are_refused_before_listening(self):
        with tempfile.TemporaryDirectory() as folder:
            password = Path(folder) / "pw"
            password.write_text("x\n")
            empty = Path(folder) / "empty"
            empty.write_text("\n")
            cases = {
                ("--listen", "0.0.0.0:0"): "loopback",
                ("--control", "10.0.0.1:0"): "loopback",
                ("--listen", "localhost:0"): "loopback",
                ("--listen", "127.0.0.1"): "loopback",
                ("--listen", "127.0.0.1:70000"): "out of range",
                ("--hostname", "bad host"): "--hostname",
                ("--source-ports", "1/9/x1"): "not on the chassis",
                ("--ports", "1/1/x1..x0"): "invalid port list",
                ("--source-port-group", "a/b"): "Invalid alias",
                ("--enable-password-file", str(empty)): "holds no password",
                ("--enable-password-file", str(Path(folder) / "missing")): "cannot read",
            }
            for args, message in cases.items():
                with self.subTest(args=args):
                    result = run_refused("--password-file", str(password), *args)
                    self.assertEqual(result.returncode, 2, result.stderr)
                    self.assertIn(message, result.stderr)
                    self.assertEqual(result.stdout, "")
            result = run_refused()
            self.assertEqual(result.returncode, 2)
            self.assertIn("nobody could log in", result.stderr)


class ControlTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimulatorProcess()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def setUp(self):
        self.sim.control("POST", "/reset")

    def test_state_shape(self):
        state = self.sim.state()
        self.assertEqual(state["gigastreams"], {})
        self.assertEqual(state["maps"], {})
        self.assertEqual(state["port_groups"], {"net_group": ["1/1/x45", "1/1/x46", "1/1/x47", "1/1/x48"]})
        self.assertEqual(state["port_types"], {f"1/1/x{n}": "network" for n in range(45, 49)})
        self.assertEqual((state["saves"], state["unsaved_changes"]), (0, False))
        self.assertIn("port-group alias net_group port-list 1/1/x45..x48", state["running_config"])

    def test_configure_runs_lines_as_an_operator(self):
        status, reply = self.sim.control("POST", "/configure", {"lines": [
            "port 1/1/x1..x2 type tool", "gigastream alias other port-list 1/1/x1..x2", "map-passall alias m",
            "from net_group", "to other", "exit", "no gigastream alias nope"]})
        self.assertEqual(status, 200)
        self.assertEqual(reply["errors"], 1)
        self.assertEqual(reply["results"][-1], {"line": "no gigastream alias nope", "mode": "config",
                                                "output": ["% GigaStream nope does not exist"]})
        self.assertEqual(reply["results"][3]["mode"], "config map-passall m")
        state = self.sim.state()
        self.assertEqual(state["maps"]["m"], {"from": "net_group", "to": "other", "to_ports": ["1/1/x1", "1/1/x2"],
                                              "from_ports": ["1/1/x45", "1/1/x46", "1/1/x47", "1/1/x48"]})
        self.assertTrue(state["unsaved_changes"])

    def test_log_since_and_reset(self):
        self.sim.control("POST", "/configure", {"lines": ["port 1/1/x1 type tool", "foo"]})
        log = self.sim.control("GET", "/log")[1]
        self.assertEqual([e["line"] for e in log["entries"]], ["port 1/1/x1 type tool", "foo"])
        self.assertEqual(set(log["entries"][0]), {"seq", "session", "time", "mode", "line", "output"})
        self.assertEqual(log["next"], 2)
        self.assertEqual([e["line"] for e in self.sim.control("GET", "/log?since=1")[1]["entries"]], ["foo"])
        self.assertEqual(self.sim.control("POST", "/reset"), (200, {"ok": True}))
        self.assertEqual(self.sim.control("GET", "/log")[1], {"entries": [], "next": 0})
        self.assertEqual(self.sim.state()["port_types"].get("1/1/x1"), None)

    def test_faults_round_trip(self):
        status, faults = self.sim.control("POST", "/faults", {"prompt_delay_ms": 5, "fail_config_commands": 2})
        self.assertEqual((status, faults["prompt_delay_ms"], faults["fail_config_commands"]), (200, 5, 2))
        self.assertEqual(self.sim.control("GET", "/faults")[1], faults)
        self.assertEqual(self.sim.control("DELETE", "/faults")[1]["prompt_delay_ms"], 0)

    def test_bad_requests(self):
        cases = [
            (("POST", "/faults", None, b"{not json"), 400, "not JSON"),
            (("POST", "/faults", None, b"\xff"), 400, "not JSON"),
            (("POST", "/faults", {"bogus": True}), 400, "unknown fault"),
            (("POST", "/faults", {"prompt_delay_ms": "slow"}), 400, "prompt_delay_ms"),
            (("POST", "/faults", None), 400, "JSON object"),
            (("POST", "/configure", {"lines": "write memory"}), 400, "lines"),
            (("POST", "/configure", {"lines": [1]}), 400, "lines"),
            (("POST", "/configure", [1]), 400, "lines"),
            (("GET", "/log?since=x"), 400, "since"),
            (("GET", "/nothing"), 404, "no route"),
            (("PUT", "/state"), 405, "not allowed"),
        ]
        for request, status, message in cases:
            with self.subTest(request=request):
                got, reply = self.sim.control(*request)
                self.assertEqual(got, status)
                self.assertIn(message, reply["error"])

    def test_oversized_and_garbage_requests(self):
        import socket
        port = self.sim.info["control_port"]
        cases = [(b"POST /faults HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", b" 413 "),
                 (b"GARBAGE\r\n\r\n", b" 400 "),
                 (b"GET /state HTTP/1.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n", b" 431 ")]
        for raw, status in cases:
            with self.subTest(status=status), socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(raw)
                reply = sock.makefile("rb").read()
                self.assertIn(status, reply.split(b"\r\n")[0])
                json.loads(reply.split(b"\r\n\r\n", 1)[1])


if __name__ == "__main__":
    unittest.main()
