import Testing
@testable import KubeAPI

extension ScriptedHTTPServer {
    /// A transport for this server with plain HTTP allowed, changed by `configure`.
    func transport(_ configure: (inout CurlTransport.Configuration) -> Void = { _ in }) throws -> CurlTransport {
        var configuration = CurlTransport.Configuration(server: baseURL)
        configuration.allowPlainHTTP = true
        configure(&configuration)
        return try CurlTransport(configuration: configuration)
    }
}

extension CurlTransport {
    /// The token the transport tests hand out; it must never show in an error.
    static let testToken = "s3cr3t-token-value"

    /// The error `send` threw, or `nil` (recorded as an issue) when it returned a response.
    func sendError(_ request: KubeRequest, sourceLocation: SourceLocation = #_sourceLocation) async -> KubeAPIError? {
        do {
            let response = try await send(request)
            Issue.record("expected an error, got status \(response.status)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// Neither the description nor the reflection of `error` holds the test token or its header.
    static func expectNoToken(in error: KubeAPIError?, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else { return }
        #expect(!"\(error)".contains(testToken), sourceLocation: sourceLocation)
        #expect(!String(reflecting: error).contains(testToken), sourceLocation: sourceLocation)
        #expect(!"\(error)".contains("Bearer"), sourceLocation: sourceLocation)
    }
}
