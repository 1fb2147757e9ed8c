#!/usr/bin/env python3
"""`make demo`: Troxileia end to end on this machine, against local stand-ins.

Starts the Kubernetes API stand-in (seeded with four nodes and two sensor pods), the GigaVUE-OS
simulator (an SSH server) and `troxileia run` (Tests/EndToEnd/lab.py starts them), then plays a
short scenario with readable output: a malformed label denied by the webhook, a duplicate port
denied, a node labelled sensor and the tap reconfigured (with the commands the simulator received),
a sensor pod failing past its timeout and its port removed, then restored. Everything runs on
127.0.0.1 and stops at the end.
"""
import argparse, json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Tests", "EndToEnd"))
import lab as lab_module  # noqa: E402
from lab import Lab, node, pod, rfc3339  # noqa: E402

POD_TIMEOUT = "6s"


def say(text=""):
    print(text, flush=True)


def step(title):
    say()
    say(f"\033[1m== {title}\033[0m" if sys.stdout.isatty() else f"== {title}")


def label(lab, node_name, labels):
    say(f"$ kubectl label node {node_name} " + " ".join(f"{k}={v}" for k, v in labels.items()) + " --overwrite")
    status, answer = lab.label(node_name, labels)
    say(f"node/{node_name} labeled" if status == 200
        else f"Error from server ({answer.get('reason', status)}): {answer.get('message', answer)}")


def show_tap(lab, since):
    say("  the tap received:")
    for line in lab.tap_lines(since):
        say(f"    {line}")
    say(f"  the tap now sends traffic to: {', '.join(lab.tap_ports()) or 'no port'}")


def scenario(lab):
    step("Starting the GigaVUE simulator, the Kubernetes API stand-in and troxileia")
    lab.start_simulator()
    say(f"  GigaVUE simulator: SSH on 127.0.0.1:{lab.simulator_info['ssh_port']}, host key {lab.simulator_info['host_key_sha256']}")
    lab.start_standin()
    say(f"  Kubernetes API stand-in: http://127.0.0.1:{lab.api_port} (nodes node-a..node-d, sensor pods on node-a and node-b)")
    replica = lab.start_troxileia("--pod-not-ready-timeout", POD_TIMEOUT, "--debounce", "500ms")
    say(f"  troxileia run: webhook https://127.0.0.1:{lab.webhook_port}/validate, probes http://127.0.0.1:{replica['probe_port']}")
    lab.wait_for("the first push", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"])
    say(f"  first push done: the tap sends to {', '.join(lab.tap_ports())} (node-a, node-b)")

    step("1. A malformed port label is denied by the webhook")
    label(lab, "node-c", {"port": "1/1/x3"})

    step("2. A tap port already held by another node is denied")
    label(lab, "node-c", {"port": "1_1_x1"})

    step("3. node-c becomes a sensor: the tap is reconfigured")
    mark = lab.log_mark()
    label(lab, "node-c", {"sensor": "true", "port": "1_1_x3"})
    lab.wait_for("1/1/x3 on the tap", lambda: "1/1/x3" in lab.tap_ports())
    show_tap(lab, mark)

    step(f"4. The sensor pod on node-b stops being Ready for longer than {POD_TIMEOUT}: its port is taken out")
    mark = lab.log_mark()
    lab.set_pod_ready("sensor-b", False)
    say(f"  sensor-b (on node-b) not Ready since {rfc3339()}; waiting for the timeout …")
    lab.wait_for("1/1/x2 to leave the tap", lambda: "1/1/x2" not in lab.tap_ports(), timeout=90)
    show_tap(lab, mark)

    step("5. The pod is Ready again: node-b's port is restored")
    mark = lab.log_mark()
    lab.set_pod_ready("sensor-b", True)
    lab.wait_for("1/1/x2 back on the tap", lambda: "1/1/x2" in lab.tap_ports(), timeout=60)
    show_tap(lab, mark)

    step("Events recorded by troxileia")
    for event in lab.events("default") + lab.events("troxileia"):
        say(f"  {event.get('type', ''):8} {event.get('reason', ''):16} {event.get('regarding', {}).get('name', ''):17} "
            f"{event.get('note', '')}")
    status = lab.api("GET", "/api/v1/namespaces/troxileia/configmaps/troxileia-status")[1]
    say("  status ConfigMap troxileia-status: " + json.dumps(status.get("data", {})))
    say()
    say("Demo done: stopping everything.")


def demo_lab(lab_class=Lab, **kwargs):
    """The demo's cluster: four nodes (node-a and node-b sensors) and sensor pods on node-a and node-b.
    `make dashboard-check` plays the same scenario on a `Lab` subclass that Prometheus scrapes."""
    return lab_class([node("node-a", {"sensor": "true", "port": "1_1_x1"}), node("node-b", {"sensor": "true", "port": "1_1_x2"}),
                      node("node-c"), node("node-d")],
                     [pod("sensor-a", "node-a"), pod("sensor-b", "node-b")], **kwargs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", help="folder with troxileia and troxileia-standin (default .build/debug)")
    parser.add_argument("--keep-logs", action="store_true", help="keep the lab folder with every process's log")
    args = parser.parse_args()
    if args.bin:
        lab_module.BIN = os.path.abspath(args.bin)
    lab = demo_lab(keep=args.keep_logs)
    try:
        scenario(lab)
    except Exception as error:  # a readable line, then the logs are kept for a look
        lab.keep = True
        say(f"demo failed: {error}")
        sys.exit(1)
    finally:
        lab.stop()
        if lab.keep:
            say(f"logs: {lab.work}")


if __name__ == "__main__":
    main()
