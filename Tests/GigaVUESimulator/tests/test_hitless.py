"""Issue 15 in the simulator: `show port`, the traffic timeline of `GET /traffic`, and the fault
`refuse_in_place_edits`."""

import unittest

from simulator.cli import Interpreter
from simulator.control import ControlServer
from simulator.terminal import Level, Terminal
from .support import make_device, plan, run_lines


class Clock:
    """A clock the test moves: one second per tick."""

    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        self.now += 1.0
        return self.now


class HitlessTests(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.device = make_device(clock=self.clock)
        self.cli = Interpreter(self.device)

    def run_config(self, lines):
        outputs, _ = run_lines(self.cli, lines, Terminal(level=Level.CONFIG, paging=False))
        return outputs

    def traffic(self):
        return ControlServer(self.device, {}).route("GET", "/traffic", b"")["ports"]

    def test_show_port_lists_every_port_with_its_type(self):
        self.run_config(["port 1/1/x1 type tool"])
        [lines] = self.run_config(["show port"])
        rows = [line for line in lines if line[:1].isdigit()]
        self.assertEqual(len(rows), len(self.device.chassis.ports))
        self.assertTrue(lines[0].startswith("===") and lines[2].startswith("---"))
        self.assertIn("1/1/x1    tool", "\n".join(rows))
        self.assertIn("1/1/x45   network", "\n".join(rows))

    def test_show_port_of_a_missing_port_answers_with_the_device_error(self):
        [lines] = self.run_config(["show port port-list 1/3/x1"])
        self.assertEqual(lines, ["% Port 1/3/x1 does not exist"])
        [lines] = self.run_config(["show port port-list 1/1/x1"])
        self.assertEqual(len([line for line in lines if line.startswith("1/1/x1 ")]), 1)

    def test_the_rebuild_darkens_retained_ports_and_in_place_does_not(self):
        self.run_config(plan(["1/1/x1", "1/1/x2"]))
        self.assertEqual(set(self.traffic()), {"1/1/x1", "1/1/x2"})
        # In place: add 1/1/x3 to the live GigaStream; 1/1/x1 and 1/1/x2 never stop.
        self.run_config(["port 1/1/x3 type tool", "gigastream alias sensor_stream port-list 1/1/x1..x3"])
        traffic = self.traffic()
        self.assertEqual([len(traffic[p]) for p in ("1/1/x1", "1/1/x2", "1/1/x3")], [1, 1, 1])
        self.assertIsNone(traffic["1/1/x1"][0][1])
        # Rebuild: every port goes dark between the map's deletion and its exit.
        self.run_config(plan(["1/1/x1", "1/1/x2", "1/1/x3"]))
        spans = self.traffic()["1/1/x1"]
        self.assertEqual(len(spans), 2)
        self.assertGreater(spans[1][0], spans[0][1])

    def test_a_map_from_another_group_carries_no_source_traffic(self):
        self.run_config(["port 1/1/x1 type tool", "port-group alias other port-list 1/1/x40",
                         "map-passall alias m", "from other", "to 1/1/x1", "exit"])
        self.assertEqual(self.traffic(), {})

    def test_refuse_in_place_edits(self):
        self.run_config(plan(["1/1/x1", "1/1/x2"]))
        self.device.faults.update({"refuse_in_place_edits": True})
        outputs = self.run_config(["gigastream alias sensor_stream port-list 1/1/x1,1/1/x2,1/1/x3",
                                   "map-passall alias sensor_map", "to 1/1/x1", "exit"])
        self.assertEqual(outputs[0], ["% GigaStream sensor_stream is in use: delete it before changing it"])
        self.assertEqual(outputs[3], ["% Map sensor_map is in use: delete it before changing it"])
        self.assertEqual(self.device.chassis.gigastreams["sensor_stream"][-1].name, "1/1/x2")
        # Delete and create still works.
        outputs = self.run_config(plan(["1/1/x1", "1/1/x2", "1/1/x3"]))
        self.assertFalse(any(line.startswith("%") for out in outputs[2:] for line in out))

    def test_ignore_in_place_edits(self):
        self.run_config(plan(["1/1/x1", "1/1/x2"]))
        self.device.faults.update({"ignore_in_place_edits": True})
        outputs = self.run_config(["port 1/1/x3 type tool", "gigastream alias sensor_stream port-list 1/1/x1..x3"])
        self.assertEqual(outputs, [[], []])
        self.assertEqual([p.name for p in self.device.chassis.gigastreams["sensor_stream"]], ["1/1/x1", "1/1/x2"])

    def test_reset_clears_the_timeline(self):
        self.run_config(plan(["1/1/x1"]))
        self.device.reset()
        self.assertEqual(self.traffic(), {})


if __name__ == "__main__":
    unittest.main()
