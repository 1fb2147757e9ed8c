import PropertyBased
import Testing
@testable import TroxileiaCore

@Suite struct TapPortPropertyTests {
    /// Any valid port survives TapPort → label → TapPort → CLI → TapPort unchanged, and
    /// the two printed forms differ only in the separator.
    @Test func labelAndCLIFormsRoundTrip() async {
        let speeds = Gen<PortSpeed>.case
        await propertyCheck(count: 2_000, input: Gen.int(in: 1...255), Gen.int(in: 1...32), speeds,
                            Gen.int(in: 1...128), Gen.int(in: 0...4)) { box, slot, speed, number, breakout in
            let sub = speed.allowsBreakout && breakout > 0 ? breakout : nil
            guard let port = TapPort(box: box, slot: slot, speed: speed, number: number, breakout: sub) else {
                Issue.record("valid parts refused")
                return
            }
            let viaLabel = try? TapPort(label: port.labelValue)
            let viaCLI = try? TapPort(cli: port.cliName)
            #expect(viaLabel == port)
            #expect(viaCLI == port)
            #expect(port.labelValue.replacingSlashes() == port.cliName.replacingSlashes())
        }
    }

    /// Parsing never crashes and anything accepted prints back to exactly its input.
    @Test func anyAcceptedTextIsCanonical() async {
        let alphabet = Gen<Character?>.element(of: Array("0123456789_/gxqcex"))
        await propertyCheck(count: 5_000, input: alphabet.array(of: 0...14)) { characters in
            let text = String(characters.compactMap { $0 })
            if case .success(let port) = TapPort.parse(text, notation: .label) {
                #expect(port.labelValue == text)
            }
        }
    }
}

private extension String {
    func replacingSlashes() -> String { String(map { $0 == "/" ? "_" : $0 }) }
}
