"""What the tap should hold, computed by the soak driver on its own from the stand-in's objects
(DESIGN.md "Labels", "Pod health", "Decisions worth keeping"), without any of Troxileia's code: the
answer the replicas' reconcilers are checked against."""
import datetime

# The ports the driver labels nodes with: valid tool ports of the simulator's default chassis,
# outside the source port group (1/1/x45..x48).
VALID_PORTS = [f"1_1_x{n}" for n in range(1, 41)]
# Malformed values the driver sets through kubelet-style CREATEs (the webhook admits them with a warning).
MALFORMED_PORTS = ["1/1/x3", "01_1_x1", "1_1_y7", "1_1_x", "1__1_x2"]


def parse_time(text):
    if not text:
        return None
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def cli_name(label_value):
    return label_value.replace("_", "/")


def pod_blocks(pod, now, timeout):
    """Whether a sensor pod leaves its node out at `now`: not terminating, not finished, Ready not True
    for longer than `timeout`, counted from the later of creation and the Ready condition's last change."""
    metadata, status = pod.get("metadata", {}), pod.get("status", {})
    if metadata.get("deletionTimestamp") or status.get("phase") in ("Succeeded", "Failed"):
        return False
    ready = next((c for c in status.get("conditions", []) if c.get("type") == "Ready"), None)
    if ready and ready.get("status") == "True":
        return False
    created = parse_time(metadata.get("creationTimestamp")) or 0
    since = max(created, parse_time(ready.get("lastTransitionTime")) or 0) if ready else created
    return now - since > timeout


def pending_pod_deadline(pods, now, timeout):
    """The latest instant at which a not-Ready pod's timeout still runs out (so the desired set may
    change on its own until then); `now` when none is pending."""
    latest = now
    for pod in pods:
        ready = next((c for c in pod.get("status", {}).get("conditions", []) if c.get("type") == "Ready"), None)
        if ready and ready.get("status") != "True":
            since = parse_time(ready.get("lastTransitionTime")) or 0
            latest = max(latest, since + timeout)
    return latest


def desired(nodes, pods, now, pod_timeout):
    """(desired CLI port names sorted, ports that must never be on the tap): sensors with a valid,
    unique port, not excluded by annotation, not terminating, without a pod past its timeout."""
    claims = {}
    for node in nodes:
        port = node["metadata"].get("labels", {}).get("port")
        if port in VALID_PORTS:
            claims.setdefault(port, []).append(node["metadata"]["name"])
    blocked_nodes = {p.get("spec", {}).get("nodeName") for p in pods if pod_blocks(p, now, pod_timeout)}
    wanted, forbidden = set(), set()
    for node in nodes:
        metadata = node["metadata"]
        labels, annotations = metadata.get("labels", {}), metadata.get("annotations", {})
        port = labels.get("port")
        if port not in VALID_PORTS:
            continue
        left_out = (labels.get("sensor") != "true" or annotations.get("troxileia.io/exclude") == "true"
                    or metadata.get("deletionTimestamp") or len(claims[port]) > 1 or metadata["name"] in blocked_nodes)
        if not left_out:
            wanted.add(cli_name(port))
        elif len(claims[port]) > 1 or labels.get("sensor") == "true":
            forbidden.add(cli_name(port))
    return sorted(wanted, key=port_order), forbidden - wanted


def port_order(name):
    box, slot, port = name.split("/")
    return int(box), int(slot), port[0], int(port[1:])
