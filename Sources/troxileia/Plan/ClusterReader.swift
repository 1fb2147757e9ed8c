import FoundationEssentials
import KubeAPI
import Reconciler
import TroxileiaCore

/// One-shot reads of the cluster for `plan` and `doctor`: every page of a list, and the status ConfigMap.
struct ClusterReader {
    let client: KubeClient
    let namespace: String

    /// Every item of `location`, page by page; each next page is requested while the current one
    /// is decoded (as the reflector does), so a 5,000-node list costs ten round trips' transfer
    /// time, not that plus ten decodes.
    func listAll<Codec: ResourceCodec>(_ location: ResourceLocation, as codec: Codec.Type) async throws(KubeAPIError) -> [Codec.Value] {
        var items: [Codec.Value] = []
        var body = try await client.listBody(location, limit: Self.pageSize, continueToken: nil)
        while true {
            let token = ListPage<Codec.Value>.continueToken(of: body)
            async let ahead = Self.page(client, location, after: token)
            items += try ListPage.decode(body, as: codec).items.map(\.value)
            let next: [UInt8]?
            // `async let` forgets the typed error; it is a KubeAPIError all the same.
            do { next = try await ahead } catch { throw error as? KubeAPIError ?? .transport(operation: "list", reason: "\(error)") }
            guard let next else { return items }
            body = next
        }
    }

    /// Items per page (client-go's default).
    static let pageSize = 500

    private static func page(_ client: KubeClient, _ location: ResourceLocation, after token: String?) async throws(KubeAPIError) -> [UInt8]? {
        guard let token else { return nil }
        return try await client.listBody(location, limit: pageSize, continueToken: token)
    }

    /// The status ConfigMap, `nil` when it does not exist.
    func status() async throws(KubeAPIError) -> ReconcilerStatus? {
        let path = "/api/v1/namespaces/\(KubeClient.escapePathSegment(namespace))/configmaps/\(ReconcilerStatus.configMapName)"
        do {
            let response = try await client.send(KubeRequest(path: path))
            let object = try? JSONDecoder().decode(ConfigMapData.self, from: Data(response.body))
            return ReconcilerStatus(data: object?.data ?? [:])
        } catch .status(let status) where status.code == 404 {
            return nil
        }
    }
}

/// The part of a ConfigMap the status needs: its string data (a ConfigMap that is not one reads as empty).
private struct ConfigMapData: Decodable {
    var data: [String: String]?
}
