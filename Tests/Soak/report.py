"""The soak's results: the summary table, the growth check of memory and descriptors, and the PNG
timeline (matplotlib, headless)."""
import os, statistics

MIB = 1024 * 1024
WARM_UP = 15.0


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def growth_failures(figures):
    """Each replica run long enough must not trend up: after the warm-up, the median of the last third
    of the samples against the median of the first third."""
    failures = []
    for (name, start), samples in sorted(figures.items()):
        steady = [s for s in samples if s[0] - samples[0][0] >= WARM_UP]
        if len(steady) < 30:
            continue
        third = len(steady) // 3
        first, last = steady[:third], steady[-third:]
        rss_growth = statistics.median(s[1] for s in last) - statistics.median(s[1] for s in first)
        fd_growth = statistics.median(s[2] for s in last) - statistics.median(s[2] for s in first)
        if rss_growth > max(16 * MIB, 0.5 * statistics.median(s[1] for s in first)):
            failures.append(f"{name} (start {start}): resident memory grew by {rss_growth / MIB:.1f} MiB")
        if fd_growth > 16:
            failures.append(f"{name} (start {start}): open descriptors grew by {fd_growth:.0f}")
    return failures


def summary(seed, seconds, cycles, final, plans, figures, lab):
    by_kind = {}
    for cycle in cycles:
        by_kind.setdefault(cycle["kind"], []).append(cycle["converged"])
    faults = {kind: {"count": len(values), "p50": percentile([v for v in values if v is not None], 0.5),
                     "p99": percentile([v for v in values if v is not None], 0.99),
                     "max": max((v for v in values if v is not None), default=None),
                     "unconverged": sum(v is None for v in values)} for kind, values in sorted(by_kind.items())}
    every = [c["converged"] for c in cycles if c["converged"] is not None]
    replicas = {}
    for (name, _), samples in figures.items():
        entry = replicas.setdefault(name, {"max_rss_mib": 0.0, "max_fds": 0, "starts": 0})
        entry["max_rss_mib"] = max(entry["max_rss_mib"], max(s[1] for s in samples) / MIB)
        entry["max_fds"] = max(entry["max_fds"], max(s[2] for s in samples))
    for replica in lab.replicas:
        replicas.setdefault(replica["name"], {"max_rss_mib": 0.0, "max_fds": 0})["starts"] = replica["starts"]
        with open(os.path.join(lab.work, f"{replica['name']}.log"), errors="replace") as f:
            replicas[replica["name"]]["tap_reconfigured"] = f.read().count('"tap reconfigured"')
    return {"seed": seed, "seconds": seconds, "cycles": len(cycles), "faults": faults,
            "convergence": {"p50": percentile(every, 0.5), "p99": percentile(every, 0.99), "max": max(every, default=None)},
            "final_convergence": final, "pushes": len(plans), "replicas": replicas}


def _seconds(value):
    return "-" if value is None else f"{value:5.1f}"


def print_table(summary):
    print(f"\nchaos soak: {summary['seconds']:.0f} s, {summary['cycles']} fault cycles, seed {summary['seed']}")
    print(f"{'fault':<22}{'count':>6}{'p50 s':>8}{'p99 s':>8}{'max s':>8}")
    for kind, row in summary["faults"].items():
        print(f"{kind:<22}{row['count']:>6}{_seconds(row['p50']):>8}{_seconds(row['p99']):>8}{_seconds(row['max']):>8}")
    overall = summary["convergence"]
    print(f"{'all faults':<22}{summary['cycles']:>6}{_seconds(overall['p50']):>8}{_seconds(overall['p99']):>8}"
          f"{_seconds(overall['max']):>8}")
    print(f"final convergence after the churn stopped: {_seconds(summary['final_convergence']).strip()} s; "
          f"plans run on the tap: {summary['pushes']}")
    print(f"{'replica':<14}{'starts':>7}{'max RSS MiB':>13}{'max fds':>9}{'pushes':>8}")
    for name, row in sorted(summary["replicas"].items()):
        print(f"{name:<14}{row['starts']:>7}{row['max_rss_mib']:>13.1f}{row['max_fds']:>9}{row.get('tap_reconfigured', 0):>8}")


COLOURS = {"watch_cut": "#4c72b0", "gone_410": "#55a868", "burst_5xx": "#c44e52", "burst_429": "#8172b2",
           "token_rotation": "#ccb974", "leader_kill": "#000000", "ssh_drop_mid_plan": "#dd8452",
           "slow_prompts": "#64b5cd", "wrong_tap_password": "#da8bc3", "descriptor_pressure": "#8c8c8c"}


def draw(path, samples, plans, cycles, figures, summary):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(14, 7), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    for cycle in cycles:
        top.axvspan(cycle["start"], cycle["end"], color=COLOURS.get(cycle["kind"], "#999999"), alpha=0.25, lw=0)
    top.step([s["t"] for s in samples], [s["desired"] for s in samples], where="post", label="desired ports", color="#1f77b4")
    top.step([s["t"] for s in samples], [s["tap"] for s in samples], where="post", label="ports on the tap",
             color="#ff7f0e", linestyle="--")
    if plans:
        top.plot([p[0] for p in plans], [0.3] * len(plans), "|", color="#2ca02c", markersize=12, label="plan run (push)")
    kinds = [Patch(color=COLOURS[k], alpha=0.4, label=k) for k in COLOURS if k in summary["faults"]]
    top.legend(handles=top.get_legend_handles_labels()[0] + kinds, loc="upper left", fontsize=7, ncol=4)
    top.set_ylabel("ports")
    top.set_title(f"Troxileia chaos soak: {summary['seconds']:.0f} s, {summary['cycles']} faults, "
                  f"{summary['pushes']} pushes, convergence p50 {_seconds(summary['convergence']['p50']).strip()} s / "
                  f"max {_seconds(summary['convergence']['max']).strip()} s")
    fds = bottom.twinx()
    for (name, start), series in sorted(figures.items()):
        colour = "#1f77b4" if name.endswith("0") else "#d62728"
        bottom.plot([s[0] for s in series], [s[1] / MIB for s in series], color=colour, lw=1,
                    label=f"{name} RSS" if start == 1 else None)
        fds.plot([s[0] for s in series], [s[2] for s in series], color=colour, lw=1, linestyle=":",
                 label=f"{name} fds" if start == 1 else None)
    bottom.set_ylabel("resident MiB")
    fds.set_ylabel("open descriptors")
    bottom.set_xlabel("seconds since the replicas started")
    lines = bottom.get_legend_handles_labels()
    more = fds.get_legend_handles_labels()
    bottom.legend(lines[0] + more[0], lines[1] + more[1], loc="upper left", fontsize=7, ncol=4)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
