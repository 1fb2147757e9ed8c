import TroxileiaCore

/// DESIGN.md "Pod health" as a pure function of the pods, the timeouts and the wall clock: a node
/// is left out when any of its counted sensor pods has had Ready ≠ True for at least its timeout.
///
/// Stateless on purpose (issue 6: "timers re-derived from timestamps after reconnects and restarts"):
/// the not-Ready time is counted from the API server's timestamps, never from when we saw the pod,
/// so a pod already failing when Troxileia starts counts from its transition. The rules, each with
/// its source:
/// - Counted pods: scheduled (`spec.nodeName` set), not being deleted, phase neither `Succeeded` nor
///   `Failed` (DESIGN.md "Pod health": "Succeeded/Failed/deleted pods don't count"). An unscheduled
///   pod runs nowhere, so it cannot say anything about a node.
/// - Ready ≠ True means `False`, `Unknown`, or no Ready condition yet.
/// - Counted from the later of creation and the Ready condition's last transition; with no Ready
///   condition, from creation (DESIGN.md).
/// - Missing timestamps (decision; the API server always sets both, so only a broken source lacks
///   them): a pod whose start cannot be dated — no creation time and no transition time, or a Ready
///   condition without its transition time — never leaves its node out. Counting from "now" would be
///   the same (the clock would restart on every evaluation); counting from creation alone could remove
///   a long-lived pod the instant it turns not Ready. Removing a sensor interrupts traffic, so doubt keeps it.
/// - Boundary (decision): out once the not-Ready time reaches the timeout (`>=`), so `nextChange` is
///   exactly the instant the verdict flips and a re-check then sees the change. Timeout 0 therefore
///   leaves a node out as soon as a pod is not Ready.
/// - Clock skew: a timestamp in the future (the API server's clock ahead of ours) only delays the
///   removal by the skew, never hastens it; `nextChange` still points at its expiry.
/// - Pods are tracked by UID: when the input holds one UID twice, the later record wins; a pod
///   recreated under its old name is a new pod with its own timestamps.
public struct PodHealthRule: Hashable, Sendable {
    /// `--pod-not-ready-timeout`, default 300 s (DESIGN.md "Configuration"): long enough for a sensor
    /// pod's rolling restart, short enough that a dead sensor does not drop traffic for long.
    /// A negative value counts as zero.
    public var defaultTimeout: Duration

    /// A rule with the given default timeout.
    public init(defaultTimeout: Duration = .seconds(300)) {
        self.defaultTimeout = defaultTimeout
    }

    /// The verdict for `pods` at `now`.
    /// - Parameters:
    ///   - pods: the sensor pods as the store holds them.
    ///   - timeouts: per-node timeouts (`NodeOverrides.podNotReadyTimeout`); other nodes use `defaultTimeout`.
    ///   - now: the wall clock, comparable to the API server's timestamps.
    public func evaluate(pods: some Sequence<PodRecord>, timeouts: [String: Duration] = [:], now: KubeTime) -> PodHealth {
        var byUID: [String: PodRecord] = [:]
        for pod in pods { byUID[pod.uid.isEmpty ? "\(pod.namespace)/\(pod.name)" : pod.uid] = pod }
        var failing: [String: [PodHealth.FailingPod]] = [:]
        var nextChange: KubeTime?
        for pod in byUID.values {
            guard let node = pod.nodeName, !node.isEmpty, Self.counts(pod), pod.ready != .ready,
                  let since = Self.notReadySince(pod) else { continue }
            let timeout = max(timeouts[node] ?? defaultTimeout, .zero)
            let expiry = since.adding(seconds: Self.seconds(timeout))
            guard now >= expiry else {
                nextChange = min(nextChange ?? expiry, expiry)
                continue
            }
            let elapsed = Duration.milliseconds(Int64(((now.secondsSinceEpoch - since.secondsSinceEpoch) * 1000).rounded(.down)))
            failing[node, default: []].append(PodHealth.FailingPod(
                namespace: pod.namespace, name: pod.name, uid: pod.uid, node: node, readiness: pod.ready,
                notReadySince: since, notReadyFor: max(elapsed, .zero), timeout: timeout))
        }
        for node in failing.keys {
            failing[node]?.sort { ($0.namespace, $0.name, $0.uid) < ($1.namespace, $1.name, $1.uid) }
        }
        return PodHealth(failingPods: failing, nextChange: nextChange)
    }

    /// Whether a pod takes part at all: not terminating and not finished.
    static func counts(_ pod: PodRecord) -> Bool {
        !pod.isTerminating && pod.phase != "Succeeded" && pod.phase != "Failed"
    }

    /// The instant the not-Ready time counts from, or `nil` when it cannot be dated (see the type's doc).
    static func notReadySince(_ pod: PodRecord) -> KubeTime? {
        guard pod.ready != nil else { return pod.createdAt }
        guard let transition = pod.readySince else { return nil }
        guard let created = pod.createdAt else { return transition }
        return max(created, transition)
    }

    /// A duration in seconds, with the fraction.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
