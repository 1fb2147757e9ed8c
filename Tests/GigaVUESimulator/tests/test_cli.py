"""The interpreter, table-tested without SSH: every command in both forms, every error class,
modes and prompts, and the faults that act inside the interpreter."""

import unittest

from simulator import dialect
from simulator.cli import Interpreter, tokenize
from simulator.errors import CLIError
from simulator.terminal import Level, Terminal
from .support import make_device, plan, run_lines

USER, ENABLE, CONFIG = "gigavue-sim > ", "gigavue-sim # ", "gigavue-sim (config) # "


class Fixture(unittest.TestCase):
    def setUp(self):
        self.device = make_device()
        self.cli = Interpreter(self.device)

    def run_at(self, level: Level, lines):
        """Outputs and final terminal of `lines` typed from a terminal at `level`."""
        return run_lines(self.cli, lines, Terminal(level=level))

    def one(self, line, level=Level.CONFIG, terminal=None):
        reply = self.cli.execute(line, terminal or Terminal(level=level))
        return reply.lines, self.cli.prompt(reply.terminal)


class ModeTests(Fixture):
    def test_modes_and_prompts(self):
        cases = [  # (start level, line, prompt after)
            (Level.USER, "enable", ENABLE),
            (Level.USER, "exit", USER),
            (Level.ENABLE, "enable", ENABLE),
            (Level.ENABLE, "configure terminal", CONFIG),
            (Level.ENABLE, "disable", USER),
            (Level.ENABLE, "exit", USER),
            (Level.CONFIG, "exit", ENABLE),
            (Level.CONFIG, "end", ENABLE),
            (Level.CONFIG, "configure terminal", CONFIG),
            (Level.CONFIG, "map-passall alias sensor_map", "gigavue-sim (config map-passall sensor_map) # "),
            (Level.CONFIG, "gigastream alias sensor_stream", "gigavue-sim (config gigastream sensor_stream) # "),
            (Level.CONFIG, "port-group alias other", "gigavue-sim (config port-group other) # "),
            (Level.CONFIG, "", CONFIG),
            (Level.CONFIG, "   ", CONFIG),
        ]
        for level, line, prompt in cases:
            with self.subTest(line=line, level=level):
                self.assertEqual(self.one(line, level), ([], prompt))

    def test_session_end(self):
        for level, line in [(Level.USER, "exit"), (Level.USER, "quit"), (Level.ENABLE, "logout"), (Level.CONFIG, "quit")]:
            with self.subTest(line=line):
                self.assertTrue(self.cli.execute(line, Terminal(level=level)).close)
        self.assertFalse(self.cli.execute("exit", Terminal(level=Level.ENABLE)).close)

    def test_submode_exit_and_end(self):
        outputs, terminal = self.run_at(Level.CONFIG, ["gigastream alias g", "port-list 1/1/x1,1/1/x2"])
        self.assertEqual(outputs[1], ['% Port 1/1/x1 is not a tool port (type network)'])
        self.assertEqual(self.cli.execute("end", terminal).terminal.level, Level.ENABLE)
        self.assertEqual(self.cli.execute("exit", terminal).terminal.level, Level.CONFIG)

    def test_enable_password(self):
        self.cli = Interpreter(make_device(enable_password="en4ble"))
        reply = self.cli.execute("enable", Terminal())
        self.assertEqual((reply.lines, self.cli.prompt(reply.terminal)), ([], "Password: "))
        self.assertTrue(reply.terminal.expects_secret)
        good = self.cli.execute("en4ble", reply.terminal)
        self.assertEqual((good.lines, self.cli.prompt(good.terminal)), ([], ENABLE))
        bad = self.cli.execute("wrong", reply.terminal)
        self.assertEqual((bad.lines, self.cli.prompt(bad.terminal)), (["% Access denied"], USER))

    def test_forced_password_change_refuses_every_answer(self):
        self.device.faults.force_password_change = True
        terminal = self.cli.login()
        self.assertEqual(self.cli.prompt(terminal), "Admin Password: ")
        for answer in ["newpass", "", "enable"]:
            reply = self.cli.execute(answer, terminal)
            self.assertEqual(reply.lines, [dialect.ERRORS["password_change"]])
            self.assertEqual(self.cli.prompt(reply.terminal), "Admin Password: ")

    def test_paging_commands(self):
        _, terminal = self.run_at(Level.USER, ["cli session terminal length 999"])
        self.assertEqual(self.cli.page_length(terminal), 999)
        _, terminal = self.run_at(Level.ENABLE, ["no cli session paging enable"])
        self.assertEqual(self.cli.page_length(terminal), 0)
        _, terminal = self.run_at(Level.ENABLE, ["no cli session paging enable", "cli session paging enable"])
        self.assertEqual(self.cli.page_length(terminal), 24)
        _, terminal = self.run_at(Level.CONFIG, ["cli session terminal length 0"])
        self.assertEqual(self.cli.page_length(terminal), 0)
        self.assertEqual(self.cli.page_length(Terminal()), 24)

    def test_show_commands(self):
        lines, _ = self.one("show running-config", Level.ENABLE)
        self.assertEqual(lines[0], "##")
        self.assertIn("port-group alias net_group port-list 1/1/x45..x48", lines)
        lines, _ = self.one("show version", Level.USER)
        self.assertIn("Hostname:          gigavue-sim", lines)
        _, terminal = self.run_at(Level.CONFIG, ["map-passall alias m"])
        self.assertEqual(self.cli.execute("show running-config", terminal).terminal, terminal)


class ErrorTests(Fixture):
    """Every error class: the exact `%` line, and nothing changed."""

    CASES = [
        # (level, line, error)
        (Level.CONFIG, "foo", '% Unrecognized command "foo"'),
        (Level.CONFIG, "show foo", '% Unrecognized command "show foo"'),
        (Level.CONFIG, "no", '% Incomplete command "no"'),
        (Level.CONFIG, "no foo", '% Unrecognized command "no foo"'),
        (Level.CONFIG, "configure", '% Incomplete command "configure"'),
        (Level.CONFIG, "gigastream", '% Incomplete command "gigastream"'),
        (Level.CONFIG, "gigastream alias", '% Incomplete command "gigastream alias"'),
        (Level.CONFIG, "gigastream name g", '% Unrecognized command "gigastream name g"'),
        (Level.CONFIG, "gigastream alias g port-list", '% Incomplete command "gigastream alias g port-list"'),
        (Level.CONFIG, "gigastream alias g ports 1/1/x1", '% Unrecognized command "gigastream alias g ports 1/1/x1"'),
        (Level.CONFIG, "port 1/1/x1", '% Incomplete command "port 1/1/x1"'),
        (Level.CONFIG, "port 1/1/x1 mode tool", '% Unrecognized command "port 1/1/x1 mode tool"'),
        (Level.CONFIG, "enable extra", '% Unrecognized command "enable extra"'),
        (Level.ENABLE, "write memory now", '% Unrecognized command "write memory now"'),
        (Level.CONFIG, 'gigastream alias "a b', "% Unterminated quote in command"),
        (Level.CONFIG, "x" * 9000, "% Command line too long (more than 8192 characters)"),
        # Wrong mode.
        (Level.USER, "show running-config", '% Command "show running-config" requires enable mode: enter "enable" first'),
        (Level.USER, "configure terminal", '% Command "configure terminal" requires enable mode: enter "enable" first'),
        (Level.USER, "write memory", '% Command "write memory" requires enable mode: enter "enable" first'),
        (Level.USER, "port 1/1/x1 type tool",
         '% Command "port 1/1/x1 type tool" requires configure mode: enter "configure terminal" first'),
        (Level.ENABLE, "no gigastream alias g",
         '% Command "no gigastream alias g" requires configure mode: enter "configure terminal" first'),
        (Level.ENABLE, "end", '% Command "end" requires configure mode: enter "configure terminal" first'),
        (Level.CONFIG, "port-list 1/1/x1,1/1/x2", '% Unrecognized command "port-list 1/1/x1,1/1/x2"'),
        (Level.CONFIG, "from net_group", '% Unrecognized command "from net_group"'),
        (Level.CONFIG, "cli session terminal length x", '% Invalid terminal length "x": use 0-999'),
        (Level.CONFIG, "cli session terminal length 1000", '% Invalid terminal length "1000": use 0-999'),
        (Level.CONFIG, "cli session terminal length", '% Incomplete command "cli session terminal length"'),
        # Ports.
        (Level.CONFIG, "port 3/1/1 type tool", "% Invalid port '3/1/1': invalid port syntax"),
        (Level.CONFIG, "port 1/1/e1 type tool", "% Invalid port '1/1/e1': invalid port syntax"),
        (Level.CONFIG, "port 1/1/x1,,1/1/x2 type tool", "% Invalid port '': invalid port syntax"),
        (Level.CONFIG, "port 1/1/x4..x1 type tool", "% Invalid port '1/1/x4..x1': invalid port range"),
        (Level.CONFIG, "port 1/9/x1 type tool", "% Port 1/9/x1 does not exist"),
        (Level.CONFIG, "port 1/1/x47..x50 type tool", "% Port 1/1/x49 does not exist"),
        (Level.CONFIG, "port 1/1/x1 type bogus", '% Invalid port type "bogus": use tool, network or hybrid'),
        (Level.CONFIG, "port 1/1/x45 type tool", "% Port 1/1/x45 cannot become tool: it is used by port group net_group"),
        # Aliases.
        (Level.CONFIG, "gigastream alias a/b port-list 1/1/x1..x2",
         '% Invalid alias "a/b": use 1-128 characters, none of \\ / : , ? % " * or space'),
        (Level.CONFIG, 'gigastream alias "a b"',
         '% Invalid alias "a b": use 1-128 characters, none of \\ / : , ? % " * or space'),
        (Level.CONFIG, 'map-passall alias ""',
         '% Invalid alias "": use 1-128 characters, none of \\ / : , ? % " * or space'),
        (Level.CONFIG, "no map-passall alias " + "m" * 129,
         '% Invalid alias "' + "m" * 129 + '": use 1-128 characters, none of \\ / : , ? % " * or space'),
        (Level.CONFIG, "port-group alias p*q port-list 1/1/x40",
         '% Invalid alias "p*q": use 1-128 characters, none of \\ / : , ? % " * or space'),
        # Objects that do not exist.
        (Level.CONFIG, "no map-passall alias sensor_map", "% Map sensor_map does not exist"),
        (Level.CONFIG, "no gigastream alias sensor_stream", "% GigaStream sensor_stream does not exist"),
        (Level.CONFIG, "no port-group alias other", "% Port group other does not exist"),
        # GigaStream rules (ports 1/1/x1..x3, 1/1/q1, 1/1/x10 are tool ports, see setUp).
        (Level.CONFIG, "gigastream alias g port-list 1/1/x1", "% GigaStream g needs at least 2 ports, got 1"),
        (Level.CONFIG, "gigastream alias g port-list 1/1/x1,1/1/x1", "% GigaStream g needs at least 2 ports, got 1"),
        (Level.CONFIG, "gigastream alias g port-list 1/1/x1,1/1/q1",
         "% GigaStream g mixes port speeds: 1/1/x1 is 10G, 1/1/q1 is 40G"),
        (Level.CONFIG, "gigastream alias g port-list 1/1/x1,1/1/x4", "% Port 1/1/x4 is not a tool port (type network)"),
        (Level.CONFIG, "gigastream alias g port-list 1/1/x1,1/1/x45", "% Port 1/1/x45 is in port group net_group"),
        (Level.CONFIG, "gigastream alias g port-list 1/1/x1,1/1/x10", "% Port 1/1/x10 is already in GigaStream other_stream"),
        (Level.CONFIG, "port 1/1/x10 type network", "% Port 1/1/x10 cannot become network: it is used by GigaStream other_stream"),
        (Level.CONFIG, "no gigastream alias other_stream", "% GigaStream other_stream is in use by map other_map"),
        (Level.CONFIG, "no port-group alias net_group", "% Port group net_group is in use by map other_map"),
        (Level.CONFIG, "port-group alias p port-list 1/1/x1", "% Port 1/1/x1 is not a network or hybrid port (type tool)"),
        (Level.CONFIG, "port-group alias p port-list 1/1/x10", "% Port 1/1/x10 is already in GigaStream other_stream"),
    ]

    def setUp(self):
        super().setUp()
        outputs, _ = self.run_at(Level.CONFIG, [
            "port 1/1/x1..x3,1/1/q1,1/1/x10..x11 type tool",
            "gigastream alias other_stream port-list 1/1/x10..x11",
            "map-passall alias other_map", "from net_group", "to other_stream", "exit"])
        self.assertEqual(outputs, [[]] * 6)

    def test_each_error(self):
        for level, line, error in self.CASES:
            with self.subTest(line=line[:60]):
                before = self.device.chassis.version
                lines, _ = self.one(line, level)
                self.assertEqual(lines, [error])
                self.assertEqual(self.device.chassis.version, before)

    def test_submode_errors(self):
        cases = [  # (sub-mode entry, line, error, prompt after)
            ("map-passall alias m", "from nope", "% Port group nope does not exist", "map-passall m"),
            ("map-passall alias m", "from 1/1/x1", "% Port 1/1/x1 is not a network or hybrid port (type tool)", "map-passall m"),
            ("map-passall alias m", "from 1/1/x99", "% Port 1/1/x99 does not exist", "map-passall m"),
            ("map-passall alias m", "to nope", "% GigaStream nope does not exist", "map-passall m"),
            ("map-passall alias m", "to 1/1/x5", "% Port 1/1/x5 is not a tool port (type network)", "map-passall m"),
            ("map-passall alias m", "to 1/1/x45", "% Port 1/1/x45 is in port group net_group", "map-passall m"),
            ("map-passall alias m", "to", '% Incomplete command "to"', "map-passall m"),
            ("map-passall alias m", "to a b", '% Unrecognized command "to a b"', "map-passall m"),
            ("map-passall alias m", "exit", '% Map m needs both "from" and "to": map not created', None),
            ("map-passall alias m", "port-list 1/1/x1", '% Unrecognized command "port-list 1/1/x1"', "map-passall m"),
            ("map-passall alias m", "port 1/1/x1 type tool",
             '% Command "port 1/1/x1 type tool" is not available in this sub-mode: enter "exit" first', "map-passall m"),
            ("gigastream alias g", "exit", "% GigaStream g has no port-list: GigaStream not created", None),
            ("gigastream alias g", "port-list 1/1/x1", "% GigaStream g needs at least 2 ports, got 1", "gigastream g"),
            ("gigastream alias g", "from net_group", '% Unrecognized command "from net_group"', "gigastream g"),
            ("port-group alias p", "end", "% Port group p has no port-list: port group not created", None),
        ]
        for entry, line, error, prompt in cases:
            with self.subTest(line=line):
                _, terminal = self.run_at(Level.CONFIG, [entry])
                reply = self.cli.execute(line, terminal)
                self.assertEqual(reply.lines, [error])
                expected = f"gigavue-sim (config {prompt}) # " if prompt else None
                if expected:
                    self.assertEqual(self.cli.prompt(reply.terminal), expected)
                self.assertNotIn("m", self.device.chassis.maps)
                self.assertNotIn("g", self.device.chassis.gigastreams)

    def test_map_rechecked_on_exit(self):
        _, terminal = self.run_at(Level.CONFIG, ["gigastream alias s port-list 1/1/x1..x2", "map-passall alias m",
                                                 "from net_group", "to s"])
        self.device.chassis.delete_gigastream("s")  # another session removes it meanwhile
        self.assertEqual(self.cli.execute("exit", terminal).lines, ["% GigaStream s does not exist"])
        self.assertNotIn("m", self.device.chassis.maps)


class PlanTests(Fixture):
    """gigavue-cli.md "The reconfiguration plan", one-line and sub-mode forms."""

    def ports(self, count):
        return [f"1/1/x{n}" for n in range(1, count + 1)]

    def check(self, count):
        chassis = self.device.chassis
        if count == 0:
            self.assertEqual((chassis.maps, chassis.gigastreams), ({}, {}))
        elif count == 1:
            self.assertEqual([p.name for p in chassis.maps["sensor_map"].target.ports], ["1/1/x1"])
            self.assertEqual(chassis.gigastreams, {})
        else:
            self.assertEqual([p.name for p in chassis.gigastreams["sensor_stream"]], self.ports(count))
            self.assertEqual(chassis.maps["sensor_map"].target.alias, "sensor_stream")
        if count:
            self.assertEqual(chassis.maps["sensor_map"].source.alias, "net_group")

    def test_one_line_form_for_each_size(self):
        saves = 0
        for count in [2, 40, 1, 0, 2]:
            with self.subTest(count=count):
                outputs, terminal = self.run_at(Level.CONFIG, plan(self.ports(count)))
                deletions, rest = outputs[:2], outputs[2:]
                self.assertTrue(all(out == [] for out in rest), rest)
                self.assertTrue(all(len(out) <= 1 for out in deletions))
                self.assertEqual(terminal.level, Level.CONFIG)
                saves += 1
                self.assertEqual(self.device.chassis.saves, saves)
                self.check(count)

    def test_submode_form(self):
        lines = ["no map-passall alias sensor_map", "no gigastream alias sensor_stream",
                 "port 1/1/x1,1/1/x2,1/1/x3 type tool", "gigastream alias sensor_stream",
                 "port-list 1/1/x1,1/1/x2,1/1/x3", "exit", "map-passall alias sensor_map", "from net_group",
                 "to sensor_stream", "exit", "write memory"]
        outputs, _ = self.run_at(Level.CONFIG, lines)
        self.assertEqual(outputs[2:], [[]] * 9)
        self.check(3)
        lines, _ = self.one("show running-config")
        self.assertIn("gigastream alias sensor_stream port-list 1/1/x1..x3", lines)
        block = lines[lines.index("map-passall alias sensor_map"):][:4]
        self.assertEqual(block, ["map-passall alias sensor_map", "  from net_group", "  to sensor_stream", "  exit"])

    def test_existing_map_is_edited(self):
        self.run_at(Level.CONFIG, plan(self.ports(2)))
        outputs, _ = self.run_at(Level.CONFIG, ["port 1/1/x40 type tool", "map-passall alias sensor_map",
                                                "to 1/1/x40", "exit"])
        self.assertEqual(outputs, [[]] * 4)
        self.assertEqual(self.device.chassis.maps["sensor_map"].source.alias, "net_group")
        self.assertEqual(self.cli.execute("no gigastream alias sensor_stream", Terminal(level=Level.CONFIG)).lines, [])


class FaultTests(Fixture):
    def test_fail_config_commands_counts_down(self):
        self.device.faults.fail_config_commands = 2
        outputs, _ = self.run_at(Level.CONFIG, ["show running-config", "port 1/1/x1 type tool",
                                                "map-passall alias m", "port 1/1/x1 type tool"])
        self.assertEqual(outputs[1:], [[dialect.ERRORS["fault_config"]]] * 2 + [[]])
        self.assertEqual(self.device.faults.fail_config_commands, 0)

    def test_fail_config_covers_submode_lines(self):
        _, terminal = self.run_at(Level.CONFIG, ["map-passall alias m"])
        self.device.faults.fail_config_commands = 1
        self.assertEqual(self.cli.execute("from net_group", terminal).lines, [dialect.ERRORS["fault_config"]])
        self.assertEqual(self.cli.execute("exit", terminal).terminal.level, Level.CONFIG)

    def test_fail_write_memory(self):
        self.device.faults.fail_write_memory = True
        self.assertEqual(self.one("write memory")[0], [dialect.ERRORS["fault_write_memory"]])
        self.assertEqual(self.device.chassis.saves, 0)

    def test_refused_paging_commands(self):
        self.device.faults.refuse_paging_command = "terminal_length"
        self.assertEqual(self.one("cli session terminal length 999", Level.ENABLE)[0],
                         ['% Unrecognized command "cli session terminal length 999"'])
        self.assertEqual(self.one("no cli session paging enable", Level.ENABLE)[0], [])
        self.device.faults.refuse_paging_command = "both"
        self.assertEqual(self.one("no cli session paging enable", Level.ENABLE)[0],
                         ['% Unrecognized command "no cli session paging enable"'])

    def test_forced_paging(self):
        self.device.faults.force_paging = True
        _, terminal = self.run_at(Level.ENABLE, ["cli session terminal length 999", "no cli session paging enable"])
        self.assertEqual(self.cli.page_length(terminal), dialect.PAGE_LENGTH)

    def test_operator_interpreter_ignores_faults(self):
        self.device.faults.fail_config_commands = 1
        operator = Interpreter(self.device, inject_faults=False)
        self.assertEqual(operator.execute("port 1/1/x1 type tool", Terminal(level=Level.CONFIG)).lines, [])
        self.assertEqual(self.device.faults.fail_config_commands, 1)


class TokenizeTests(unittest.TestCase):
    def test_words_and_quotes(self):
        self.assertEqual(tokenize("  a  b\tc "), ["a", "b", "c"])
        self.assertEqual(tokenize('alias "a b" x'), ["alias", "a b", "x"])
        self.assertEqual(tokenize('alias ""'), ["alias", ""])
        with self.assertRaises(CLIError):
            tokenize('"open')


if __name__ == "__main__":
    unittest.main()
