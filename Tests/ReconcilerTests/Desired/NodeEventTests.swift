import Reconciler
import Testing
import TroxileiaCore

/// Events only on transitions between two computations.
@Suite struct NodeEventTests {
    typealias Fixture = DesiredStateTests

    /// One computation: nodes and the names of nodes whose sensor pod is failing.
    struct World: Sendable {
        var nodes: [NodeRecord]
        var failing: [String] = []

        var state: DesiredState {
            Fixture.state(nodes, pods: nodes.map { Fixture.pod(on: $0.name, ready: !failing.contains($0.name)) })
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let before: World?
        let after: World
        let expected: [String]
    }

    static let a = Fixture.node("a", port: "1_1_x1")
    static let b = Fixture.node("b", port: "1_1_x2")
    static let aExcluded = Fixture.node("a", port: "1_1_x1", annotations: Fixture.exclude)
    static let bOnA = Fixture.node("b", port: "1_1_x1")
    static let cOnA = Fixture.node("c", port: "1_1_x1", sensor: "false")
    static let aBadAnnotation = Fixture.node("a", port: "1_1_x1", annotations: [NodeOverrides.Key.exclude: "yes"])
    static let aNotSensor = Fixture.node("a", port: "1_1_x1", sensor: "false")

    static let cases: [Case] = [
        Case(testDescription: "first computation, all healthy", before: nil, after: World(nodes: [a, b]), expected: []),
        Case(testDescription: "first computation reports a standing exclusion", before: nil,
             after: World(nodes: [aExcluded]), expected: ["a Normal SensorExcluded"]),
        Case(testDescription: "first computation reports a failing pod", before: nil,
             after: World(nodes: [a], failing: ["a"]), expected: ["a Warning SensorExcluded"]),
        Case(testDescription: "first computation restores nothing", before: nil, after: World(nodes: [a]), expected: []),
        Case(testDescription: "a pod goes bad", before: World(nodes: [a, b]), after: World(nodes: [a, b], failing: ["a"]),
             expected: ["a Warning SensorExcluded"]),
        Case(testDescription: "a pod stays bad", before: World(nodes: [a], failing: ["a"]),
             after: World(nodes: [a], failing: ["a"]), expected: []),
        Case(testDescription: "a pod is Ready again", before: World(nodes: [a], failing: ["a"]), after: World(nodes: [a]),
             expected: ["a Normal SensorRestored"]),
        Case(testDescription: "the annotation is added", before: World(nodes: [a]), after: World(nodes: [aExcluded]),
             expected: ["a Normal SensorExcluded"]),
        Case(testDescription: "the annotation is removed", before: World(nodes: [aExcluded]), after: World(nodes: [a]),
             expected: ["a Normal SensorRestored"]),
        Case(testDescription: "the annotation is added to a node with a bad pod",
             before: World(nodes: [a], failing: ["a"]), after: World(nodes: [aExcluded], failing: ["a"]),
             expected: ["a Warning SensorExcluded"]),
        Case(testDescription: "the pod recovers while the node stays annotated",
             before: World(nodes: [aExcluded], failing: ["a"]), after: World(nodes: [aExcluded]), expected: []),
        Case(testDescription: "an excluded node stops being a sensor", before: World(nodes: [aExcluded]),
             after: World(nodes: [aNotSensor]), expected: []),
        Case(testDescription: "an excluded node is deleted", before: World(nodes: [aExcluded, b]), after: World(nodes: [b]),
             expected: []),
        Case(testDescription: "a duplicate appears", before: World(nodes: [a]), after: World(nodes: [a, bOnA]),
             expected: ["a Warning DuplicateTapPort", "b Warning DuplicateTapPort"]),
        Case(testDescription: "a duplicate stays", before: World(nodes: [a, bOnA]), after: World(nodes: [a, bOnA]), expected: []),
        Case(testDescription: "a third claimant joins", before: World(nodes: [a, bOnA]), after: World(nodes: [a, bOnA, cOnA]),
             expected: ["a Warning DuplicateTapPort", "b Warning DuplicateTapPort", "c Warning DuplicateTapPort"]),
        Case(testDescription: "a duplicate is resolved", before: World(nodes: [a, bOnA]), after: World(nodes: [a, b]),
             expected: ["a Normal SensorRestored", "b Normal SensorRestored"]),
        Case(testDescription: "a non-sensor claimant leaves", before: World(nodes: [a, cOnA]), after: World(nodes: [a]),
             expected: ["a Normal SensorRestored"]),
        Case(testDescription: "first computation reports a standing duplicate", before: nil, after: World(nodes: [a, bOnA]),
             expected: ["a Warning DuplicateTapPort", "b Warning DuplicateTapPort"]),
        Case(testDescription: "a malformed annotation appears", before: World(nodes: [a]), after: World(nodes: [aBadAnnotation]),
             expected: ["a Warning InvalidAnnotation"]),
        Case(testDescription: "a malformed annotation stays", before: World(nodes: [aBadAnnotation]),
             after: World(nodes: [aBadAnnotation]), expected: []),
        Case(testDescription: "first computation reports a malformed annotation", before: nil,
             after: World(nodes: [aBadAnnotation]), expected: ["a Warning InvalidAnnotation"]),
        Case(testDescription: "a non-sensor claimant turning sensor on another port is not restored",
             before: World(nodes: [a, cOnA]), after: World(nodes: [Fixture.node("c", port: "1_1_x3")]), expected: []),
        Case(testDescription: "an exclusion of a node that is no sensor is not news", before: World(nodes: [aNotSensor]),
             after: World(nodes: [aNotSensor], failing: ["a"]), expected: []),
        Case(testDescription: "a malformed port slips in (kubelet CREATE)", before: World(nodes: [a]),
             after: World(nodes: [a, Fixture.node("k", port: "1/1/x3")]), expected: ["k Warning InvalidSensorLabels"]),
        Case(testDescription: "a sensor without a port", before: nil, after: World(nodes: [Fixture.node("k", port: nil)]),
             expected: ["k Warning InvalidSensorLabels"]),
        Case(testDescription: "a bad sensor value", before: World(nodes: [a]),
             after: World(nodes: [Fixture.node("a", sensor: "yes")]), expected: ["a Warning InvalidSensorLabels"]),
        Case(testDescription: "a bad label stays bad", before: World(nodes: [Fixture.node("k", port: "1/1/x3")]),
             after: World(nodes: [Fixture.node("k", port: "1/1/x3")]), expected: []),
        Case(testDescription: "a bad label is fixed", before: World(nodes: [Fixture.node("k", port: "1/1/x3")]),
             after: World(nodes: [Fixture.node("k", port: "1_1_x3")]), expected: []),
    ]

    @Test(arguments: cases)
    func recordsOnlyTransitions(_ row: Case) {
        let events = NodeEvent.transitions(from: row.before?.state, to: row.after.state)
        #expect(events.map { "\($0.node) \($0.type.rawValue) \($0.reason.rawValue)" } == row.expected)
    }

    @Test func exclusionNamesThePortThePodAndTheWayBack() throws {
        let events = NodeEvent.transitions(from: nil, to: World(nodes: [Self.a], failing: ["a"]).state)
        let message = try #require(events.first).message
        #expect(message.contains("tap port 1/1/x1") && message.contains("pod sensors/sensor-a not Ready for 16m40s (timeout 5m)"))
        #expect(message.contains("Ready"))
        #expect(events.first?.nodeUID == "uid-a")
        let annotated = NodeEvent.transitions(from: nil, to: World(nodes: [Self.aExcluded]).state)
        #expect(try #require(annotated.first).message.contains("troxileia.io/exclude"))
    }

    @Test func duplicateNamesTheOtherNodesOnEach() {
        let events = NodeEvent.transitions(from: nil, to: World(nodes: [Self.a, Self.bOnA, Self.cOnA]).state)
        #expect(events.count == 3)
        #expect(events[0].message.contains("tap port 1/1/x1 is also labelled on nodes b, c"))
        #expect(events[1].message.contains("nodes a, c") && events[2].message.contains("nodes a, b"))
        let pair = NodeEvent.transitions(from: nil, to: World(nodes: [Self.a, Self.bOnA]).state)
        #expect(pair[0].message.contains("also labelled on node b;"))
    }

    @Test func restorationSaysWhatChanged() {
        let pod = NodeEvent.transitions(from: World(nodes: [Self.a], failing: ["a"]).state, to: World(nodes: [Self.a]).state)
        #expect(pod.first?.message == "tap port 1/1/x1 back in the GigaStream: sensor pods Ready again")
        let duplicate = NodeEvent.transitions(from: World(nodes: [Self.a, Self.bOnA]).state, to: World(nodes: [Self.a]).state)
        #expect(duplicate.first?.message == "tap port 1/1/x1 back in the GigaStream: no longer also labelled on b")
    }

    @Test func invalidAnnotationQuotesTheProblem() {
        let events = NodeEvent.transitions(from: nil, to: World(nodes: [Self.aBadAnnotation]).state)
        #expect(events.first?.message.contains("troxileia.io/exclude=\"yes\" is ignored") == true)
    }
}
