import Testing
import TroxileiaCore
@testable import KubeAPI

@Suite struct ObjectStoreTests {
    @Test func replaceReportsAddsUpdatesAndTheDeletionsARelistReveals() {
        let store = ObjectStore<String>()
        #expect(!store.isSynced)
        let first = store.replace(with: [("a", "1"), ("b", "1")])
        #expect(Set(first.added) == ["a", "b"] && first.updated.isEmpty && first.deleted.isEmpty)
        #expect(store.isSynced)
        let change = store.replace(with: [("b", "2"), ("c", "1")])
        #expect(change.added == ["c"] && change.updated == ["b"] && change.deleted == ["a"])
        #expect(store.objects == ["b": "2", "c": "1"])
    }

    @Test func upsertAndRemoveChangeTheVersionOnlyWhenSomethingChanged() {
        let store = ObjectStore<String>()
        store.upsert(key: "a", value: "1")
        let version = store.version
        store.upsert(key: "a", value: "1")
        store.remove(key: "zzz")
        #expect(store.version == version)
        #expect(store.upsert(key: "a", value: "2").updated == ["a"])
        #expect(store.remove(key: "a").deleted == ["a"])
        #expect(store.objects.isEmpty)
    }

    @Test func subscribersSeeTheNewestVersion() async {
        let store = ObjectStore<String>()
        let versions = store.changes()
        var iterator = versions.makeAsyncIterator()
        #expect(await iterator.next() == 0)
        for index in 0..<5 { store.upsert(key: "k\(index)", value: "v") }
        #expect(await iterator.next() == 5, "intermediate versions are dropped")
    }
}
