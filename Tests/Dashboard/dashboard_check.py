#!/usr/bin/env python3
"""`make dashboard-check` (issue 16): the Grafana dashboard against a real Prometheus and a real run.

Starts Prometheus (Debian's package) on loopback, scraping `troxileia run` every second while the demo
scenario plays (demo/demo.py: the API stand-in, the GigaVUE simulator, a denied malformed label, a
denied duplicate, a node added, a sensor pod failing past its timeout and coming back), then runs
every panel query of charts/troxileia/dashboards/troxileia.json through Prometheus's HTTP API
(/api/v1/query_range over the run; after the scenario three plain-text connections to the TLS port
give the handshake-failure series something to show), with the dashboard's variables resolved as Grafana would:
`$namespace` from label_values() through /api/v1/label/…/values, `$__rate_interval` as 4 scrape
intervals. Every query must return data (at least one series with a number); each panel is drawn to
a PNG with matplotlib, and all of them into one picture for the README.

Usage: dashboard_check.py --bin .build/debug [--out .build/dashboard] [--combined docs/dashboard.png] [--keep]
Exit 0 when every query returned data, 1 otherwise.
"""
import argparse, json, math, os, re, shutil, socket, subprocess, sys, tempfile, time, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "EndToEnd"))
sys.path.insert(0, os.path.join(ROOT, "demo"))
import lab as lab_module  # noqa: E402
from lab import Lab, free_port, stop_process  # noqa: E402
import demo  # noqa: E402

DASHBOARD = os.path.join(ROOT, "charts/troxileia/dashboards/troxileia.json")
SCRAPE_INTERVAL = 1
RATE_INTERVAL = f"{4 * SCRAPE_INTERVAL}s"  # Grafana's $__rate_interval: at least four scrape intervals
NAMESPACE = "troxileia"


class Prometheus:
    """A Prometheus server on 127.0.0.1 with one file-discovered job, `troxileia`."""

    def __init__(self, work):
        self.work = work
        self.port = free_port()
        self.targets = os.path.join(work, "targets.json")
        self.write_targets([])
        config = os.path.join(work, "prometheus.yml")
        with open(config, "w") as f:
            f.write(f"global:\n  scrape_interval: {SCRAPE_INTERVAL}s\n  evaluation_interval: {SCRAPE_INTERVAL}s\n"
                    f"scrape_configs:\n  - job_name: troxileia\n    file_sd_configs:\n"
                    f"      - files: [{self.targets}]\n        refresh_interval: 1s\n")
        self.log = open(os.path.join(work, "prometheus.log"), "w")
        self.process = subprocess.Popen(
            ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={os.path.join(work, 'data')}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
            stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)

    def write_targets(self, targets):
        # Written to a temporary file, then renamed: Prometheus never reads half a file.
        with open(self.targets + ".tmp", "w") as f:
            json.dump([{"targets": targets, "labels": {"namespace": NAMESPACE}}], f)
        os.replace(self.targets + ".tmp", self.targets)

    def api(self, path, **params):
        url = f"http://127.0.0.1:{self.port}/api/v1/{path}?" + urllib.parse.urlencode(params, doseq=True)
        with urllib.request.urlopen(url, timeout=30) as response:
            body = json.load(response)
        if body.get("status") != "success":
            raise RuntimeError(f"{path}: {body}")
        return body["data"]

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"Prometheus did not become ready; log in {self.log.name}")

    def stop(self):
        stop_process(self.process)
        self.log.close()


def scraped_lab(prometheus):
    """A Lab whose `troxileia run` replicas become Prometheus targets as they start."""
    class ScrapedLab(Lab):
        def start_troxileia(self, *extra, **kwargs):
            replica = super().start_troxileia(*extra, **kwargs)
            targets = [f"127.0.0.1:{r['probe_port']}" for r in self.replicas]
            prometheus.write_targets(targets)
            self.wait_for("Prometheus scraping troxileia", lambda: len([
                t for t in prometheus.api("targets")["activeTargets"] if t["health"] == "up"]) == len(targets))
            return replica
    return ScrapedLab


def resolve(expr, variables):
    for name, value in variables.items():
        expr = expr.replace(f"${{{name}}}", value).replace(f"${name}", value)
    return expr


def legend(template, metric):
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: metric.get(m.group(1), ""), template) or json.dumps(metric)


def label_values(prometheus, definition, start, end):
    match = re.fullmatch(r"label_values\((.+),\s*(\w+)\)", definition.strip())
    if not match:
        raise ValueError(f"unsupported variable query {definition}")
    return prometheus.api(f"label/{match.group(2)}/values", **{"match[]": match.group(1), "start": start, "end": end})


def check(prometheus, start, end):
    """Every panel's targets as [(panel, [(target, legend, series)])]; prints a line per target."""
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    variables = {"__rate_interval": RATE_INTERVAL}
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            values = label_values(prometheus, variable["definition"], start, end)
            print(f"variable ${variable['name']}: {values}")
            if not values:
                raise SystemExit(f"variable ${variable['name']} ({variable['definition']}) has no values")
            variables[variable["name"]] = "|".join(values) if variable.get("multi") else values[0]
    results, empty = [], []
    for panel in dashboard["panels"]:
        drawn = []
        for target in panel["targets"]:
            expr = resolve(target["expr"], variables)
            data = prometheus.api("query_range", query=expr, start=start, end=end, step=SCRAPE_INTERVAL)["result"]
            points = sum(1 for series in data for _, value in series["values"] if not math.isnan(float(value)))
            status = "ok   " if points else "EMPTY"
            print(f"{status} {panel['title']} [{target['refId']}]: {len(data)} series, {points} points")
            if not points:
                empty.append(f"{panel['title']} [{target['refId']}]: {expr}")
            drawn.append((target, data))
        results.append((panel, drawn))
    return results, empty


def draw(results, start, out, combined):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def plot(axes, panel, drawn):
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
        # Seconds in days when they run that long (a certificate's lifetime), as Grafana would show them.
        longest = max((float(v) for _, data in drawn for series in data for _, v in series["values"]
                       if not math.isnan(float(v))), default=0.0)
        scale, unit = (86400.0, "days") if unit == "s" and longest > 3 * 86400 else (1.0, unit)
        for target, data in drawn:
            for series in data:
                xs = [float(t) - start for t, v in series["values"]]
                ys = [float(v) / scale for t, v in series["values"]]
                axes.plot(xs, ys, linewidth=1.2, label=legend(target.get("legendFormat", ""), series["metric"]))
        axes.set_title(panel["title"], fontsize=9, loc="left")
        axes.tick_params(labelsize=7)
        axes.set_xlabel("seconds into the demo", fontsize=7)
        if unit and unit != "short":
            axes.set_ylabel(unit, fontsize=7)
        axes.grid(alpha=0.3)
        if axes.get_legend_handles_labels()[0]:
            axes.legend(fontsize=6, loc="best")

    os.makedirs(out, exist_ok=True)
    for index, (panel, drawn) in enumerate(results, 1):
        figure, axes = plt.subplots(figsize=(6, 3), dpi=100)
        plot(axes, panel, drawn)
        figure.tight_layout()
        slug = re.sub(r"[^a-z0-9]+", "-", panel["title"].lower()).strip("-")
        figure.savefig(os.path.join(out, f"{index:02d}-{slug}.png"))
        plt.close(figure)
    columns = 3
    rows = math.ceil(len(results) / columns)
    figure, grid = plt.subplots(rows, columns, figsize=(15, 2.6 * rows), dpi=60)
    for axes, (panel, drawn) in zip(grid.flat, results):
        plot(axes, panel, drawn)
    for axes in list(grid.flat)[len(results):]:
        axes.axis("off")
    figure.suptitle("Troxileia dashboard: Prometheus scraping `troxileia run` during the demo (make dashboard-check)", fontsize=11)
    figure.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(combined)), exist_ok=True)
    figure.savefig(combined)
    plt.close(figure)
    print(f"panels: {len(results)} PNGs in {out}; all of them in {combined} ({os.path.getsize(combined) // 1024} KiB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="folder with troxileia and troxileia-standin")
    parser.add_argument("--out", default=os.path.join(ROOT, ".build/dashboard"), help="one PNG per panel")
    parser.add_argument("--combined", default=os.path.join(ROOT, ".build/dashboard/dashboard.png"), help="all panels in one PNG")
    parser.add_argument("--keep", action="store_true", help="keep the lab and Prometheus folders")
    args = parser.parse_args()
    lab_module.BIN = os.path.abspath(args.bin)
    if not shutil.which("prometheus"):
        raise SystemExit("dashboard_check.py: no prometheus on the PATH (Debian package prometheus; make deps installs it)")
    work = tempfile.mkdtemp(prefix="troxileia-prometheus-")
    prometheus = Prometheus(work)
    lab = None
    failed = True
    try:
        prometheus.wait_ready()
        start = time.time()
        lab = demo.demo_lab(scraped_lab(prometheus), keep=args.keep)
        demo.scenario(lab)
        # The demo's clients all speak TLS; one that does not (a port scan, a proxy misconfigured to
        # plain HTTP) is what the handshake-failure series counts, so the panel has a line to show.
        # Three, a scrape apart: the series appears with the first, so only the later ones show as an increase.
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", lab.webhook_port), timeout=5) as plain:
                plain.sendall(b"GET /validate HTTP/1.1\r\nHost: troxileia\r\n\r\n")
                plain.recv(1024)
            time.sleep(1.5 * SCRAPE_INTERVAL)
        time.sleep(4 * SCRAPE_INTERVAL + 1)  # the last changes reach a scrape and a rate window
        end = time.time()
        results, empty = check(prometheus, start, end)
        draw(results, start, args.out, args.combined)
        if empty:
            print("queries without data:\n  " + "\n  ".join(empty))
        else:
            print(f"dashboard check: {sum(len(d) for _, d in results)} queries of {len(results)} panels returned data "
                  f"from a real Prometheus ({end - start:.0f} s of scrapes every {SCRAPE_INTERVAL} s)")
        failed = bool(empty)
    finally:
        if lab is not None:
            lab.keep = lab.keep or failed
            lab.stop()
        prometheus.stop()
        if args.keep or failed:
            print(f"Prometheus folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
