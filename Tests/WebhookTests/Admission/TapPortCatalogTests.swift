import Logging
import Testing
import TroxileiaCore
@testable import Webhook

/// Issue 15: a label naming a port the tap lacks (as the leader last read it) is admitted with a warning.
@Suite struct TapPortCatalogTests {
    private func handler(_ catalog: TapPortCatalog?) -> AdmissionHandler {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return AdmissionHandler(policy: AdmissionPolicy(), inventory: TestInventory([]), reservations: PortReservations(),
                                metrics: WebhookMetrics(), logger: logger, tapPorts: catalog)
    }

    private func warnings(_ handler: AdmissionHandler, port: String, old: [String: String] = [:]) -> (Bool?, [String]) {
        let body = ReviewBuilder.review(name: "n3", old: old, new: ["sensor": "true", "port": port])
        let response = ReviewBuilder.response(handler.respond(toBody: body).body)
        return (response?["allowed"] as? Bool, response?["warnings"] as? [String] ?? [])
    }

    @Test func warnsAboutAPortTheTapDoesNotListAndStillAllows() throws {
        let catalog = TapPortCatalog()
        catalog.update(try ["1/1/x1", "1/1/x2"].map { try TapPort(cli: $0) })
        let (allowed, warnings) = warnings(handler(catalog), port: "1_3_x1")
        #expect(allowed == true)
        #expect(warnings.count == 1 && warnings[0].contains("does not list port 1/3/x1"), "\(warnings)")
        #expect(self.warnings(handler(catalog), port: "1_1_x2").1.isEmpty, "a port the tap has")
    }

    @Test func saysNothingWhileThePortsAreUnknownOrThePortUnchanged() throws {
        #expect(warnings(handler(nil), port: "1_3_x1").1.isEmpty)
        #expect(warnings(handler(TapPortCatalog()), port: "1_3_x1").1.isEmpty, "no status read yet")
        let catalog = TapPortCatalog()
        catalog.update(try [TapPort(cli: "1/1/x1")])
        let unchanged = ["sensor": "true", "port": "1_3_x1"]
        #expect(warnings(handler(catalog), port: "1_3_x1", old: unchanged).1.isEmpty, "only what the request changes")
        catalog.update(nil)
        #expect(warnings(handler(catalog), port: "1_3_x1").1.isEmpty)
    }
}
