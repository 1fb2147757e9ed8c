import Testing
@testable import KubeAPI

extension ConfigTests {
    /// Server URL rules: https everywhere, http only to loopback.
    @Suite struct ServerURLTests {
        @Test(arguments: [
            ("https://k8s.example:6443", "https://k8s.example:6443"),
            ("HTTPS://k8s.example/", "https://k8s.example"),
            ("https://rancher.example/k8s/clusters/c-1/", "https://rancher.example/k8s/clusters/c-1"),
            ("https://[fd00::1]:443", "https://[fd00::1]:443"),
            ("  https://10.0.0.1  ", "https://10.0.0.1"),
            ("http://localhost:8001", "http://localhost:8001"),
            ("http://127.0.0.1:8001", "http://127.0.0.1:8001"),
            ("http://127.1.2.3", "http://127.1.2.3"),
            ("http://[::1]:8001", "http://[::1]:8001"),
        ])
        func acceptsAndNormalises(raw: String, expected: String) throws {
            #expect(try ServerURL.validate(raw).get() == expected)
        }

        @Test(arguments: [
            "", "k8s.example:6443", "ftp://k8s.example", "http://k8s.example", "http://10.0.0.1:8080",
            "http://127.0.0.1.evil.example", "http://[fd00::1]", "https://", "https://:443", "https://host:0",
            "https://host:99999", "https://host:port", "https://user:pw@host", "https://host/?q=1", "https://[fd00::1",
        ])
        func refuses(raw: String) {
            #expect(throws: ServerURL.Problem.self) { try ServerURL.validate(raw).get() }
        }

        @Test func bracketsIPv6InClusterHosts() {
            #expect(ServerURL.inCluster(host: "fd00::1", port: "443") == "https://[fd00::1]:443")
            #expect(ServerURL.inCluster(host: "10.96.0.1", port: "443") == "https://10.96.0.1:443")
        }
    }
}
