import FoundationEssentials
import TroxileiaCore

extension KubeTime {
    /// The wall clock now: the one place the program reads it (Event times, Lease renewals, the
    /// reconciler's pod ages through `SystemReconcilerClock`). `TroxileiaCore` stays clock-free.
    public static var wallNow: KubeTime { KubeTime(secondsSinceEpoch: Date().timeIntervalSince1970) }
}
