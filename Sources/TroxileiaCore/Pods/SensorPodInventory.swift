/// The sensor pods as the reconciler reads them (DESIGN.md "Pod health"): the pod counterpart of
/// `NodeInventory`. KubeAPI's pod store conforms; tests substitute their own.
public protocol SensorPodInventory: Sendable {
    /// The sensor pods now. Cheap and non-blocking (at most a short lock), callable from any thread.
    func sensorPods() -> [PodRecord]
    /// `true` once the first full list has been loaded; nothing may be pushed before.
    var isSynced: Bool { get }
    /// A value after every change (the current one first), newest only: level-based consumers
    /// re-read `sensorPods()` and never need the intermediate states.
    func changes() -> AsyncStream<Int>
}
