import HTTPServerCore
import Logging
import TroxileiaCore

/// Turns an AdmissionReview body into the response: decode, decide (TroxileiaCore's policy
/// against the node inventory and this replica's reservations), take the port's claim across
/// replicas when the request gives its node a new port, encode.
public final class AdmissionHandler: Sendable {
    private let policy: AdmissionPolicy
    private let inventory: any NodeInventory
    private let reservations: PortReservations
    private let claims: PortClaimGate?
    private let metrics: WebhookMetrics
    private let logger: Logger
    private let tapPorts: TapPortCatalog?

    /// - Parameters:
    ///   - claims: the claim store's gate; `nil` (a `--nodes-file` trial) decides on this replica's
    ///     reservations alone.
    ///   - tapPorts: (issue 15) adds a warning when a claimed port is not among the tap's ports.
    public init(policy: AdmissionPolicy, inventory: any NodeInventory, reservations: PortReservations,
                claims: PortClaimGate? = nil, metrics: WebhookMetrics, logger: Logger, tapPorts: TapPortCatalog? = nil) {
        self.policy = policy
        self.inventory = inventory
        self.reservations = reservations
        self.claims = claims
        self.metrics = metrics
        self.logger = logger
        self.tapPorts = tapPorts
    }

    /// The HTTP answer to one review body: 200 with an AdmissionReview, or 400 with `{"error":…}`.
    /// A request that claims a port (not a dry run) is answered later, off the event loop, once
    /// the claim is taken or refused, and `answeredLater` gets its status just before it is sent; every other
    /// request is answered at once.
    public func respond(toBody body: [UInt8], answeredLater: @escaping @Sendable (Int) -> Void = { _ in }) -> HTTPResponse {
        let review: AdmissionReview
        do {
            review = try AdmissionReview.decode(body)
        } catch {
            logger.warning("rejected malformed AdmissionReview", metadata: ["error": "\(error)"])
            return .json(400, AdmissionResponseEncoder.error(error.description))
        }
        let decision = decide(review)
        guard let claims, !review.dryRun, decision.isAllowed, let port = decision.claimedPort else {
            return finish(review, decision)
        }
        let node = Self.nodeName(review)
        let deferred = HTTPDeferredResponse()
        Task {
            let confirmed = await claims.confirm(decision, port: port, node: node, policy: policy)
            if !confirmed.isAllowed || confirmed.claimedPort == nil { reservations.release(port, for: node) }
            let response = finish(review, confirmed)
            answeredLater(response.status)
            deferred.complete(response)
        }
        return .later(deferred)
    }

    private func finish(_ review: AdmissionReview, _ decision: AdmissionDecision) -> HTTPResponse {
        metrics.decisionMade(decision, dryRun: review.dryRun)
        log(review, decision)
        return .json(200, AdmissionResponseEncoder.encode(review: review, decision: decision))
    }

    private static func nodeName(_ review: AdmissionReview) -> String { review.name ?? review.object?.name ?? "" }

    /// The decision for a decoded review. Reviews this webhook has no opinion on (another
    /// resource, DELETE, CONNECT) are allowed untouched: a misconfigured registration must not
    /// block the cluster.
    func decide(_ review: AdmissionReview) -> AdmissionDecision {
        guard review.resource == nil || review.resource == "nodes",
              review.objectKind == nil || review.objectKind == "Node",
              let operationText = review.operation, let operation = AdmissionRequest.Operation(rawValue: operationText),
              let object = review.object else {
            return .allowed()
        }
        let keys = policy.keys
        let nodeName = Self.nodeName(review)
        // An UPDATE without oldObject cannot ratchet: every value is judged, the safe side.
        let old = operation == .update ? review.oldObject.map { $0.sensorLabels(keys) } : nil
        let request = AdmissionRequest(operation: operation, nodeName: nodeName, oldLabels: old,
                                       newLabels: object.sensorLabels(keys),
                                       isFromNode: AdmissionRequest.isNodeIdentity(groups: review.groups))
        let index = inventory.portIndex()
        var decision = reservations.decide(now: .now, index: index, node: nodeName, reserve: !review.dryRun) { ports in
            policy.decide(request, ports: ports)
        }
        if let port = decision.claimedPort, let warning = tapPorts?.warning(node: nodeName, port: port) {
            decision.warnings.append(warning)
        }
        return decision
    }

    private func log(_ review: AdmissionReview, _ decision: AdmissionDecision) {
        // Building the metadata costs more than the decision; skip it when nothing would print.
        let level: Logger.Level = decision.denial != nil || !decision.warnings.isEmpty ? .info : .debug
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "admission.uid": "\(review.uid)", "node.name": "\(review.name ?? review.object?.name ?? "")",
            "admission.operation": "\(review.operation ?? "")", "admission.dry_run": "\(review.dryRun)",
        ]
        if let subResource = review.subResource { metadata["admission.subresource"] = "\(subResource)" }
        if let denial = decision.denial {
            metadata["admission.reason"] = "\(denial.reason.rawValue)"
            metadata["admission.message"] = "\(denial.message)"
            logger.info("denied node label change", metadata: metadata)
        } else if !decision.warnings.isEmpty {
            metadata["admission.warnings"] = "\(decision.warnings.joined(separator: " | "))"
            logger.info("allowed node label change with warnings", metadata: metadata)
        } else {
            logger.debug("allowed node change", metadata: metadata)
        }
    }
}
