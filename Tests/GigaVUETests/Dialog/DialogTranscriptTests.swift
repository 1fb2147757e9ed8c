import GigaVUE
import Testing

@Suite struct DialogTranscriptTests {
    @Test func printsEachExchangeWithItsTiming() {
        var transcript = DialogTranscript()
        #expect(transcript.description.isEmpty)
        transcript.record(.init(command: nil, response: "banner", startedAfter: .zero, duration: .milliseconds(5),
                                finished: true))
        transcript.record(.init(command: "write memory", response: "", startedAfter: .milliseconds(5),
                                duration: .seconds(1), finished: false))
        #expect(transcript.entries.count == 2)
        #expect(transcript.description == "> (login) (0.005 seconds)\nbanner\n> write memory (1.0 seconds, unfinished)")
    }
}
