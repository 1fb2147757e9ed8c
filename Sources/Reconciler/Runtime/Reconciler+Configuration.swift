extension Reconciler {
    /// The reconciler's settings (DESIGN.md configuration table, `reconciler.*` and `sensorPods.*`).
    public struct Configuration: Sendable {
        /// `--pod-not-ready-timeout`, default 300 s: how long a sensor pod may stay not Ready before its
        /// node's port is taken out (the original tool's intent; DESIGN.md "Pod health").
        public var podNotReadyTimeout: Duration = .seconds(300)
        /// Debounce, retry backoff and resync timing (`--debounce`, `--debounce-max`, `--resync-interval`).
        public var scheduling = PushScheduler.Configuration()
        /// `--max-removal-fraction`, `--allow-large-removal` (DESIGN.md "Safety").
        public var removal = RemovalGuard.Configuration()

        /// DESIGN.md's defaults.
        public init() {}
    }
}
