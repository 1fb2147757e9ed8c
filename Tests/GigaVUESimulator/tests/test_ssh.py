"""Real SSH sessions against the simulator process, with asyncssh's client on loopback:
logins, prompts and echo, the full plan, state across sessions, paging."""

import re
import unittest

import asyncssh

from simulator.ports import parse_list
from .support import Shell, SimulatorProcess, plan

USER, ENABLE, CONFIG = "gigavue-sim > ", "gigavue-sim # ", "gigavue-sim (config) # "


class SSHCase(unittest.IsolatedAsyncioTestCase):
    """One simulator process per class, reset before each test."""

    extra: tuple = ()
    enable_password = False

    @classmethod
    def setUpClass(cls):
        cls.sim = SimulatorProcess(*cls.extra, enable_password=cls.enable_password)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def setUp(self):
        self.assertEqual(self.sim.control("POST", "/reset")[0], 200)

    async def shell(self, **options) -> tuple[asyncssh.SSHClientConnection, Shell]:
        conn = await self.sim.connect(**options)
        self.addAsyncCleanup(self._close, conn)
        shell = await Shell.open(conn)
        return conn, shell

    @staticmethod
    async def _close(conn):
        conn.close()
        await conn.wait_closed()

    async def configure_shell(self) -> Shell:
        """A shell in configure mode with paging off, as the driver sets it up."""
        _, shell = await self.shell()
        await shell.until()
        for line in ["enable", "cli session terminal length 999", "configure terminal"]:
            await shell.command(line)
        return shell

    def log_entries(self):
        return self.sim.control("GET", "/log")[1]["entries"]


class LoginTests(SSHCase):
    async def test_password_login_shows_banner_then_user_prompt(self):
        _, shell = await self.shell()
        text = await shell.until()
        self.assertIn("GigaVUE-OS", text)
        self.assertTrue(text.endswith("\r\n" + USER))
        self.assertEqual(await shell.command("enable"), "enable\r\n" + ENABLE)
        self.assertEqual(await shell.command("configure terminal"), "configure terminal\r\n" + CONFIG)
        self.assertEqual(await shell.command("exit"), "exit\r\n" + ENABLE)
        self.assertEqual(await shell.command("exit"), "exit\r\n" + USER)

    async def test_public_key_login(self):
        _, shell = await self.shell(client_keys=[self.sim.client_key])
        self.assertTrue((await shell.until()).endswith(USER))
        login = self.log_entries()[0]
        self.assertIn("method=publickey", login["event"])
        self.assertEqual((login["line"], login["output"]), (None, []))
        self.assertRegex(login["session"], r"^s\d+$")

    async def test_keyboard_interactive_login(self):
        _, shell = await self.shell(preferred_auth="keyboard-interactive")
        self.assertTrue((await shell.until()).endswith(USER))
        self.assertIn("method=keyboard-interactive", self.log_entries()[0]["event"])

    async def test_wrong_password_and_unknown_user_are_refused(self):
        for options in [{"password": "nope"}, {"username": "root"}]:
            with self.subTest(options=options), self.assertRaises(asyncssh.PermissionDenied):
                await self.sim.connect(preferred_auth="password,keyboard-interactive", **options)

    async def test_unknown_key_is_refused(self):
        with self.assertRaises(asyncssh.PermissionDenied):
            await self.sim.connect(client_keys=[asyncssh.generate_private_key("ssh-ed25519")])

    async def test_exec_channel_is_refused(self):
        conn = await self.sim.connect()
        self.addAsyncCleanup(self._close, conn)
        result = await conn.run("show running-config", timeout=5)
        self.assertIn("not supported", result.stdout)

    async def test_line_endings_and_backspace(self):
        _, shell = await self.shell()
        await shell.until()
        self.assertEqual(await shell.command("enable", end="\n"), "enable\r\n" + ENABLE)
        self.assertEqual(await shell.command("configure terminal", end="\r\n"), "configure terminal\r\n" + CONFIG)
        text = await shell.command("exix\x7ft")
        self.assertEqual(text, "exix\b \bt\r\n" + ENABLE)
        self.assertEqual(self.log_entries()[-1]["line"], "exit")


class PlanTests(SSHCase):
    def gigastream_ports(self, lines):
        for line in lines:
            match = re.fullmatch(r"gigastream alias sensor_stream port-list (\S+)", line)
            if match:
                return [port.name for port in parse_list(match.group(1))]
        return []

    async def test_full_plan_for_0_1_2_40_ports(self):
        shell = await self.configure_shell()
        saves = 0
        for count in [2, 0, 40, 1, 2]:
            ports = [f"1/1/x{n}" for n in range(1, count + 1)]
            with self.subTest(count=count):
                for line in plan(ports):
                    output = await shell.command_output(line)
                    if not line.startswith("no "):
                        self.assertEqual(output, [], line)
                saves += 1
                state = self.sim.state()
                self.assertEqual(state["saves"], saves)
                self.assertFalse(state["unsaved_changes"])
                config = await shell.command_output("show running-config")
                self.assertEqual(self.gigastream_ports(config), ports if count >= 2 else [])
                if count == 40:  # written as a range, which the driver must read
                    self.assertIn("gigastream alias sensor_stream port-list 1/1/x1..x40", config)
                if count == 0:
                    self.assertEqual(state["maps"], {})
                else:
                    self.assertEqual(state["maps"]["sensor_map"]["to_ports"], ports)
                    self.assertEqual(state["maps"]["sensor_map"]["from"], "net_group")
                    self.assertIn("map-passall alias sensor_map", config)

    async def test_state_lives_across_sessions(self):
        shell = await self.configure_shell()
        for line in plan(["1/1/x1", "1/1/x2"]):
            await shell.command(line)
        other = await self.configure_shell()
        self.assertIn("gigastream alias sensor_stream port-list 1/1/x1..x2",
                      await other.command_output("show running-config"))
        self.assertEqual(self.sim.state()["sessions"]["active"], 2)

    async def test_errors_come_back_with_the_prompt(self):
        shell = await self.configure_shell()
        self.assertEqual(await shell.command("port 3/1/1 type tool"),
                         "port 3/1/1 type tool\r\n% Invalid port '3/1/1': invalid port syntax\r\n" + CONFIG)
        log = self.log_entries()
        self.assertEqual((log[-1]["mode"], log[-1]["output"]), ("config", ["% Invalid port '3/1/1': invalid port syntax"]))


class PagingTests(SSHCase):
    def setUp(self):
        super().setUp()
        status, reply = self.sim.control("POST", "/configure", {"lines": plan(["1/1/x1", "1/1/x2"])})
        self.assertEqual((status, reply["errors"]), (200, 2))  # the two deletions of absent objects

    async def enabled_shell(self) -> Shell:
        _, shell = await self.shell()
        await shell.until()
        await shell.command("enable")
        return shell

    def expected(self):
        return self.sim.state()["running_config"].split("\n")

    async def test_space_pages_through(self):
        shell = await self.enabled_shell()
        expected = self.expected()
        self.assertGreater(len(expected), 24)
        first = await shell.command("show running-config")
        self.assertTrue(first.endswith("\r\n--More--"))
        lines = first.split("\r\n")[1:-1]
        self.assertEqual(len(lines), 23)
        shell.process.stdin.write(" ")
        rest = await shell.until()
        self.assertTrue(rest.startswith("\r        \r"))
        self.assertTrue(rest.endswith("\r\n" + ENABLE))
        lines += rest[len("\r        \r"):].split("\r\n")[:-1]
        self.assertEqual(lines[:4], expected[:4])
        self.assertEqual(lines[5:], expected[5:])  # line 4 holds the time

    async def test_q_stops_and_return_shows_one_line(self):
        shell = await self.enabled_shell()
        await shell.command("show running-config")
        shell.process.stdin.write("\r")
        one = await shell.until()
        self.assertEqual(len(one.split("\r\n")), 2)
        self.assertTrue(one.endswith("--More--"))
        shell.process.stdin.write("q")
        self.assertEqual(await shell.until(), "\r        \r" + ENABLE)

    async def test_paging_off_commands(self):
        for command in ["cli session terminal length 999", "no cli session paging enable"]:
            with self.subTest(command=command):
                shell = await self.enabled_shell()
                self.assertEqual(await shell.command(command), command + "\r\n" + ENABLE)
                self.assertNotIn("--More--", await shell.command("show running-config"))


if __name__ == "__main__":
    unittest.main()
