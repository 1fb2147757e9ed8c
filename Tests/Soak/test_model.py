"""The soak's own desired-set computation (model.py), which the replicas are judged against."""
import sys, os, unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import desired, pending_pod_deadline, pod_blocks  # noqa: E402


def node(name, sensor="true", port=None, exclude=None):
    labels = {"sensor": sensor, **({"port": port} if port else {})}
    annotations = {"troxileia.io/exclude": exclude} if exclude else {}
    return {"metadata": {"name": name, "labels": labels, "annotations": annotations}}


def pod(node_name, ready, since="2026-12-07T10:00:00Z"):
    return {"metadata": {"creationTimestamp": "2026-12-07T09:00:00Z"}, "spec": {"nodeName": node_name},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": ready, "lastTransitionTime": since}]}}


SINCE = 1_796_637_600.0  # 2026-12-07T10:00:00Z


class DesiredSetTests(unittest.TestCase):
    def test_valid_unique_sensors_are_wanted(self):
        wanted, forbidden = desired([node("a", port="1_1_x1"), node("b", port="1_1_x2"), node("c", "false", "1_1_x3")],
                                    [], SINCE, 4)
        self.assertEqual(wanted, ["1/1/x1", "1/1/x2"])
        self.assertEqual(forbidden, set())

    def test_duplicates_malformed_and_excluded_are_left_out_and_forbidden(self):
        nodes = [node("a", port="1_1_x1"), node("b", "false", port="1_1_x1"), node("c", port="1/1/x3"),
                 node("d", port="1_1_x4", exclude="true"), node("e", port="1_1_x5")]
        wanted, forbidden = desired(nodes, [], SINCE, 4)
        self.assertEqual(wanted, ["1/1/x5"])
        self.assertEqual(forbidden, {"1/1/x1", "1/1/x4"})

    def test_a_pod_not_ready_past_its_timeout_leaves_its_node_out(self):
        nodes, pods = [node("a", port="1_1_x1")], [pod("a", "False")]
        self.assertEqual(desired(nodes, pods, SINCE + 3, 4)[0], ["1/1/x1"])
        self.assertEqual(desired(nodes, pods, SINCE + 5, 4)[0], [])
        self.assertFalse(pod_blocks(pod("a", "True"), SINCE + 100, 4))
        self.assertEqual(pending_pod_deadline(pods, SINCE + 1, 4), SINCE + 4)

    def test_ports_sort_like_the_tap(self):
        wanted, _ = desired([node("a", port="1_1_x10"), node("b", port="1_1_x9"), node("c", port="1_1_x20")], [], SINCE, 4)
        self.assertEqual(wanted, ["1/1/x9", "1/1/x10", "1/1/x20"])


if __name__ == "__main__":
    unittest.main()
