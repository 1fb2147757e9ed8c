import GigaVUE
import Testing

@Suite struct TapPlanConfigurationTests {
    @Test func defaultsAreTheOriginalToolsNamesAndPassValidation() throws {
        let configuration = TapPlan.Configuration()
        #expect(configuration.mapAlias == (try AliasName("sensor_map")))
        #expect(configuration.gigastreamAlias == (try AliasName("sensor_stream")))
        #expect(configuration.sourcePortGroup == (try AliasName("net_group")))
        #expect(configuration.setToolType)
        #expect(configuration.save)
    }
}
