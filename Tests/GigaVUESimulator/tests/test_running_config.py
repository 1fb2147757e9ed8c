"""`show running-config` text: the exact layout the Swift parser reads (RunningConfig.swift)."""

import unittest

from simulator import running_config
from simulator.cli import Interpreter
from simulator.terminal import Level, Terminal
from .support import make_device, run_lines

EXPECTED = """\
##
## Running database "initial"
## Generated at 2023/11/14 22:13:20 +0000
## Hostname: gigavue-sim
##

##
## Chassis level configurations
##
chassis box-id 1 serial-num SIM0001 type hc2

##
## Port configurations
##
port 1/1/x1..x4 type tool
port 1/1/x7 type tool
port 1/1/x9 type hybrid
port 1/1/x45..x48 type network
port 1/1/q1..q2 type tool
port 1/2/x1..x2 type tool

##
## Port-group configurations
##
port-group alias net_group port-list 1/1/x45..x48
port-group alias other_group port-list 1/1/x9

##
## Gigastream configurations
##
gigastream alias a_stream port-list 1/1/q1..q2
gigastream alias sensor_stream port-list 1/1/x1..x2,1/1/x7,1/2/x1..x2

##
## Map configurations
##
map-passall alias backup_map
  from 1/1/x9
  to 1/1/x3..x4
  exit
map-passall alias sensor_map
  from net_group
  to sensor_stream
  exit"""


class RunningConfigTests(unittest.TestCase):
    def test_initial_state(self):
        lines = running_config.render(make_device().chassis, "gigavue-sim", 1_700_000_000)
        self.assertEqual(lines[-5:], ["", "##", "## Port-group configurations", "##",
                                      "port-group alias net_group port-list 1/1/x45..x48"])
        self.assertNotIn("## Gigastream configurations", lines)
        self.assertNotIn("## Map configurations", lines)

    def test_full_layout(self):
        device = make_device()
        outputs, _ = run_lines(Interpreter(device), [
            "port 1/1/x1..x4,1/1/x7,1/2/x1..x2,1/1/q1,1/1/q2 type tool",
            "port 1/1/x9 type hybrid",
            "port-group alias other_group port-list 1/1/x9",
            "gigastream alias sensor_stream port-list 1/2/x2,1/1/x7,1/1/x1..x2,1/2/x1",
            "gigastream alias a_stream port-list 1/1/q1..q2",
            "map-passall alias sensor_map", "from net_group", "to sensor_stream", "exit",
            "map-passall alias backup_map", "to 1/1/x3,1/1/x4", "from 1/1/x9", "exit",
        ], Terminal(level=Level.CONFIG))
        self.assertEqual([out for out in outputs if out], [])
        self.assertEqual("\n".join(running_config.render(device.chassis, "gigavue-sim", 1_700_000_000)), EXPECTED)

    def test_boxes_and_breakouts(self):
        from simulator.device import Device, Setup
        from simulator.ports import parse_list
        device = Device(Setup("tap1", frozenset(parse_list("11/1/x1..x4,12/1/q1x1..q1x4")), "g",
                              tuple(parse_list("11/1/x1"))))
        run_lines(Interpreter(device), ["port 12/1/q1x1..q1x4 type tool",
                                        "gigastream alias s port-list 12/1/q1x1,12/1/q1x2,12/1/q1x4"],
                  Terminal(level=Level.CONFIG))
        lines = running_config.render(device.chassis, "tap1", 0)
        self.assertIn("chassis box-id 11 serial-num SIM0011 type hc2", lines)
        self.assertIn("chassis box-id 12 serial-num SIM0012 type hc2", lines)
        self.assertIn("port 12/1/q1x1..q1x4 type tool", lines)
        self.assertIn("gigastream alias s port-list 12/1/q1x1..q1x2,12/1/q1x4", lines)


if __name__ == "__main__":
    unittest.main()
