"""Port grammar, ranges in both directions: the driver must read what the simulator writes."""

import unittest

from simulator.ports import Port, PortSyntaxError, format_list, parse_list, parse_port


class ParsePortTests(unittest.TestCase):
    def test_accepts_the_grammar(self):
        cases = {
            "1/1/x1": Port(1, 1, "x", 1),
            "255/32/c128": Port(255, 32, "c", 128),
            "11/2/g7": Port(11, 2, "g", 7),
            "1/1/q1x4": Port(1, 1, "q", 1, 4),
            "2/1/c1x1": Port(2, 1, "c", 1, 1),
        }
        for text, port in cases.items():
            with self.subTest(text):
                self.assertEqual(parse_port(text), port)
                self.assertEqual(parse_port(text).name, text)

    def test_rejects_everything_else(self):
        for text in ["", "3/1/1", "1_1_x1", "1/1/X1", "01/1/x1", "1/01/x1", "1/1/x01", "0/1/x1", "256/1/x1",
                     "1/33/x1", "1/1/x129", "1/1/e1", "1/1/z1", "1/1/x1x1", "1/1/q1x5", "1/1/q1x0", "1/1/x",
                     "1/1", "1/1/x1/1", " 1/1/x1", "1/1/x1 ", "1/1/x1..x2"]:
            with self.subTest(text), self.assertRaises(PortSyntaxError) as caught:
                parse_port(text)
            self.assertEqual(caught.exception.element, text)

    def test_speeds(self):
        self.assertEqual([parse_port(p).speed for p in ["1/1/g1", "1/1/x1", "1/1/q1", "1/1/c1", "1/1/q1x1", "1/1/c1x1"]],
                         [1, 10, 40, 100, 10, 25])


class ParseListTests(unittest.TestCase):
    def names(self, text):
        return [port.name for port in parse_list(text)]

    def test_ranges_expand(self):
        self.assertEqual(self.names("1/1/x1..x4"), ["1/1/x1", "1/1/x2", "1/1/x3", "1/1/x4"])
        self.assertEqual(self.names("1/1/x1..1/1/x2"), ["1/1/x1", "1/1/x2"])
        self.assertEqual(self.names("1/1/q1x1..q1x3"), ["1/1/q1x1", "1/1/q1x2", "1/1/q1x3"])
        self.assertEqual(self.names("1/1/x3..x3"), ["1/1/x3"])

    def test_sorted_unique_in_device_order(self):
        self.assertEqual(self.names("1/2/x1,1/1/c1,1/1/x2,1/1/g9,1/1/x2,1/1/q1"),
                         ["1/1/g9", "1/1/x2", "1/1/q1", "1/1/c1", "1/2/x1"])

    def test_bad_elements_are_named(self):
        cases = {"1/1/x1,,1/1/x2": ("", "syntax"), "1/1/x1,": ("", "syntax"), "1/1/x4..x1": ("1/1/x4..x1", "range"),
                 "1/1/x1..q4": ("1/1/x1..q4", "range"), "1/1/x1..1/2/x4": ("1/1/x1..1/2/x4", "range"),
                 "1/1/q1x1..q2x1": ("1/1/q1x1..q2x1", "range"), "1/1/x1..": ("1/1/x1..", "range"),
                 "1/1/x1..x2..x3": ("1/1/x1..x2..x3", "range"), "1/1/x1..x200": ("1/1/x1..x200", "syntax"),
                 "3/1/1": ("3/1/1", "syntax"), "1/1/x1 ,1/1/x2": ("1/1/x1 ", "syntax")}
        for text, (element, kind) in cases.items():
            with self.subTest(text), self.assertRaises(PortSyntaxError) as caught:
                parse_list(text)
            self.assertEqual((caught.exception.element, caught.exception.kind), (element, kind))

    def test_runaway_list_is_capped(self):
        with self.assertRaises(PortSyntaxError):
            parse_list(",".join(f"{box}/1/x1..x128" for box in range(1, 40)))


class FormatListTests(unittest.TestCase):
    def test_writes_runs_as_ranges(self):
        cases = {
            "1/1/x1": "1/1/x1",
            "1/1/x1,1/1/x2": "1/1/x1..x2",
            "1/1/x1,1/1/x2,1/1/x3,1/1/x4,1/1/x7,1/2/x1,1/2/x2": "1/1/x1..x4,1/1/x7,1/2/x1..x2",
            "1/1/x9,1/1/x10,1/1/q1,1/1/q2": "1/1/x9..x10,1/1/q1..q2",
            "1/1/q1x1,1/1/q1x2,1/1/q1,1/1/q2x1": "1/1/q1,1/1/q1x1..q1x2,1/1/q2x1",
        }
        for text, written in cases.items():
            with self.subTest(text):
                self.assertEqual(format_list(parse_list(text)), written)

    def test_minimum_run_length(self):
        self.assertEqual(format_list(parse_list("1/1/x1..x2,1/1/x5..x7"), min_run=3), "1/1/x1,1/1/x2,1/1/x5..x7")

    def test_round_trip(self):
        for text in ["1/1/x1..x48", "1/1/x1,1/1/x3,1/1/x5", "1/1/x1..x40,1/2/x1..x24,1/1/c1..c2", "1/1/q1x1..q1x4"]:
            with self.subTest(text):
                ports = parse_list(text)
                self.assertEqual(parse_list(format_list(ports)), ports)


if __name__ == "__main__":
    unittest.main()
