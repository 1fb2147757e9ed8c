import Testing
import YAMLEvents

/// `YAMLParser`: libyaml's events, its errors with their position, and the bounds on input.
@Suite struct YAMLParserTests {
    /// Every event of `text`, read through `read` chunks of `chunk` bytes (nil: the in-memory input).
    static func events(_ text: String, chunk: Int? = nil,
                       configuration: YAMLParser.Configuration = .init()) throws(YAMLError) -> [YAMLEvent] {
        let parser: YAMLParser
        if let chunk {
            let bytes = Array(text.utf8)
            var offset = 0
            parser = try YAMLParser(configuration: configuration) { buffer throws(YAMLError) in
                let count = min(buffer.count, chunk, bytes.count - offset)
                buffer.copyBytes(from: bytes[offset..<(offset + count)])
                offset += count
                return count
            }
        } else {
            parser = try YAMLParser(bytes: Array(text.utf8), configuration: configuration)
        }
        var events: [YAMLEvent] = []
        while true {
            let event = try parser.next()
            events.append(event)
            if event == .streamEnd { return events }
        }
    }

    @Test func turnsADocumentIntoEvents() throws {
        let events = try Self.events("a: 'x'\nb: [1, &n two, *n]\n")
        #expect(events == [
            .streamStart, .documentStart(YAMLMark(line: 1, column: 1)),
            .mappingStart(anchor: nil, tag: nil, mark: YAMLMark(line: 1, column: 1)),
            .scalar(YAMLScalar(value: "a", mark: YAMLMark(line: 1, column: 1))),
            .scalar(YAMLScalar(value: "x", style: .singleQuoted, mark: YAMLMark(line: 1, column: 4))),
            .scalar(YAMLScalar(value: "b", mark: YAMLMark(line: 2, column: 1))),
            .sequenceStart(anchor: nil, tag: nil, mark: YAMLMark(line: 2, column: 4)),
            .scalar(YAMLScalar(value: "1", mark: YAMLMark(line: 2, column: 5))),
            .scalar(YAMLScalar(value: "two", anchor: "n", mark: YAMLMark(line: 2, column: 8))),
            .alias(anchor: "n", mark: YAMLMark(line: 2, column: 16)),
            .sequenceEnd, .mappingEnd, .documentEnd, .streamEnd,
        ])
    }

    @Test func readsEveryDocumentOfAStream() throws {
        let events = try Self.events("a: 1\n---\n---\nb: 2\n")
        #expect(events.filter { if case .documentStart = $0 { true } else { false } }.count == 3)
        // The middle document is empty: a plain empty scalar.
        #expect(events.contains(.scalar(YAMLScalar(value: "", mark: YAMLMark(line: 3, column: 1)))))
    }

    /// The same events whatever the size of the chunks the input comes in: a chunk boundary may
    /// fall inside a key, a scalar, a UTF-8 sequence or a line break.
    @Test(arguments: [1, 2, 3, 7, 64])
    func chunkBoundariesDoNotChangeTheEvents(chunk: Int) throws {
        let text = "name: \"ü-node\"\nlabels: {port: 1_1_x1, sensor: \"true\"}\nlist:\n  - |\n    block ✓\n  - plain\n...\n---\nx: y\n"
        #expect(try Self.events(text, chunk: chunk) == Self.events(text))
    }

    @Test func malformedYAMLGivesLineAndColumnAndNotTheText() throws {
        let error = try #require(throws: YAMLError.self) { try Self.events("a: 1\nb: [secret-token\nc: 3\n") }
        #expect(error.kind == .syntax)
        #expect(error.mark?.line == 3)
        #expect(error.description.contains("line 3, column"))
        #expect(error.context == "while parsing a flow sequence")
        #expect(!error.description.contains("secret-token"))
    }

    @Test func anErrorIsThrownAgainOnTheNextCall() throws {
        let parser = try YAMLParser(bytes: Array("[a\n".utf8))
        var first: YAMLError?
        do { while try parser.next() != .streamEnd {} } catch { first = error }
        let again = try #require(throws: YAMLError.self) { _ = try parser.next() }
        #expect(again == first)
    }

    @Test(arguments: [[UInt8]([0x61, 0x3A, 0x20, 0xFF, 0x0A]), [0x61, 0x3A, 0x20, 0xC3]])
    func nonUTF8IsAnEncodingError(bytes: [UInt8]) throws {
        let parser = try YAMLParser(bytes: bytes)
        let error = try #require(throws: YAMLError.self) { while try parser.next() != .streamEnd {} }
        #expect(error.kind == .encoding)
        #expect(error.problem.contains("UTF-8"))
    }

    @Test func controlCharactersAreASyntaxErrorNotAnEncodingOne() throws {
        let error = try #require(throws: YAMLError.self) { try Self.events("a: \u{01}\n") }
        #expect(error.kind == .syntax)
    }

    @Test func nestingDeeperThanTheBoundFails() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(throws: YAMLError.self) { try Self.events(deep) }
        #expect(error.kind == .limit)
        #expect(error.problem.contains("64 levels"))
        let shallow = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try Self.events(shallow).count == 2 + 2 + 64 * 2)
        #expect(try Self.events(deep, configuration: .init(maximumDepth: 65)).count == 2 + 2 + 65 * 2)
    }

    @Test func aliasesOverTheBoundFail() throws {
        let text = "a: &x 1\nb: [*x, *x, *x]\n"
        #expect(try Self.events(text, configuration: .init(maximumAliases: 3)).count > 0)
        let error = try #require(throws: YAMLError.self) { try Self.events(text, configuration: .init(maximumAliases: 2)) }
        #expect(error.kind == .limit)
        #expect(error.mark == YAMLMark(line: 2, column: 13))
    }

    @Test func inputOverTheSizeBoundFails() throws {
        let text = String(repeating: "key: value\n", count: 100)
        #expect(throws: YAMLError.self) { try YAMLParser(bytes: Array(text.utf8), configuration: .init(maximumInputBytes: 1_099)) }
        let error = try #require(throws: YAMLError.self) {
            try Self.events(text, chunk: 100, configuration: .init(maximumInputBytes: 1_099))
        }
        #expect(error.kind == .limit)
        #expect(try Self.events(text, chunk: 100, configuration: .init(maximumInputBytes: 1_100)).count > 0)
    }

    @Test func aFailureOfTheReadFunctionComesBackAsItWasThrown() throws {
        var calls = 0
        let parser = try YAMLParser { buffer throws(YAMLError) in
            calls += 1
            guard calls == 1 else { throw YAMLError(.input, "disk on fire") }
            buffer.copyBytes(from: "a: 1\n".utf8)
            return 5
        }
        let error = try #require(throws: YAMLError.self) { while try parser.next() != .streamEnd {} }
        #expect(error == YAMLError(.input, "disk on fire"))
    }

    @Test func skipConsumesAWholeNodeWithoutReadingIt() throws {
        let parser = try YAMLParser(bytes: Array("a: {b: [1, {c: d}], e: *f}\ng: h\n".utf8))
        for _ in 0..<4 { _ = try parser.next() }  // stream, document, mapping, key a
        let value = try parser.next()
        try parser.skip(value)
        #expect(parser.depth == 1)
        #expect(try parser.next() == .scalar(YAMLScalar(value: "g", mark: YAMLMark(line: 2, column: 1))))
        try parser.skip(.scalar(YAMLScalar(value: "g")))  // a scalar is whole already: nothing consumed
        #expect(try parser.next() == .scalar(YAMLScalar(value: "h", mark: YAMLMark(line: 2, column: 4))))
    }

    @Test func theEndOfTheStreamRepeats() throws {
        let parser = try YAMLParser(bytes: [UInt8]())
        #expect(try parser.next() == .streamStart)
        #expect(try parser.next() == .streamEnd)
        #expect(try parser.next() == .streamEnd)
    }
}
