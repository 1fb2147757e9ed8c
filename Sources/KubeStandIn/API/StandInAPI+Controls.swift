import HTTPServerCore

extension StandInAPI {
    /// The scenario endpoints for the demo and benchmarks (all `POST` but `state`):
    /// - `/standin/compact[?resourceVersion=N]`: forget history up to N (default: all).
    /// - `/standin/drop-watches`: end every open watch.
    /// - `/standin/stall-watches`: make every open watch go silent without closing.
    /// - `/standin/fail?count=N&code=500|429|403|401&retryAfter=S[&path=PREFIX]`: fail the next N API
    ///   requests (only those whose path starts with PREFIX, when given).
    /// - `/standin/latency?ms=N`: delay every API answer by N ms (0 turns it off).
    /// - `/standin/token`: the body (up to 4 KiB, whitespace removed) becomes the bearer token API requests must
    ///   carry; an empty body requires none. In the body so it never shows in a URL or access log.
    /// - `/standin/admission?bypass=true|false`: store Node writes without calling the webhook.
    /// - `/standin/watch-list?mode=served|forbidden|ignored`: serve watch-lists as v1.36 does, refuse
    ///   them as with the WatchList feature gate off, or ignore their parameters as an old server.
    /// - `GET /standin/state`: `{"resourceVersion":…,"watches":…}`.
    func control(_ request: HTTPRequest) -> HTTPResponse {
        let query = RequestQuery(request.query)
        switch (request.method, request.path) {
        case ("GET", "/standin/state"):
            let body = JSONValue.object([("resourceVersion", .int(store.resourceVersion)), ("watches", .int(store.openWatchCount))])
            return .kube(200, body.bytes)
        case ("POST", "/standin/compact"):
            store.compact(upTo: query["resourceVersion"].flatMap { Int($0) })
        case ("POST", "/standin/drop-watches"):
            store.dropWatches()
        case ("POST", "/standin/stall-watches"):
            store.stallWatches()
        case ("POST", "/standin/fail"):
            guard let count = Int(query["count"] ?? "1"), (0...1_000_000).contains(count) else {
                return StatusBody.badRequest("count must be 0...1000000").response
            }
            scenario.failNext(count, code: Int(query["code"] ?? "500") ?? 500,
                              retryAfterSeconds: Int(query["retryAfter"] ?? "1").map { min($0, 3600) } ?? 1,
                              pathPrefix: query["path"] ?? "")
        case ("POST", "/standin/token"):
            guard request.body.count <= 4096 else { return StatusBody.badRequest("the token is longer than 4 KiB").response }
            let token = String(decoding: request.body, as: UTF8.self).filter { !$0.isWhitespace }
            scenario.rotateToken(to: token.isEmpty ? nil : token)
        case ("POST", "/standin/admission"):
            guard let bypass = query["bypass"].flatMap(Bool.init) else {
                return StatusBody.badRequest("bypass must be true or false").response
            }
            scenario.bypassAdmission(bypass)
        case ("POST", "/standin/latency"):
            guard let milliseconds = Int(query["ms"] ?? ""), (0...600_000).contains(milliseconds) else {
                return StatusBody.badRequest("ms must be 0...600000").response
            }
            scenario.setLatency(.milliseconds(milliseconds))
        case ("POST", "/standin/watch-list"):
            guard let support = query["mode"].flatMap(Scenario.WatchListSupport.init(rawValue:)) else {
                return StatusBody.badRequest("mode must be served, forbidden or ignored").response
            }
            scenario.setWatchList(support)
        case (_, "/standin/state"), (_, "/standin/compact"), (_, "/standin/watch-list"), (_, "/standin/drop-watches"), (_, "/standin/stall-watches"),
             (_, "/standin/fail"), (_, "/standin/latency"), (_, "/standin/token"), (_, "/standin/admission"):
            return StatusBody.methodNotAllowed(request.method).response
        default:
            return StatusBody.pathNotFound.response
        }
        return .kube(200, Array("{\"ok\":true}".utf8))
    }
}
