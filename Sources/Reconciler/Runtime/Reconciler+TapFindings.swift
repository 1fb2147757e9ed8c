import GigaVUE
import TroxileiaCore

/// What a push learnt about the tap beyond its set (issue 15): ports left out, the chassis ports, an
/// in-place refusal and the dark time.
extension Reconciler {
    /// Reports `push`'s findings: a Warning Event on each node whose port was newly left out (or left
    /// out for another reason), a status line per left-out port, the tap's ports for the webhook, the
    /// in-place refusal (log, metric, tap Event) and the dark-time histogram.
    func recordFindings(_ push: TapPushResult) {
        if let ports = push.chassisPorts { status.tapPorts = ports }
        var lines: [String] = []
        for rejection in push.rejected {
            let nodes = nodesLabelled(rejection.port)
            lines += nodes.isEmpty ? [rejection.description] : nodes.map { "\($0.name): \(rejection.description)" }
            guard tapRejections[rejection.port] != rejection else { continue }
            logger.warning("tap port left out", metadata: ["tap.port": "\(rejection.port.cliName)", "reason": "\(rejection)"])
            guard isLeader, let reporter else { continue }
            let reason: NodeEvent.Reason = rejection.eventReason == "TapPortUnknown" ? .tapPortUnknown : .tapPortRefused
            for node in nodes {
                reporter.record(NodeEvent(node: node.name, nodeUID: node.uid, type: .warning, reason: reason,
                                          message: rejection.description + "; the other sensors keep their traffic"))
            }
        }
        tapRejections = Dictionary(push.rejected.map { ($0.port, $0) }, uniquingKeysWith: { first, _ in first })
        status.rejected = lines
        metrics?.rejectedPorts(push.rejected.count)
        if let refusal = push.inPlaceRefusal {
            let note = "the tap refused an in-place update (\(refusal)); this push finished with the rebuild plan "
                + "and later pushes rebuild until troxileia restarts"
            logger.warning("tap refused an in-place update", metadata: ["tap.answer": "\(refusal)"])
            metrics?.inPlaceRefused()
            reporter?.recordTap(warning: true, reason: "TapInPlaceRefused", note: note)
        }
        if push.changedDevice, let dark = push.longestDarkTime {
            metrics?.darkTime(dark)
        }
    }

    /// The sensor nodes whose port label names `port` and that are pushed, by name.
    private func nodesLabelled(_ port: TapPort) -> [DesiredState.Node] {
        state.holders(of: port).compactMap { state.standing(of: $0) }.filter(\.isPushed)
    }
}
