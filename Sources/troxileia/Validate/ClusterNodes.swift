import Dispatch
import KubeAPI
import Logging
import Synchronization
import TroxileiaCore

/// The cluster's nodes for `validate --cluster`: every page of the node list, as metadata only
/// (`NodeCodec`, the `PartialObjectMetadata` list `run` reads too), through `ClusterReader`.
enum ClusterNodes {
    /// The cluster could not be reached or listed.
    struct ReadError: Error, CustomStringConvertible {
        let cause: String
        var description: String { "cannot read the nodes from the cluster: \(cause)" }
    }

    /// Lists the nodes of the cluster `connection` names, waiting on the calling thread.
    ///
    /// `validate` is a synchronous command: it runs on the main thread, which is not one of the
    /// Swift concurrency pool's threads, so blocking it while the list runs in a task cannot starve
    /// the pool. Must not be called from async code.
    static func read(_ connection: ConnectionOptions) throws(ReadError) -> [NodeRecord] {
        let client: KubeClient
        let namespace: String
        do {
            (client, namespace, _) = try connection.client(logger: Logger(label: "troxileia") { _ in SwiftLogNoOpLogHandler() })
        } catch {
            throw ReadError(cause: "\(error)")
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let nodes = try await ClusterReader(client: client, namespace: namespace).listAll(.nodes, as: NodeCodec.self)
                outcome.result.withLock { $0 = .success(nodes) }
            } catch {
                outcome.result.withLock { $0 = .failure(ReadError(cause: "\(error)")) }
            }
            done.signal()
        }
        done.wait()
        switch outcome.result.withLock({ $0 }) {
        case .success(let nodes): return nodes
        case .failure(let error): throw error
        case nil: throw ReadError(cause: "the list ended without a result")
        }
    }

    /// The task's result, handed to the waiting thread.
    private final class Outcome: Sendable {
        let result = Mutex<Result<[NodeRecord], ReadError>?>(nil)
    }
}
