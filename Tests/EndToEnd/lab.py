"""A Troxileia lab on loopback: the Kubernetes API stand-in, the GigaVUE simulator and `troxileia run`
replicas as processes, with helpers to label nodes, flip pod readiness and read the tap.

Used by the end-to-end tests (Tests/EndToEnd/test_*.py) and the demo (demo/demo.py).
"""
import datetime, json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("TROXILEIA_BIN", os.path.join(ROOT, ".build/debug"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rfc3339(offset=0.0):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def node(name, labels=None, annotations=None):
    metadata = {"name": name, "uid": f"uid-{name}", "labels": labels or {}}
    if annotations:
        metadata["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Node", "metadata": metadata}


def pod(name, node_name, ready=True, app="sensor", namespace="sensors"):
    created = rfc3339(-600)
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "uid": f"uid-{name}", "labels": {"app": app},
                         "creationTimestamp": created},
            "spec": {"nodeName": node_name, "containers": [{"name": "sensor", "image": "sensor:1"}]},
            "status": {"phase": "Running", "conditions": [
                {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": created}]}}


class LabError(Exception):
    pass


def stop_process(process, timeout=20):
    """SIGTERM, then SIGKILL after `timeout` seconds; returns once the process is gone."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Lab:
    """Processes and their files in one temporary folder; `stop()` ends them newest first."""

    def __init__(self, nodes, pods=(), keep=False, token=None, webhook_replicas=1):
        """`token`: the stand-in requires this bearer token, and the replicas get theirs from an exec
        plugin that prints the token file (`rotate_token` changes both, as a credential rotation).
        `webhook_replicas`: how many webhook URLs the stand-in spreads its admission calls over."""
        self.work = tempfile.mkdtemp(prefix="troxileia-lab-")
        self.keep = keep
        self.token = token
        self.token_file = os.path.join(self.work, "token")
        if token:
            with open(self.token_file, "w") as f:
                f.write(token)
        self.processes = []
        self.files = []
        self.replicas = []
        self.nodes, self.pods = list(nodes), list(pods)
        # One webhook port per replica the stand-in calls (the endpoints behind the webhook Service).
        self.webhook_ports = [free_port() for _ in range(webhook_replicas)]
        self.webhook_port = self.webhook_ports[0]
        self.certs = os.path.join(self.work, "certs")
        subprocess.run(["bash", os.path.join(ROOT, "certs/make-certs.sh"), "--local", "--out", self.certs],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # -- processes -------------------------------------------------------------------------------
    def _start(self, name, argv, stdout=None, stdin=subprocess.DEVNULL, env=None, append=False):
        log = open(os.path.join(self.work, f"{name}.log"), "a" if append else "w")
        self.files.append(log)
        process = subprocess.Popen(argv, stdout=stdout or log, stderr=log, stdin=stdin,
                                   env={**os.environ, **env} if env else None)
        self.processes.append((name, process))
        return process

    def log(self, name):
        with open(os.path.join(self.work, f"{name}.log")) as f:
            return f.read()

    def wait_for(self, what, check, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = check()
                if value:
                    return value
            except (OSError, urllib.error.URLError, ValueError, KeyError, StopIteration):
                pass
            time.sleep(0.1)
        raise LabError(f"timed out waiting for {what}; logs in {self.work}")

    def start_simulator(self, *extra):
        with open(os.path.join(self.work, "tap-password"), "w") as f:
            f.write("lab-tap-password\n")
        self.known_hosts = os.path.join(self.work, "known_hosts")
        process = self._start("simulator", [sys.executable, os.path.join(ROOT, "Tests/GigaVUESimulator/gigavue_simulator.py"),
                                            "--password-file", os.path.join(self.work, "tap-password"),
                                            "--host-key", os.path.join(self.work, "tap-host-key"),
                                            "--known-hosts-out", self.known_hosts, "--exit-on-stdin-eof", *extra],
                              stdout=subprocess.PIPE, stdin=subprocess.PIPE)
        self.simulator_info = json.loads(process.stdout.readline())
        self.sim_control = self.simulator_info["control_port"]

    def start_standin(self, spread="round-robin", webhook=True):
        """`webhook=False`: the stand-in admits every write without calling a webhook (benchmarks that
        measure the watch side alone)."""
        for name, items, kind in (("nodes", self.nodes, "NodeList"), ("pods", self.pods, "PodList")):
            with open(os.path.join(self.work, f"{name}.json"), "w") as f:
                json.dump({"apiVersion": "v1", "kind": kind, "items": items}, f)
        self._start("standin", [os.path.join(BIN, "troxileia-standin"), "--listen", "127.0.0.1:0",
                                "--nodes-file", os.path.join(self.work, "nodes.json"),
                                "--pods-file", os.path.join(self.work, "pods.json"),
                                *[arg for port in (self.webhook_ports if webhook else [])
                                  for arg in ("--webhook-url", f"https://127.0.0.1:{port}/validate")],
                                "--webhook-spread", spread,
                                "--webhook-ca-file", os.path.join(self.certs, "ca.crt"), "--bookmark-interval", "2s",
                                *(["--token", self.token] if self.token else [])])
        self.api_port = self.wait_for("the API stand-in", lambda: json.loads(next(
            line for line in self.log("standin").splitlines() if '"listening"' in line))["port"])
        self.kubeconfig = os.path.join(self.work, "kubeconfig")
        user = "{}"
        if self.token:
            # An exec plugin whose token has no expiry (issue 13): cached until the server answers 401.
            script = os.path.join(self.work, "token-plugin.sh")
            with open(script, "w") as f:
                f.write("#!/bin/sh\nprintf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                        f"\"status\":{{\"token\":\"%s\"}}}}\\n' \"$(cat '{self.token_file}')\"\n")
            user = (f"\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh\n"
                    f"      args: [\"{script}\"]\n      interactiveMode: Never")
        with open(self.kubeconfig, "w") as f:
            f.write(f"apiVersion: v1\nkind: Config\ncurrent-context: lab\nclusters:\n- name: lab\n  cluster:\n"
                    f"    server: http://127.0.0.1:{self.api_port}\ncontexts:\n- name: lab\n  context:\n"
                    f"    cluster: lab\n    user: lab\nusers:\n- name: lab\n  user: {user}\n")

    def rotate_token(self, token):
        """A credential rotation: the plugin hands out `token` from now on, and the stand-in refuses the old one."""
        with open(self.token_file, "w") as f:
            f.write(token)
        self.token = token
        self.http("POST", f"http://127.0.0.1:{self.api_port}/standin/token", token, "text/plain")

    def start_troxileia(self, *extra, webhook=True, wait_ready=True, tap=True, index=None):
        """One `troxileia run` replica; replica i serves the stand-in's i-th webhook URL. `tap=False`
        runs it webhook-only (no simulator needed); `index` starts replica `index` again on its ports
        with these flags (after `stop_replica`); its log goes on in the same file."""
        restart = index is not None
        index = len(self.replicas) if index is None else index
        probe_port = self.replicas[index]["probe_port"] if restart else free_port()
        webhook_port = self.webhook_ports[index] if index < len(self.webhook_ports) and webhook else free_port()
        name = f"troxileia-{index}"
        tap_args = ["--tap-host", "127.0.0.1", "--tap-ssh-port", str(self.simulator_info["ssh_port"]),
                    "--tap-password-file", os.path.join(self.work, "tap-password"),
                    "--tap-known-hosts", self.known_hosts] if tap else []
        argv = [os.path.join(BIN, "troxileia"), "run", "--kubeconfig", self.kubeconfig, "--namespace", "troxileia",
                "--webhook-listen", f"127.0.0.1:{webhook_port}", "--probe-listen", f"127.0.0.1:{probe_port}",
                "--tls-cert-file", os.path.join(self.certs, "tls.crt"), "--tls-key-file", os.path.join(self.certs, "tls.key"),
                *tap_args, "--sensor-apps", "sensor",
                "--shutdown-delay", "0s", "--shutdown-grace", "2s", "--log-format", "json", *extra]
        # POD_NAME prefixes the Lease identity, so the holder names its replica.
        process = self._start(name, argv, env={"POD_NAME": name}, append=restart)
        replica = {"name": name, "process": process, "probe_port": probe_port, "argv": argv, "starts": 1}
        if restart:
            replica["starts"] = self.replicas[index]["starts"] + 1
            self.replicas[index] = replica
        else:
            self.replicas.append(replica)
        if wait_ready:
            self.wait_ready(replica)
        return replica

    def wait_ready(self, replica, timeout=60):
        self.wait_for(f"{replica['name']} ready", lambda: urllib.request.urlopen(
            f"http://127.0.0.1:{replica['probe_port']}/readyz", timeout=2).status == 200, timeout=timeout)

    def restart_replica(self, replica):
        """Starts a stopped replica again with the same flags and ports; its log goes on in the same file."""
        replica["process"] = self._start(replica["name"], replica["argv"], env={"POD_NAME": replica["name"]}, append=True)
        replica["starts"] += 1
        return replica

    def metrics(self, replica):
        return urllib.request.urlopen(f"http://127.0.0.1:{replica['probe_port']}/metrics", timeout=5).read().decode()

    def stop_replica(self, replica, sig=signal.SIGTERM, timeout=30):
        process = replica["process"]
        if process.poll() is None:
            process.send_signal(sig)
        return process.wait(timeout=timeout)

    def stop(self):
        # Newest first, one at a time: troxileia releases its Lease while the API stand-in still runs.
        for _, process in reversed(self.processes):
            stop_process(process)
            for stream in (process.stdin, process.stdout):
                if stream:
                    stream.close()
        for log in self.files:
            log.close()
        if not self.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    def cli(self, *args, tap=False):
        """Runs a `troxileia` subcommand against the lab's cluster (and the tap, with `tap`)."""
        argv = [os.path.join(BIN, "troxileia"), *args, "--kubeconfig", self.kubeconfig, "--namespace", "troxileia"]
        if tap:
            argv += ["--tap-host", "127.0.0.1", "--tap-ssh-port", str(self.simulator_info["ssh_port"]),
                     "--tap-password-file", os.path.join(self.work, "tap-password"), "--tap-known-hosts", self.known_hosts]
        return subprocess.run(argv, capture_output=True, text=True, timeout=60)

    # -- HTTP ------------------------------------------------------------------------------------
    def http(self, method, url, body=None, content_type="application/merge-patch+json", headers=None):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def api(self, method, path, body=None, **kwargs):
        if self.token:
            kwargs["headers"] = {"Authorization": f"Bearer {self.token}", **kwargs.get("headers", {})}
        return self.http(method, f"http://127.0.0.1:{self.api_port}{path}", body, **kwargs)

    def sim(self, method, path, body=None):
        return self.http(method, f"http://127.0.0.1:{self.sim_control}{path}", body, "application/json")[1]

    # -- the cluster -----------------------------------------------------------------------------
    def label(self, node_name, labels):
        return self.api("PATCH", f"/api/v1/nodes/{node_name}", {"metadata": {"labels": labels}})

    def claims(self):
        """The port claims (issue 17): Leases labelled troxileia.io/claim=port, by name → holder."""
        items = self.api("GET", "/apis/coordination.k8s.io/v1/namespaces/troxileia/leases?labelSelector=troxileia.io%2Fclaim%3Dport")[1]
        return {lease["metadata"]["name"]: lease["spec"].get("holderIdentity") for lease in items.get("items", [])}

    def annotate(self, node_name, annotations):
        return self.api("PATCH", f"/api/v1/nodes/{node_name}", {"metadata": {"annotations": annotations}})

    def set_pod_ready(self, name, ready, namespace="sensors"):
        return self.api("PATCH", f"/api/v1/namespaces/{namespace}/pods/{name}/status", {"status": {"conditions": [
            {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": rfc3339()}]}})

    def events(self, namespace):
        return self.api("GET", f"/apis/events.k8s.io/v1/namespaces/{namespace}/events")[1].get("items", [])

    def event_reasons(self, namespace="default"):
        return [(e.get("reason"), e.get("regarding", {}).get("name")) for e in self.events(namespace)]

    # -- the tap ---------------------------------------------------------------------------------
    def tap_ports(self):
        return self.sim("GET", "/state")["maps"].get("sensor_map", {}).get("to_ports", [])

    def tap_lines(self, since=0):
        return [e["line"] for e in self.sim("GET", f"/log?since={since}")["entries"]
                if e.get("line") and e["session"].startswith("s")]

    def log_mark(self):
        return self.sim("GET", "/log")["next"]

    def pushes(self, since=0):
        """Plans run on the tap (each, in place or rebuild, ends with `write memory`)."""
        return sum(1 for line in self.tap_lines(since) if line == "write memory")

    def traffic(self):
        """Per tool port, the simulator's [start, end] intervals of traffic (issue 15)."""
        return self.sim("GET", "/traffic")["ports"]
