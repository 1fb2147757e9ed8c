import Testing
@testable import HTTPServerCore

/// The server's settings reach the per-connection limits the connection machine enforces.
@Suite struct HTTPServerConfigurationTests {
    @Test func theStreamBacklogLimitIsTheConfiguredOne() {
        var configuration = HTTPServer.Configuration()
        #expect(configuration.connectionLimits.streamBacklog == 16 << 20)
        configuration.streamBacklogBytes = 512 << 20
        #expect(configuration.connectionLimits.streamBacklog == 512 << 20)
    }
}
