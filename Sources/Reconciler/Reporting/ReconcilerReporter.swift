/// Where the reconciler's results go (DESIGN.md "Shared contracts"): Node Events, tap Events and the
/// status ConfigMap. `KubeReporter` writes them to the cluster; tests record them.
public protocol ReconcilerReporter: Sendable {
    /// Records an Event about a Node (never blocks: the recorder queues it).
    func record(_ event: NodeEvent)
    /// Records a tap Event (`TapReconfigured`, `TapPushFailed`, `LargeRemovalHeld`); never blocks.
    func recordTap(warning: Bool, reason: String, note: String)
    /// Writes the status ConfigMap; failures are logged, never thrown (the status is informational).
    func publish(_ status: ReconcilerStatus) async
}
