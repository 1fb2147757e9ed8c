import KubeAPI
import Logging
import Synchronization
import Webhook

/// The periodic sweep of old port claims (issue 17): claims only bridge admission and every
/// replica's node list, so once older than `--reservation-ttl` they are removed and, at rest,
/// there are none.
///
/// Runs on the leader when there is leader election; a replica without it (webhook only, or
/// `--leader-elect=false`) sweeps by itself, which is safe because every removal carries the
/// claim's resourceVersion as a precondition.
struct ClaimSweep: Sendable {
    /// The claims to sweep.
    let claims: LeasePortClaims
    /// `--reservation-ttl`: claims older than this are removed.
    let ttl: Duration
    /// Whether this replica sweeps now (the leader; always `true` without leader election).
    let isLeader: @Sendable () -> Bool
    /// Counts passes and removals.
    let metrics: WebhookMetrics
    /// For a failing sweep, once per episode.
    let logger: Logger

    /// Time between passes: half the TTL (at least a second), so a claim lives at most 1.5 TTL.
    var interval: Duration { max(.seconds(1), ttl / 2) }

    /// Sweeps every `interval` until cancelled.
    func run() async {
        let failing = Mutex(false)
        let (metrics, logger) = (self.metrics, self.logger)
        await claims.sweepPeriodically(every: interval, olderThan: ttl, isLeader: isLeader) { outcome in
            switch outcome {
            case .success(let result):
                metrics.portClaimsSwept(removed: result.removed, failed: false)
                if result.removed > 0 {
                    logger.debug("removed old port claims", metadata: ["claims.removed": "\(result.removed)",
                                                                       "claims.examined": "\(result.examined)"])
                }
                failing.withLock { $0 = false }
            case .failure(let error):
                metrics.portClaimsSwept(removed: 0, failed: true)
                // Once per episode: a sweep that keeps failing (RBAC, API down) would flood the log.
                let firstFailure = failing.withLock { wasFailing in
                    defer { wasFailing = true }
                    return !wasFailing
                }
                if firstFailure {
                    logger.warning("failed to sweep old port claims", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
