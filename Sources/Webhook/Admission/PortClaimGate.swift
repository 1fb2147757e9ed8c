import FoundationEssentials
import Logging
import TroxileiaCore

/// Makes "at most one of two racing requests for one port is admitted" hold across webhook
/// replicas: before a request that gives its node a new port is admitted, the port's claim is
/// taken in the API server (``PortClaimStore``), which every replica asks.
///
/// Only requests whose decision claims a port (`AdmissionDecision.claimedPort`) and that are not
/// dry runs come here; every other request is answered without it.
public final class PortClaimGate: Sendable {
    /// What to do when the claim cannot be recorded (`--claim-failure`).
    public enum FailurePolicy: String, Sendable, CaseIterable {
        /// Deny with a message that says to retry (the default: a duplicate port is what the
        /// webhook exists to prevent).
        case deny
        /// Admit on this replica's in-process reservation alone, and count it
        /// (`troxileia_webhook_port_claim_fallbacks_total`).
        case allow
    }

    /// The gate's settings.
    public struct Configuration: Sendable {
        /// `--reservation-ttl` (default 10 s): a claim younger than this keeps its port even when
        /// the node list does not show its node with it yet.
        public var ttl: Duration = .seconds(10)
        /// `--claim-failure` (default `deny`).
        public var onFailure: FailurePolicy = .deny
        /// The clock claims are aged by (tests pass a fake one; default: the wall clock, which
        /// the replicas share through NTP as kube-apiserver's Lease users do).
        public var wallClock: @Sendable () -> KubeTime = { KubeTime(secondsSinceEpoch: Date().timeIntervalSince1970) }

        /// The defaults.
        public init(ttl: Duration = .seconds(10), onFailure: FailurePolicy = .deny) {
            self.ttl = ttl
            self.onFailure = onFailure
        }
    }

    private let store: any PortClaimStore
    private let inventory: any NodeInventory
    private let configuration: Configuration
    private let metrics: WebhookMetrics
    private let logger: Logger

    /// A gate over `store`, judging existing claims against `inventory`.
    public init(store: any PortClaimStore, inventory: any NodeInventory, configuration: Configuration,
                metrics: WebhookMetrics, logger: Logger) {
        self.store = store
        self.inventory = inventory
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// The final decision for `decision` (allowed, claiming `port` for `node`): unchanged when the
    /// claim is taken, refreshed or taken over; denied (a warning in warn mode) when another node
    /// holds it; per ``FailurePolicy`` when the API server cannot record it.
    func confirm(_ decision: AdmissionDecision, port: TapPort, node: String, policy: AdmissionPolicy) async -> AdmissionDecision {
        let inventory = self.inventory
        let ttl = configuration.ttl
        let clock = configuration.wallClock
        let started = ContinuousClock.now
        let outcome = await store.claim(port, for: node) { existing in
            PortClaim.judge(existing, claimant: node, index: inventory.portIndex(), now: clock(), ttl: ttl)
        }
        metrics.portClaimed(outcome, duration: .now - started)
        let denial: AdmissionDenial
        switch outcome {
        case .taken, .refreshed:
            return decision
        case .takenOver(let previous):
            logger.info("took over a stale port claim", metadata: [
                "node.name": "\(node)", "tap.port": "\(port.labelValue)", "claim.previous_holder": "\(previous)",
            ])
            return decision
        case .held(let holder, let carried):
            let finding = carried ? LabelRules.portTaken(node: node, key: policy.keys.port, port: port, holders: [holder])
                : LabelRules.portClaimed(node: node, key: policy.keys.port, port: port, holder: holder)
            denial = AdmissionDenial(reason: .duplicateTapPort, message: finding.message)
        case .failed(let cause):
            logger.warning("failed to record a port claim", metadata: [
                "node.name": "\(node)", "tap.port": "\(port.labelValue)", "error": "\(cause)",
                "claim.on_failure": "\(configuration.onFailure.rawValue)",
            ])
            if configuration.onFailure == .allow {
                metrics.portClaimFellBack()
                return decision
            }
            denial = AdmissionDenial(reason: .portClaimUnavailable, message:
                "node \(node): the claim on tap port \(port.labelValue) could not be recorded in the API server (\(cause)), "
                + "so the label was not changed; retry in a few seconds")
        }
        if policy.mode == .warn {
            return .allowed(warnings: ["would be denied in enforce mode: \(denial.message)"] + decision.warnings)
        }
        return .denied(denial, warnings: decision.warnings)
    }
}
