import Foundation
import HTTPServerCore

extension StandInAPI {
    /// `GET` on a collection: one page, `metadata.continue` and `remainingItemCount` when more
    /// remain (list/nodes-list-limit2-page1.json); 410 for a compacted exact version or continue token.
    func list(_ path: APIPath, query: RequestQuery, request: HTTPRequest) -> HTTPResponse {
        let filter: WatchFilter
        switch Self.filter(path, query: query) {
        case .success(let value): filter = value
        case .failure(let status): return status.response
        }
        if let invalid = ListOptionsValidation.check(query, watch: false, watchListEnabled: true) { return invalid.response }
        let floor = store.floor(of: path.kind)
        if query["resourceVersionMatch"] == "Exact", let version = Int(query["resourceVersion"] ?? ""), version < floor {
            return StatusBody.listTooOld.response
        }
        var start = ""
        var snapshot = store.resourceVersion
        if let token = query["continue"], !token.isEmpty {
            guard let position = ContinueToken.decode(token) else {
                return StatusBody.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)").response
            }
            if position.resourceVersion < floor {
                var status = StatusBody(code: 410, reason: "Expired", message: ContinueToken.expiredMessage)
                status.continueToken = ContinueToken.encode(resourceVersion: -1, start: position.start)
                return status.response
            }
            start = position.start
            snapshot = position.resourceVersion
        }
        let limit = Int(query["limit"] ?? "").map { min(max($0, 0), Self.maxLimit) } ?? 0
        // kube-apiserver counts the rest only when no selector filtered the list.
        let countRest = filter.selector.requirements.isEmpty && filter.name == nil
        let (page, rest) = store.page(path.kind, namespace: path.namespace, filter: filter, from: start, limit: limit,
                                      countRest: countRest)
        let metadataOnly = Self.wantsMetadata(request, list: true)
        var metadata: [(String, JSONValue)] = [("resourceVersion", .string(String(snapshot)))]
        if rest > 0, let last = page.last {
            metadata.append(("continue", .string(ContinueToken.encode(resourceVersion: snapshot, start: last.key + "\u{0}"))))
            if countRest { metadata.append(("remainingItemCount", .int(rest))) }
        }
        var body = Array("{\"kind\":".utf8)
        body.reserveCapacity(page.reduce(256) { $0 + $1.bytes.count + 1 })
        JSONValue.string(metadataOnly ? "PartialObjectMetadataList" : path.kind.listKind).write(to: &body)
        body += Array(",\"apiVersion\":".utf8)
        JSONValue.string(metadataOnly ? "meta.k8s.io/v1" : path.kind.apiVersion).write(to: &body)
        body += Array(",\"metadata\":".utf8)
        JSONValue.object(metadata).write(to: &body)
        body += Array(",\"items\":[".utf8)
        for (index, object) in page.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            object.appendListItem(to: &body, metadataOnly: metadataOnly, kind: path.kind)
        }
        body += Array("]}".utf8)
        return .kube(200, body)
    }

    /// The selection a list or watch asks for; 400 for a selector that does not parse or a field
    /// selector other than `metadata.name=…`/`metadata.namespace=…`.
    static func filter(_ path: APIPath, query: RequestQuery) -> Result<WatchFilter, StatusBody> {
        var filter = WatchFilter(namespace: path.namespace, selector: .everything, name: nil)
        do {
            filter.selector = try LabelSelector.parse(query["labelSelector"] ?? "")
        } catch {
            return .failure(.badRequest(error.message))
        }
        for term in (query["fieldSelector"] ?? "").split(separator: ",") {
            let parts = term.replacingOccurrences(of: "==", with: "=").split(separator: "=", maxSplits: 1).map(String.init)
            switch (parts.first, parts.count) {
            case ("metadata.name", 2): filter.name = parts[1]
            case ("metadata.namespace", 2): filter.namespace = parts[1]
            default:
                return .failure(.badRequest("field label not supported: \(parts.first ?? "")"))
            }
        }
        return .success(filter)
    }
}

/// The `continue` token: URL-safe base64 without padding of
/// `{"v":"meta.k8s.io/v1","rv":349,"start":"sensor-02\u0000"}` (list/nodes-list-limit2-page1.json).
enum ContinueToken {
    static let expiredMessage = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."

    static func encode(resourceVersion: Int, start: String) -> String {
        let json = JSONValue.object([("v", .string("meta.k8s.io/v1")), ("rv", .int(resourceVersion)), ("start", .string(start))])
        return Data(json.bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The snapshot version and start key, or nil for a token that is not ours. A leading `/`
    /// (kube-apiserver writes `/sensor-02\u0000`) is dropped.
    static func decode(_ token: String) -> (resourceVersion: Int, start: String)? {
        guard token.utf8.count <= 4096 else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let json = try? JSONParser.parse(Array(data)),
              case .number(let text)? = json["rv"], let version = Int(text), var start = json["start"]?.stringValue else { return nil }
        if start.hasPrefix("/") { start.removeFirst() }
        return (version, start)
    }
}
