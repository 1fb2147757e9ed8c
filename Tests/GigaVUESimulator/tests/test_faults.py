"""Fault fields as the control API sets them: names, types, one-shot and counted faults."""

import unittest

from simulator.faults import Faults


class FaultsTests(unittest.TestCase):
    def test_defaults_mean_no_fault(self):
        self.assertEqual(Faults().to_json(), {
            "reject_password": False, "reject_public_key": False, "no_password_method": False, "prompt_delay_ms": 0,
            "drop_after_commands": None, "drop_every_session": False, "force_password_change": False,
            "alternate_host_key": False, "force_paging": False, "refuse_paging_command": None,
            "fail_config_commands": 0, "fail_write_memory": False, "refuse_in_place_edits": False,
            "ignore_in_place_edits": False})

    def test_update_sets_only_given_fields(self):
        faults = Faults()
        faults.update({"prompt_delay_ms": 250, "refuse_paging_command": "no_paging", "drop_after_commands": 3})
        self.assertEqual((faults.prompt_delay_ms, faults.refuse_paging_command, faults.drop_after_commands),
                         (250, "no_paging", 3))
        self.assertFalse(faults.reject_password)

    def test_bad_updates_change_nothing(self):
        for body in [None, [], "x", {"nope": 1}, {"reject_password": 1}, {"prompt_delay_ms": True},
                     {"prompt_delay_ms": -1}, {"prompt_delay_ms": 1.5}, {"prompt_delay_ms": 10**7},
                     {"drop_after_commands": 0}, {"refuse_paging_command": "all"},
                     {"prompt_delay_ms": 5, "fail_write_memory": "yes"}]:
            with self.subTest(body=body), self.assertRaises(ValueError):
                faults = Faults()
                try:
                    faults.update(body)
                finally:
                    self.assertEqual(faults, Faults())

    def test_drop_is_one_shot_unless_every_session(self):
        faults = Faults(drop_after_commands=2)
        self.assertEqual((faults.claim_drop(), faults.claim_drop()), (2, None))
        faults = Faults(drop_after_commands=2, drop_every_session=True)
        self.assertEqual((faults.claim_drop(), faults.claim_drop()), (2, 2))

    def test_config_failures_count_down(self):
        faults = Faults(fail_config_commands=2)
        self.assertEqual([faults.take_config_failure() for _ in range(3)], [True, True, False])

    def test_refuses(self):
        self.assertTrue(Faults(refuse_paging_command="both").refuses("terminal_length"))
        self.assertFalse(Faults(refuse_paging_command="no_paging").refuses("terminal_length"))
        self.assertFalse(Faults().refuses("no_paging"))


if __name__ == "__main__":
    unittest.main()
