#!/usr/bin/env python3
"""`make demo`: Troxileia end to end on this machine, against local stand-ins.

Starts the Kubernetes API stand-in (seeded with four nodes and two sensor pods), the GigaVUE-OS
simulator (an SSH server) and `troxileia run`, then plays a short scenario with readable output:
a malformed label denied by the webhook, a duplicate port denied, a node labelled sensor and the
tap reconfigured (with the commands the simulator received), a sensor pod failing past its
timeout and its port removed, then restored. Everything runs on 127.0.0.1 and stops at the end.

Usage: python3 demo/demo.py --bin .build/debug [--keep-logs]
"""
import argparse, datetime, json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request, urllib.error

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POD_TIMEOUT = "6s"


def say(text=""):
    print(text, flush=True)


def step(title):
    say()
    say(f"\033[1m== {title}\033[0m" if sys.stdout.isatty() else f"== {title}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def now_rfc3339(offset=0):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def node(name, labels):
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": f"uid-{name}", "labels": labels}}


def pod(name, node_name, ready):
    created = now_rfc3339(-600)
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "sensors", "uid": f"uid-{name}", "labels": {"app": "sensor"},
                         "creationTimestamp": created},
            "spec": {"nodeName": node_name, "containers": [{"name": "sensor", "image": "sensor:1"}]},
            "status": {"phase": "Running", "conditions": [
                {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": created}]}}


class Demo:
    def __init__(self, bin_dir, work):
        self.bin = bin_dir
        self.work = work
        self.processes = []

    # -- processes -----------------------------------------------------------------------------
    def start(self, name, argv, **kwargs):
        log = open(os.path.join(self.work, f"{name}.log"), "w")
        process = subprocess.Popen(argv, stdout=kwargs.pop("stdout", log), stderr=log, stdin=kwargs.pop("stdin", subprocess.DEVNULL),
                                   **kwargs)
        self.processes.append((name, process))
        return process

    def wait_for(self, what, check, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = check()
                if value:
                    return value
            except (OSError, urllib.error.URLError, ValueError, KeyError, StopIteration):
                pass
            time.sleep(0.2)
        raise SystemExit(f"demo failed: timed out waiting for {what}; logs are in {self.work}")

    def stop(self):
        # One at a time, newest first: troxileia releases its Lease and drains while the API is still up.
        for name, process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    # -- HTTP ----------------------------------------------------------------------------------
    def http(self, method, url, body=None, content_type="application/merge-patch+json"):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def api(self, method, path, body=None):
        return self.http(method, f"http://127.0.0.1:{self.api_port}{path}", body)

    def sim(self, method, path, body=None):
        return self.http(method, f"http://127.0.0.1:{self.sim_control}{path}", body, "application/json")[1]

    def label(self, node_name, labels):
        status, answer = self.api("PATCH", f"/api/v1/nodes/{node_name}", {"metadata": {"labels": labels}})
        shown = " ".join(f"{k}={v}" for k, v in labels.items())
        say(f"$ kubectl label node {node_name} {shown} --overwrite")
        if status == 200:
            say(f"node/{node_name} labeled")
        else:
            say(f"Error from server ({answer.get('reason', status)}): {answer.get('message', answer)}")
        return status

    def tap_ports(self):
        state = self.sim("GET", "/state")
        return state["maps"].get("sensor_map", {}).get("to_ports", [])

    def show_tap(self, since):
        entries = self.sim("GET", f"/log?since={since}")["entries"]
        lines = [e["line"] for e in entries if e.get("line") and e["session"].startswith("s")]
        say("  the tap received:")
        for line in lines:
            say(f"    {line}")
        say(f"  the tap now sends traffic to: {', '.join(self.tap_ports()) or 'no port'}")

    def log_mark(self):
        return self.sim("GET", "/log")["next"]

    # -- the scenario --------------------------------------------------------------------------
    def run(self):
        step("Starting the GigaVUE simulator, the Kubernetes API stand-in and troxileia")
        certs = os.path.join(self.work, "certs")
        subprocess.run(["bash", os.path.join(ROOT, "certs/make-certs.sh"), "--local", "--out", certs],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(self.work, "tap-password"), "w") as f:
            f.write("demo-tap-password\n")
        known_hosts = os.path.join(self.work, "known_hosts")
        simulator = self.start("simulator", [sys.executable, os.path.join(ROOT, "Tests/GigaVUESimulator/gigavue_simulator.py"),
                                             "--password-file", os.path.join(self.work, "tap-password"),
                                             "--host-key", os.path.join(self.work, "tap-host-key"),
                                             "--known-hosts-out", known_hosts, "--exit-on-stdin-eof"],
                               stdout=subprocess.PIPE, stdin=subprocess.PIPE)
        info = json.loads(simulator.stdout.readline())
        self.sim_control = info["control_port"]
        say(f"  GigaVUE simulator: SSH on 127.0.0.1:{info['ssh_port']}, host key {info['host_key_sha256']}")

        webhook_port, probe_port = free_port(), free_port()
        with open(os.path.join(self.work, "nodes.json"), "w") as f:
            json.dump({"apiVersion": "v1", "kind": "NodeList", "items": [
                node("node-a", {"sensor": "true", "port": "1_1_x1"}), node("node-b", {"sensor": "true", "port": "1_1_x2"}),
                node("node-c", {}), node("node-d", {})]}, f)
        with open(os.path.join(self.work, "pods.json"), "w") as f:
            json.dump({"apiVersion": "v1", "kind": "PodList", "items": [
                pod("sensor-a", "node-a", True), pod("sensor-b", "node-b", True)]}, f)
        self.start("standin", [os.path.join(self.bin, "troxileia-standin"), "--listen", "127.0.0.1:0",
                               "--nodes-file", os.path.join(self.work, "nodes.json"),
                               "--pods-file", os.path.join(self.work, "pods.json"),
                               "--webhook-url", f"https://127.0.0.1:{webhook_port}/validate",
                               "--webhook-ca-file", os.path.join(certs, "ca.crt"), "--bookmark-interval", "5s"])
        self.api_port = self.wait_for("the API stand-in", lambda: json.loads(next(
            l for l in open(os.path.join(self.work, "standin.log")) if '"listening"' in l))["port"])
        say(f"  Kubernetes API stand-in: http://127.0.0.1:{self.api_port} (nodes node-a..node-d, sensor pods on node-a and node-b)")
        kubeconfig = os.path.join(self.work, "kubeconfig")
        with open(kubeconfig, "w") as f:
            f.write(f"apiVersion: v1\nkind: Config\ncurrent-context: demo\nclusters:\n- name: demo\n  cluster:\n"
                    f"    server: http://127.0.0.1:{self.api_port}\ncontexts:\n- name: demo\n  context:\n"
                    f"    cluster: demo\n    user: demo\nusers:\n- name: demo\n  user: {{}}\n")
        self.start("troxileia", [os.path.join(self.bin, "troxileia"), "run", "--kubeconfig", kubeconfig, "--namespace", "troxileia",
                                 "--webhook-listen", f"127.0.0.1:{webhook_port}", "--probe-listen", f"127.0.0.1:{probe_port}",
                                 "--tls-cert-file", os.path.join(certs, "tls.crt"), "--tls-key-file", os.path.join(certs, "tls.key"),
                                 "--tap-host", "127.0.0.1", "--tap-ssh-port", str(info["ssh_port"]),
                                 "--tap-password-file", os.path.join(self.work, "tap-password"), "--tap-known-hosts", known_hosts,
                                 "--sensor-apps", "sensor", "--pod-not-ready-timeout", POD_TIMEOUT,
                                 "--debounce", "500ms", "--shutdown-delay", "1s", "--log-format", "json"])
        self.wait_for("troxileia to be ready", lambda: urllib.request.urlopen(
            f"http://127.0.0.1:{probe_port}/readyz", timeout=2).status == 200)
        self.wait_for("the first push", lambda: self.tap_ports() == ["1/1/x1", "1/1/x2"])
        say(f"  troxileia: webhook https://127.0.0.1:{webhook_port}/validate, probes http://127.0.0.1:{probe_port}")
        say(f"  first push done: the tap sends to {', '.join(self.tap_ports())} (node-a, node-b)")

        step("1. A malformed port label is denied by the webhook")
        self.label("node-c", {"port": "1/1/x3"})

        step("2. A tap port already held by another node is denied")
        self.label("node-c", {"port": "1_1_x1"})

        step("3. node-c becomes a sensor: the tap is reconfigured")
        mark = self.log_mark()
        self.label("node-c", {"sensor": "true", "port": "1_1_x3"})
        self.wait_for("1/1/x3 on the tap", lambda: "1/1/x3" in self.tap_ports())
        self.show_tap(mark)

        step(f"4. The sensor pod on node-b stops being Ready for longer than {POD_TIMEOUT}: its port is taken out")
        mark = self.log_mark()
        transition = now_rfc3339()
        self.api("PATCH", "/api/v1/namespaces/sensors/pods/sensor-b/status", {"status": {"conditions": [
            {"type": "Ready", "status": "False", "lastTransitionTime": transition}]}})
        say(f"  sensor-b (on node-b) not Ready since {transition}; waiting for the timeout …")
        self.wait_for("1/1/x2 to leave the tap", lambda: "1/1/x2" not in self.tap_ports(), timeout=90)
        self.show_tap(mark)

        step("5. The pod is Ready again: node-b's port is restored")
        mark = self.log_mark()
        self.api("PATCH", "/api/v1/namespaces/sensors/pods/sensor-b/status", {"status": {"conditions": [
            {"type": "Ready", "status": "True", "lastTransitionTime": now_rfc3339()}]}})
        self.wait_for("1/1/x2 back on the tap", lambda: "1/1/x2" in self.tap_ports(), timeout=60)
        self.show_tap(mark)

        step("Events recorded by troxileia")
        status, events = self.api("GET", "/apis/events.k8s.io/v1/namespaces/default/events")
        _, tap_events = self.api("GET", "/apis/events.k8s.io/v1/namespaces/troxileia/events")
        for event in (events.get("items", []) + tap_events.get("items", [])):
            say(f"  {event.get('type', ''):8} {event.get('reason', ''):18} {event.get('regarding', {}).get('name', ''):18} {event.get('note', '')}")
        _, status_map = self.api("GET", "/api/v1/namespaces/troxileia/configmaps/troxileia-status")
        say("  status ConfigMap troxileia-status: " + json.dumps(status_map.get("data", {})))
        say()
        say("Demo done: stopping everything.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/debug"), help="folder with troxileia and troxileia-standin")
    parser.add_argument("--keep-logs", action="store_true", help="keep the work folder with every process's log")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="troxileia-demo-")
    demo = Demo(args.bin, work)
    try:
        demo.run()
    finally:
        demo.stop()
        if args.keep_logs:
            say(f"logs: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
