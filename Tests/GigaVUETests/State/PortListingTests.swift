import GigaVUE
import Testing
import TroxileiaCore

/// `show port` read for the chassis ports and types (issue 15; gigavue-cli.md "Listing the device's ports").
@Suite struct PortListingTests {
    /// Rows in the layout of the public HC2 transcript, with a banner, rules and an engine port.
    static let table = """
        show port
        ==========================================================================
        Port      Type       Alias          Admin    Link Status  Xcvr Pwr ...
        --------------------------------------------------------------------------
        6/4/x1    network    To-HC2-Net     enabled  up           -2.64    sfp+ sr   off   10000  full   off   N/A   off
        6/4/x2    tool       Sensor-A       enabled  up           -2.51    sfp+ sr   off   10000  full   off   N/A   off
        6/2/e1    gs         N/A            enabled  up           ...      40000     full
        6/1/q1x2  hybrid
        ==========================================================================
        """

    @Test func readsEveryPortRowWithItsType() throws {
        let listing = try #require(PortListing(parsing: Self.table))
        #expect(listing.ports == (try cliPorts("6/1/q1x2", "6/4/x1", "6/4/x2")))
        #expect(listing.types[try TapPort(cli: "6/4/x2")] == "tool")
        #expect(listing.types[try TapPort(cli: "6/1/q1x2")] == "hybrid")
        #expect(listing.contains(try TapPort(cli: "6/4/x1")))
        #expect(!listing.contains(try TapPort(cli: "1/1/x1")))
    }

    @Test(arguments: ["", "% Unrecognized command \"show port\"", "====\nPort Type\n----\n===="])
    func noTableIsNoListing(text: String) {
        #expect(PortListing(parsing: text) == nil)
    }
}
