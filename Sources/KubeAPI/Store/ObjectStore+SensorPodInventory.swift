import TroxileiaCore

/// The pod reflector's store is the reconciler's sensor pod inventory; `changes()` yields its version.
extension ObjectStore: SensorPodInventory where Value == PodRecord {
    public func sensorPods() -> [PodRecord] { Array(objects.values) }
}
