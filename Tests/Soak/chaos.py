"""The soak's hands: label churn and faults on a running lab (Tests/EndToEnd/lab.py). Every action is
one or two requests or signals, ignores refusals (a denied label, a 503 during a burst, a webhook
that is down while its replica restarts) and returns at once; the soak decides when and how often."""
import os, random, resource, signal, time

from lab import node, rfc3339
from model import MALFORMED_PORTS, VALID_PORTS

NODE_NAMES = [f"sensor-{n:02d}" for n in range(16)]
TAP_PASSWORD = "lab-tap-password\n"
WRONG_PASSWORD = "not-the-tap-password\n"


class Churn:
    """Label changes as operators, kubelets and mistakes make them."""

    def __init__(self, lab, rng):
        self.lab, self.rng = lab, rng

    def _nodes(self):
        status, body = self.lab.api("GET", "/api/v1/nodes")
        return {item["metadata"]["name"]: item for item in body.get("items", [])} if status == 200 else {}

    def step(self):
        """One random change; returns its name."""
        # Repairs balance the breakage, so the desired set neither empties nor fills over a long run.
        action = self.rng.choice([self.relabel, self.repair, self.repair, self.repair, self.toggle_sensor,
                                  self.kubelet_malformed, self.duplicate_bypassing_webhook, self.flap_pod, self.flap_pod,
                                  self.recreate_node, self.toggle_exclude])
        action()
        return action.__name__

    def relabel(self):
        self.lab.label(self.rng.choice(NODE_NAMES), {"sensor": "true", "port": self.rng.choice(VALID_PORTS)})

    def repair(self):
        """An operator fixes a node: a free valid port, sensor on, no exclusion, its pod Ready."""
        nodes = self._nodes()
        used = {n["metadata"].get("labels", {}).get("port") for n in nodes.values()}
        free = [port for port in VALID_PORTS if port not in used]
        name = self.rng.choice(NODE_NAMES)
        if name not in nodes:
            self.lab.api("POST", "/api/v1/nodes", node(name, {"sensor": "true", "port": self.rng.choice(free or VALID_PORTS)}),
                         content_type="application/json")
            return
        if free:
            self.lab.api("PATCH", f"/api/v1/nodes/{name}", {"metadata": {
                "labels": {"sensor": "true", "port": self.rng.choice(free)}, "annotations": {"troxileia.io/exclude": None}}})
        self.lab.set_pod_ready(f"s-{name}", True)

    def move(self):
        """A pushed sensor is recabled to a free port: the desired set changes for certain (unless the
        webhook is down while its replica restarts)."""
        nodes = self._nodes()
        used = {n["metadata"].get("labels", {}).get("port") for n in nodes.values()}
        free = [port for port in VALID_PORTS if port not in used]
        sensors = [name for name, n in nodes.items() if n["metadata"].get("labels", {}).get("sensor") == "true"
                   and n["metadata"].get("labels", {}).get("port") in VALID_PORTS]
        if free and sensors:
            self.lab.label(self.rng.choice(sensors), {"port": self.rng.choice(free)})

    def toggle_sensor(self):
        self.lab.label(self.rng.choice(NODE_NAMES), {"sensor": self.rng.choice(["true", "false"])})

    def toggle_exclude(self):
        self.lab.annotate(self.rng.choice(NODE_NAMES), {"troxileia.io/exclude": self.rng.choice(["true", "false", None])})

    def kubelet_malformed(self):
        """A kubelet registers its node with a malformed port: admitted with a warning, left off the tap."""
        name = self.rng.choice(NODE_NAMES)
        self.lab.api("DELETE", f"/api/v1/nodes/{name}")
        self.lab.api("POST", "/api/v1/nodes", node(name, {"sensor": "true", "port": self.rng.choice(MALFORMED_PORTS)}),
                     content_type="application/json",
                     headers={"X-Standin-User": f"system:node:{name}", "X-Standin-Groups": "system:nodes"})

    def duplicate_bypassing_webhook(self):
        """A duplicate the webhook never saw (a label set before install): neither claimant is pushed."""
        nodes = self._nodes()
        holders = [n for n in nodes.values() if n["metadata"].get("labels", {}).get("port") in VALID_PORTS]
        if len(holders) < 2:
            return
        source, target = self.rng.sample(holders, 2)
        self.lab.api("POST", "/standin/admission?bypass=true")
        try:
            self.lab.label(target["metadata"]["name"], {"sensor": "true", "port": source["metadata"]["labels"]["port"]})
        finally:
            self.lab.api("POST", "/standin/admission?bypass=false")

    def flap_pod(self):
        self.lab.set_pod_ready(f"s-{self.rng.choice(NODE_NAMES)}", self.rng.random() < 0.5)

    def recreate_node(self):
        """A node deleted and created again (a reinstalled host), with a valid label."""
        name = self.rng.choice(NODE_NAMES)
        self.lab.api("DELETE", f"/api/v1/nodes/{name}")
        self.lab.api("POST", "/api/v1/nodes", node(name, {"sensor": "true", "port": self.rng.choice(VALID_PORTS)}),
                     content_type="application/json")


class Faults:
    """Each fault is `start()` → a token for `end(token)`; both return at once."""

    KINDS = ["watch_cut", "gone_410", "burst_5xx", "burst_429", "token_rotation", "leader_kill", "ssh_drop_mid_plan",
             "slow_prompts", "wrong_tap_password", "descriptor_pressure"]

    def __init__(self, lab, rng, secrets):
        self.lab, self.rng, self.secrets = lab, rng, secrets
        self.rotations = 0

    def start(self, kind):
        return getattr(self, f"_start_{kind}")()

    def end(self, kind, token):
        finish = getattr(self, f"_end_{kind}", None)
        if finish:
            finish(token)

    def leader(self):
        status, lease = self.lab.api("GET", "/apis/coordination.k8s.io/v1/namespaces/troxileia/leases/troxileia")
        holder = (lease.get("spec", {}).get("holderIdentity") or "") if status == 200 else ""
        return next((r for r in self.lab.replicas if holder.startswith(r["name"] + "_")), None)

    def _start_watch_cut(self):
        self.lab.api("POST", "/standin/drop-watches")

    def _start_gone_410(self):
        self.lab.api("POST", "/standin/compact")
        self.lab.api("POST", "/standin/drop-watches")

    def _start_burst_5xx(self):
        self.lab.api("POST", f"/standin/fail?count={self.rng.randint(10, 40)}&code=503&retryAfter=1")

    def _start_burst_429(self):
        self.lab.api("POST", f"/standin/fail?count={self.rng.randint(10, 40)}&code=429&retryAfter=2")

    def _start_token_rotation(self):
        self.rotations += 1
        token = f"soak-token-{self.rotations}-{self.rng.getrandbits(64):016x}"
        self.secrets.append(token)
        self.lab.rotate_token(token)

    def _start_leader_kill(self):
        replica = self.leader()
        if replica and replica["process"].poll() is None:
            replica["process"].send_signal(signal.SIGKILL)
            replica["process"].wait()
        return replica

    def _end_leader_kill(self, replica):
        if replica:
            self.lab.restart_replica(replica)

    def _start_ssh_drop_mid_plan(self):
        # Setup is 3 commands and the read one more: the 6th line is inside the plan.
        self.lab.sim("POST", "/faults", {"drop_after_commands": 6})

    def _end_ssh_drop_mid_plan(self, _):
        self.lab.sim("DELETE", "/faults")

    def _start_slow_prompts(self):
        self.lab.sim("POST", "/faults", {"prompt_delay_ms": self.rng.choice([200, 400, 700])})

    def _end_slow_prompts(self, _):
        self.lab.sim("DELETE", "/faults")

    def _start_wrong_tap_password(self):
        write(os.path.join(self.lab.work, "tap-password"), WRONG_PASSWORD)

    def _end_wrong_tap_password(self, _):
        write(os.path.join(self.lab.work, "tap-password"), TAP_PASSWORD)

    def _start_descriptor_pressure(self):
        """The leader's descriptor limit drops to a few above what it has open, for a while."""
        replica = self.leader() or self.rng.choice(self.lab.replicas)
        pid = replica["process"].pid
        try:
            before = resource.prlimit(pid, resource.RLIMIT_NOFILE)
            resource.prlimit(pid, resource.RLIMIT_NOFILE, (len(os.listdir(f"/proc/{pid}/fd")) + 4, before[1]))
            return pid, before
        except (OSError, ProcessLookupError):
            return None

    def _end_descriptor_pressure(self, token):
        if token:
            pid, before = token
            try:
                resource.prlimit(pid, resource.RLIMIT_NOFILE, before)
            except (OSError, ProcessLookupError):
                pass


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def initial_objects():
    nodes = [node(name, {"sensor": "true", "port": VALID_PORTS[index]}) for index, name in enumerate(NODE_NAMES)]
    pods = []
    for name in NODE_NAMES:
        created = rfc3339(-600)
        pods.append({"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": f"s-{name}", "namespace": "sensors", "uid": f"uid-s-{name}",
                                  "labels": {"app": "sensor"}, "creationTimestamp": created},
                     "spec": {"nodeName": name, "containers": [{"name": "sensor", "image": "sensor:1"}]},
                     "status": {"phase": "Running", "conditions": [
                         {"type": "Ready", "status": "True", "lastTransitionTime": created}]}})
    return nodes, pods


def pause(seconds):
    """A bounded wait between driver steps (the driver is a process outside the code under test)."""
    time.sleep(max(0.0, seconds))
