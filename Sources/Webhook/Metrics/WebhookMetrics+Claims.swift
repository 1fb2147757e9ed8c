import Prometheus
import TroxileiaCore

extension WebhookMetrics {
    /// Counts one port claim by its outcome (`taken`, `refreshed`, `taken_over`, `conflict`,
    /// `failed`) and records how long it took.
    func portClaimed(_ outcome: PortClaimOutcome, duration: Duration) {
        let result = switch outcome {
        case .taken: "taken"
        case .refreshed: "refreshed"
        case .takenOver: "taken_over"
        case .held: "conflict"
        case .failed: "failed"
        }
        counter("claims|\(result)") {
            registry.makeCounter(descriptor: Self.name("port_claims", unit: "total", help: "Port claims asked of the API server, by outcome."),
                                 labels: [("result", result)])
        }.increment()
        claimDuration.record(duration)
    }

    /// Counts one admission let through on the in-process reservation alone (`--claim-failure allow`).
    func portClaimFellBack() {
        counter("claims|fallback") {
            registry.makeCounter(descriptor: Self.name("port_claim_fallbacks", unit: "total",
                                                       help: "Admissions let through on this replica's reservation alone because the claim could not be recorded (--claim-failure allow)."))
        }.increment()
    }

    /// Counts one sweep pass (`success` or `failure`) and the claims it removed.
    public func portClaimsSwept(removed: Int, failed: Bool) {
        let result = failed ? "failure" : "success"
        counter("sweeps|\(result)") {
            registry.makeCounter(descriptor: Self.name("port_claim_sweeps", unit: "total", help: "Sweep passes over old port claims, by result."),
                                 labels: [("result", result)])
        }.increment()
        counter("swept") {
            registry.makeCounter(descriptor: Self.name("port_claims_swept", unit: "total", help: "Old port claims removed by the sweep."))
        }.increment(by: Int64(removed))
    }
}
