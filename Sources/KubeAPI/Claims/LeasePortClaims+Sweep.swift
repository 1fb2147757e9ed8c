import TroxileiaCore

extension LeasePortClaims {
    /// What one sweep pass did.
    public struct SweepResult: Sendable, Equatable {
        /// Claims examined (listed).
        public var examined = 0
        /// Claims removed.
        public var removed = 0
        /// Removals another writer beat us to (refreshed, taken over or removed meanwhile).
        public var skipped = 0
    }

    /// Removes claims older than `ttl`: by then every replica's node list shows the label they
    /// admitted (or the write failed), so the Node objects are the record. Reads at most
    /// `maxPages` pages of `pageSize` claims and removes at most `maxRemovals` per pass, so a pass
    /// is bounded whatever piled up; the next pass goes on. Each DELETE carries the claim's
    /// resourceVersion as a precondition: a claim refreshed or taken over meanwhile stays.
    /// - Throws: `KubeAPIError` when listing fails (a failed removal is skipped, not thrown).
    public func sweep(olderThan ttl: Duration, pageSize: Int = 100, maxPages: Int = 10,
                      maxRemovals: Int = 100) async throws(KubeAPIError) -> SweepResult {
        var result = SweepResult()
        var continueToken: String?
        let location = ResourceLocation(path: collectionPath, labelSelector: "\(Self.claimLabel)=\(Self.claimLabelValue)")
        for _ in 0..<max(1, maxPages) {
            let body = try await client.listBody(location, limit: max(1, pageSize), continueToken: continueToken)
            let page = try ListPage.decode(body, as: ClaimLeaseCodec.self)
            let now = wallClock()
            for item in page.items {
                result.examined += 1
                guard result.removed < maxRemovals else { return result }
                guard item.value.isOlder(than: ttl, at: now) else { continue }
                if try await remove(name: item.value.name, version: item.resourceVersion) {
                    result.removed += 1
                } else {
                    result.skipped += 1
                }
            }
            guard let next = page.continueToken else { break }
            continueToken = next
        }
        return result
    }

    /// Sweeps (``sweep(olderThan:pageSize:maxPages:maxRemovals:)``) every `interval` until the
    /// task is cancelled, in the passes where `isLeader()` is true, and hands each pass's result
    /// (or its listing error) to `onPass`. Returns when cancelled.
    public func sweepPeriodically(every interval: Duration, olderThan ttl: Duration, isLeader: @escaping @Sendable () -> Bool,
                                  onPass: @escaping @Sendable (Result<SweepResult, KubeAPIError>) -> Void) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            guard isLeader() else { continue }
            do {
                onPass(.success(try await sweep(olderThan: ttl)))
            } catch .cancelled {
                return
            } catch {
                onPass(.failure(error))
            }
        }
    }

    /// DELETE with a resourceVersion precondition; `false` when the claim changed or is gone.
    private func remove(name: String, version: String) async throws(KubeAPIError) -> Bool {
        var json = JSONWriter()
        json.raw(#"{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"#)
        json.field("resourceVersion", version)
        json.raw("}}")
        do {
            _ = try await client.send(write(.delete, path: "\(collectionPath)/\(KubeClient.escapePathSegment(name))", body: json.bytes))
            return true
        } catch .status(let status) where status.isConflict || status.isNotFound {
            return false
        } catch .cancelled {
            throw .cancelled
        } catch {
            logger.warning("failed to remove a port claim", metadata: ["lease.name": "\(name)", "error": "\(error)"])
            return false
        }
    }
}

/// A claim Lease as listed: its name, holder and when it was taken.
struct ClaimLeaseCodec: ResourceCodec {
    /// A listed claim.
    struct Value: Sendable, Hashable {
        /// The Lease's name.
        var name: String
        /// `spec.holderIdentity`: the node.
        var holder: String?
        /// `spec.renewTime`, else `spec.acquireTime`.
        var takenAt: KubeTime?

        /// Whether the claim is older than `ttl` at `now` (see ``PortClaim/isOlder(_:than:at:)``).
        func isOlder(than ttl: Duration, at now: KubeTime) -> Bool { PortClaim.isOlder(takenAt, than: ttl, at: now) }
    }

    /// The spec fields read so far.
    struct Partial {
        var holder: String?
        var acquireTime: KubeTime?
        var renewTime: KubeTime?
    }

    /// Nothing read yet.
    static func emptyPartial() -> Partial { Partial() }

    /// Reads `spec`'s holder and times; other members are skipped.

    static func read(_ key: String, _ skimmer: inout JSONSkimmer, into partial: inout Partial) throws(JSONSkimError) {
        guard key == "spec", try skimmer.peekKind() == .object else { return }
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            switch key {
            case "holderIdentity": partial.holder = try skimmer.readOptionalString()
            case "acquireTime": partial.acquireTime = try skimmer.readOptionalString().flatMap(KubeTime.init)
            case "renewTime": partial.renewTime = try skimmer.readOptionalString().flatMap(KubeTime.init)
            default: break
            }
        }
    }

    /// The listed claim.
    static func finish(_ metadata: ObjectMetadata, _ partial: Partial) -> Value {
        Value(name: metadata.name, holder: partial.holder, takenAt: partial.renewTime ?? partial.acquireTime)
    }

    /// Claims are keyed by name.
    static func key(_ metadata: ObjectMetadata) -> String { metadata.name }
}
