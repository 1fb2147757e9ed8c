"""The soak's eyes: a thread that samples, twice a second, the desired set (computed by the driver from
the stand-in's objects), the tap's ports, every plan the tap ran (from the simulator's command log)
and each replica's resident memory and open descriptors."""
import os, threading, time

from model import desired

SAMPLE_SECONDS = 0.5


def process_figures(pid):
    """(resident bytes, open descriptors) of a live process, or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            rss = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
        return rss, len(os.listdir(f"/proc/{pid}/fd"))
    except (OSError, StopIteration, ValueError):
        return None


class Observer:
    def __init__(self, lab, pod_timeout, started, max_samples):
        self.lab, self.pod_timeout, self.started = lab, pod_timeout, started
        self.max_samples = max_samples
        self.samples = []          # {"t", "desired", "tap"}
        self.figures = {}          # (replica name, start number) -> [(t, rss, fds)]
        self.sessions = {}         # simulator session -> {"plan_at", "last_at"}
        self.log_seq = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="soak-observer", daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=10)

    def objects(self):
        nodes = self.lab.api("GET", "/api/v1/nodes")
        pods = self.lab.api("GET", "/api/v1/namespaces/sensors/pods")
        if nodes[0] != 200 or pods[0] != 200:
            return None
        return nodes[1].get("items", []), pods[1].get("items", [])

    def desired_now(self):
        """(desired, forbidden) now, or None when the stand-in did not answer (a fault burst)."""
        objects = self.objects()
        return desired(*objects, time.time(), self.pod_timeout) if objects else None

    def _run(self):
        while not self.stopping.is_set() and len(self.samples) < self.max_samples:
            now = time.monotonic() - self.started
            self._read_log()
            for replica in list(self.lab.replicas):
                figures = process_figures(replica["process"].pid) if replica["process"].poll() is None else None
                if figures:
                    with self.lock:
                        self.figures.setdefault((replica["name"], replica["starts"]), []).append((now, *figures))
            try:
                wanted = self.desired_now()
                tap = self.lab.tap_ports()
            except (OSError, ValueError, KeyError):
                wanted, tap = None, None
            if wanted is not None and tap is not None:
                with self.lock:
                    self.samples.append({"t": now, "desired": len(wanted[0]), "tap": len(tap)})
            self.stopping.wait(SAMPLE_SECONDS)

    def _read_log(self):
        try:
            log = self.lab.sim("GET", f"/log?since={self.log_seq}")
        except (OSError, ValueError):
            return
        with self.lock:
            for entry in log.get("entries", []):
                session = entry.get("session", "")
                if not session.startswith("s"):
                    continue
                at = entry["time"]
                record = self.sessions.setdefault(session, {"plan_at": None, "last_at": at})
                record["last_at"] = at
                if entry.get("line") == "no map-passall alias sensor_map" and record["plan_at"] is None:
                    record["plan_at"] = at
            self.log_seq = log.get("next", self.log_seq)

    def plans(self):
        """[(start, end)] wall-clock times of every plan the tap ran, by start."""
        self._read_log()
        with self.lock:
            return sorted((s["plan_at"], s["last_at"]) for s in self.sessions.values() if s["plan_at"] is not None)
