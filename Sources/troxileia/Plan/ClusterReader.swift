import FoundationEssentials
import KubeAPI
import Reconciler
import TroxileiaCore

/// One-shot reads of the cluster for `plan` and `doctor`: every page of a list, and the status ConfigMap.
struct ClusterReader {
    let client: KubeClient
    let namespace: String

    /// Every item of `location`, page by page.
    func listAll<Codec: ResourceCodec>(_ location: ResourceLocation, as codec: Codec.Type) async throws(KubeAPIError) -> [Codec.Value] {
        var items: [Codec.Value] = []
        var token: String?
        repeat {
            let page = try await client.list(location, as: codec, limit: 500, continueToken: token)
            items += page.items.map(\.value)
            token = page.continueToken
        } while token != nil
        return items
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
