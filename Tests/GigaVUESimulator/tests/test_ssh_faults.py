"""Each fault of faults.py seen through a real SSH session, set and cleared over the control
API; and the enable password, which needs a process of its own."""

import time
import unittest

import asyncssh

from simulator import dialect
from .support import ENABLE_PASSWORD, PASSWORD
from .test_ssh import CONFIG, ENABLE, USER, SSHCase


class FaultTests(SSHCase):
    def set_faults(self, **fields):
        status, reply = self.sim.control("POST", "/faults", fields)
        self.assertEqual(status, 200, reply)
        self.addCleanup(self.sim.control, "DELETE", "/faults")

    async def test_reject_password(self):
        self.set_faults(reject_password=True)
        for method in ["password", "keyboard-interactive"]:
            with self.subTest(method=method), self.assertRaises(asyncssh.PermissionDenied):
                await self.sim.connect(preferred_auth=method)
        _, shell = await self.shell(client_keys=[self.sim.client_key])  # keys still work
        await shell.until()
        self.sim.control("DELETE", "/faults")
        _, shell = await self.shell()
        self.assertTrue((await shell.until()).endswith(USER))

    async def test_reject_public_key(self):
        self.set_faults(reject_public_key=True)
        with self.assertRaises(asyncssh.PermissionDenied):
            await self.sim.connect(client_keys=[self.sim.client_key])

    async def test_prompt_delay(self):
        self.set_faults(prompt_delay_ms=300)
        _, shell = await self.shell()
        await shell.until()
        started = time.monotonic()
        await shell.command("enable")
        self.assertGreaterEqual(time.monotonic() - started, 0.29)

    async def test_drop_after_nth_command_of_next_session_only(self):
        self.set_faults(drop_after_commands=3)
        _, shell = await self.shell()
        await shell.until()
        await shell.command("enable")
        await shell.command("configure terminal")
        shell.process.stdin.write("port 1/1/x1 type tool\r")
        with self.assertRaises(EOFError):
            await shell.until()
        self.assertEqual(self.sim.state()["port_types"].get("1/1/x1"), "tool")  # executed, not answered
        self.assertIn("dropped after command 3", [e.get("event") for e in self.log_entries()])
        shell = await self.configure_shell()  # the fault was used up
        self.assertEqual(await shell.command("write memory"), "write memory\r\n" + CONFIG)

    async def test_drop_every_session(self):
        self.set_faults(drop_after_commands=1, drop_every_session=True)
        for _ in range(2):
            _, shell = await self.shell()
            await shell.until()
            shell.process.stdin.write("enable\r")
            with self.assertRaises(EOFError):
                await shell.until()

    async def test_forced_password_change(self):
        self.set_faults(force_password_change=True)
        _, shell = await self.shell()
        self.assertTrue((await shell.until()).endswith("Admin Password: "))
        shell.process.stdin.write("n3wpass\r")
        answer = await shell.until()
        self.assertEqual(answer, "\r\n" + dialect.ERRORS["password_change"] + "\r\nAdmin Password: ")
        self.assertNotIn("n3wpass", str(self.log_entries()))

    async def test_alternate_host_key_on_the_same_port(self):
        self.set_faults(alternate_host_key=True)
        with self.assertRaises(asyncssh.HostKeyNotVerifiable):
            await self.sim.connect()
        conn = await self.sim.connect(known_hosts=None)
        self.addAsyncCleanup(self._close, conn)
        key = conn.get_server_host_key()
        self.assertEqual(key.get_fingerprint("sha256"), self.sim.info["alternate_host_key_sha256"])
        self.sim.control("DELETE", "/faults")
        _, shell = await self.shell()  # the primary key again, checked against known_hosts
        await shell.until()

    async def test_force_paging(self):
        self.sim.control("POST", "/configure", {"lines": ["port 1/1/x1..x8 type tool"] + [
            f"gigastream alias s{n} port-list 1/1/x{2 * n - 1},1/1/x{2 * n}" for n in range(1, 5)]})
        self.set_faults(force_paging=True)
        _, shell = await self.shell()
        await shell.until()
        await shell.command("enable")
        self.assertEqual(await shell.command("cli session terminal length 999"),
                         "cli session terminal length 999\r\n" + ENABLE)
        self.assertTrue((await shell.command("show running-config")).endswith("--More--"))

    async def test_refused_paging_command(self):
        self.set_faults(refuse_paging_command="terminal_length")
        _, shell = await self.shell()
        await shell.until()
        await shell.command("enable")
        self.assertEqual(await shell.command_output("cli session terminal length 999"),
                         ['% Unrecognized command "cli session terminal length 999"'])
        self.assertEqual(await shell.command_output("no cli session paging enable"), [])

    async def test_fail_next_config_commands(self):
        self.set_faults(fail_config_commands=1)
        shell = await self.configure_shell()
        self.assertEqual(await shell.command_output("port 1/1/x1 type tool"), [dialect.ERRORS["fault_config"]])
        self.assertEqual(await shell.command_output("port 1/1/x1 type tool"), [])
        self.assertEqual(self.sim.control("GET", "/faults")[1]["fail_config_commands"], 0)

    async def test_fail_write_memory(self):
        self.set_faults(fail_write_memory=True)
        shell = await self.configure_shell()
        self.assertEqual(await shell.command_output("write memory"), [dialect.ERRORS["fault_write_memory"]])
        self.assertEqual(self.sim.state()["saves"], 0)


class EnablePasswordTests(SSHCase):
    enable_password = True

    async def test_enable_asks_for_the_password_without_echo(self):
        _, shell = await self.shell()
        await shell.until()
        self.assertEqual(await shell.command("enable"), "enable\r\nPassword: ")
        self.assertEqual(await shell.command(ENABLE_PASSWORD), "\r\n" + ENABLE)
        await shell.command("exit")
        await shell.command("enable")
        self.assertEqual(await shell.command("wrong"), "\r\n% Access denied\r\n" + USER)
        log = str(self.log_entries())
        self.assertIn("<redacted>", log)
        self.assertNotIn(ENABLE_PASSWORD, log)
        self.assertNotIn("wrong", log)
        self.assertNotIn(PASSWORD, log)


if __name__ == "__main__":
    unittest.main()
