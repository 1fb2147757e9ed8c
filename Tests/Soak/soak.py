"""The chaos soak (issue 13): two `troxileia run` replicas against the API stand-in and the GigaVUE
simulator on loopback, while a driver keeps changing labels and injects faults at random. Checked
throughout and at the end: the tap converges to the desired set the driver computes on its own, no two
replicas ever push at once, nothing invalid, duplicate or excluded stays on the tap, memory and
descriptors stay flat, no secret shows in any log. Prints a table, writes a JSON summary and a PNG
timeline.

    python Tests/Soak/soak.py --seconds 600 --png docs/soak-timeline.png     (make soak SOAK_SECONDS=600)
"""
import argparse, json, os, random, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "EndToEnd"))

from chaos import Churn, Faults, TAP_PASSWORD, WRONG_PASSWORD, initial_objects, pause  # noqa: E402
from lab import Lab  # noqa: E402
from model import pending_pod_deadline  # noqa: E402
from observer import Observer  # noqa: E402
import report  # noqa: E402

POD_TIMEOUT = 4.0
REPLICA_FLAGS = ("--debounce", "300ms", "--debounce-max", "2s", "--resync-interval", "20s",
                 "--lease-duration", "3s", "--lease-renew-deadline", "2s", "--lease-retry-period", "500ms",
                 "--pod-not-ready-timeout", "4s", "--tap-connect-timeout", "5s", "--tap-command-timeout", "5s",
                 "--tap-push-timeout", "20s")
# After the churn stops: debounce-max (2 s) + one push (a few seconds on the simulator) + slack.
FINAL_BOUND = 15.0
# A fault can hold convergence back for longer (a killed leader's Lease expires, backoff after a
# wrong password), but never unboundedly.
CYCLE_BOUND = 90.0
MAX_CYCLES = 500


def converge(observer, stopped_at, bound):
    """Seconds from `stopped_at` (or the last pending pod timeout after it) until the tap equals the
    desired set; (None, last mismatch) when `bound` passes first. Checks forbidden ports at that moment."""
    objects = observer.objects()
    settle = max(stopped_at, pending_pod_deadline(objects[1], time.time(), POD_TIMEOUT)) if objects else stopped_at
    deadline = time.time() + bound
    mismatch = None
    while time.time() < deadline:
        now = observer.desired_now()
        try:
            tap = observer.lab.tap_ports()
        except (OSError, ValueError, KeyError):
            tap = None
        if now and tap is not None and time.time() >= settle:
            wanted, forbidden = now
            if sorted(tap) == sorted(wanted):
                return max(0.0, time.time() - settle), sorted(set(tap) & forbidden)
            mismatch = {"tap": sorted(tap), "desired": wanted}
        pause(0.1)
    return None, mismatch


def overlapping(plans):
    """Pairs of plans that ran at the same time (two pushers)."""
    return [(a, b) for a, b in zip(plans, plans[1:]) if b[0] < a[1]]


def secrets_in_logs(lab, secrets):
    found = []
    for name in sorted(os.listdir(lab.work)):
        if name.endswith(".log"):
            with open(os.path.join(lab.work, name), errors="replace") as f:
                text = f.read()
            found += [f"{name}: secret #{i}" for i, secret in enumerate(secrets) if secret.strip() in text]
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--png", default=os.path.join(".build", "soak", "soak-timeline.png"))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the lab's folder and logs")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    secrets = ["soak-token-0-initial", TAP_PASSWORD, WRONG_PASSWORD]
    nodes, pods = initial_objects()
    lab = Lab(nodes, pods, keep=args.keep, token=secrets[0])
    failures, cycles = [], []
    try:
        lab.start_simulator()
        lab.start_standin()
        for _ in range(2):
            lab.start_troxileia(*REPLICA_FLAGS)
        started, wall_started = time.monotonic(), time.time()
        observer = Observer(lab, POD_TIMEOUT, started, max_samples=int(args.seconds * 2 + 600))
        observer.start()
        churn, faults = Churn(lab, rng), Faults(lab, rng, secrets)
        first, _ = converge(observer, time.time(), CYCLE_BOUND)
        if first is None:
            failures.append("the replicas never converged at the start")
        kinds = []
        while time.monotonic() - started < args.seconds and len(cycles) < MAX_CYCLES:
            if not kinds:
                kinds = rng.sample(Faults.KINDS, len(Faults.KINDS))
            kind = kinds.pop()
            began = time.monotonic() - started
            token = faults.start(kind)
            actions = []
            for _ in range(rng.randint(2, 5)):
                pause(rng.uniform(0.3, 1.2))
                actions.append(churn.step())
            pause(rng.uniform(0.5, 3.0))
            faults.end(kind, token)
            # One more change as the fault lifts, so convergence is timed from a change of the desired set.
            churn.move()
            actions.append("move")
            ended = time.monotonic() - started
            seconds, detail = converge(observer, time.time(), CYCLE_BOUND)
            cycles.append({"kind": kind, "start": began, "end": ended, "converged": seconds, "actions": actions})
            if seconds is None:
                failures.append(f"no convergence within {CYCLE_BOUND:.0f} s after {kind} at {ended:.0f} s: {detail}")
            elif detail:
                failures.append(f"ports of left-out nodes on the tap after {kind}: {detail}")
        # The churn has stopped: one last change set, then the bound of debounce + one push + slack.
        for _ in range(3):
            churn.step()
        final, detail = converge(observer, time.time(), FINAL_BOUND)
        if final is None:
            failures.append(f"the tap did not converge within {FINAL_BOUND:.0f} s after the churn stopped: {detail}")
        pause(2)
        if observer.desired_now() and sorted(lab.tap_ports()) != sorted(observer.desired_now()[0]):
            failures.append("the tap moved away from the desired set after converging")
        observer.stop()
        plans = [(a - wall_started, b - wall_started) for a, b in observer.plans()]
        if clash := overlapping(plans):
            failures.append(f"two plans ran at once: {clash[:3]}")
        failures += report.growth_failures(observer.figures)
        failures += secrets_in_logs(lab, secrets)
        summary = report.summary(seed, args.seconds, cycles, final, plans, observer.figures, lab)
        report.print_table(summary)
        report.draw(args.png, observer.samples, plans, cycles, observer.figures, summary)
        with open(os.path.splitext(args.png)[0] + ".json", "w") as f:
            json.dump({**summary, "failures": failures}, f, indent=2)
    except Exception as error:  # noqa: BLE001 -- any crash of the driver is a soak failure, with the logs kept
        failures.append(f"the soak itself failed: {error!r}")
        lab.keep = True
    finally:
        lab.keep = lab.keep or bool(failures)
        lab.stop()
    for failure in failures:
        print(f"FAIL: {failure}")
    if failures:
        print(f"logs kept in {lab.work} (seed {seed})")
    print("soak " + ("failed" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
