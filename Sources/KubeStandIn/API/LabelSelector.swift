/// A parsed `labelSelector`: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`,
/// joined by commas (all must hold), as in apimachinery's `labels.Parse`.
public struct LabelSelector: Sendable, Equatable {
    /// One requirement.
    public enum Requirement: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    public var requirements: [Requirement]

    /// Selects everything.
    public static let everything = LabelSelector(requirements: [])

    /// Parses `text`; an empty text selects everything.
    /// - Throws: a message like kube-apiserver's for a malformed selector.
    public static func parse(_ text: String) throws(SelectorError) -> LabelSelector {
        var requirements: [Requirement] = []
        for part in splitTopLevel(text) {
            let item = part.trimmingSpaces
            if item.isEmpty { continue }
            requirements.append(try requirement(item))
        }
        return LabelSelector(requirements: requirements)
    }

    /// Whether `labels` satisfies every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .isIn(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): labels[key].map { !values.contains($0) } ?? true
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            }
        }
    }

    /// A malformed selector, answered with 400 BadRequest.
    public struct SelectorError: Error, Sendable, Equatable { public let message: String }

    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            if character == ",", depth == 0 { parts.append(current); current = "" } else { current.append(character) }
        }
        parts.append(current)
        return parts
    }

    private static func requirement(_ item: String) throws(SelectorError) -> Requirement {
        let bad = SelectorError(message: "unable to parse requirement: found '\(item)', expected: key, operator or value")
        if item.hasPrefix("!") {
            let key = String(item.dropFirst()).trimmingSpaces
            guard isKey(key) else { throw bad }
            return .doesNotExist(key)
        }
        for (symbol, isEqual) in [("!=", false), ("==", true), ("=", true)] {
            if let range = item.range(of: symbol) {
                let key = String(item[..<range.lowerBound]).trimmingSpaces
                let value = String(item[range.upperBound...]).trimmingSpaces
                guard isKey(key), isValue(value) else { throw bad }
                return isEqual ? .equals(key, value) : .notEquals(key, value)
            }
        }
        let words = item.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 1 {
            guard isKey(words[0]) else { throw bad }
            return .exists(words[0])
        }
        let rest = words[1].trimmingSpaces
        for (word, isIn) in [("in", true), ("notin", false)] where rest.hasPrefix(word) {
            let list = String(rest.dropFirst(word.count)).trimmingSpaces
            guard isKey(words[0]), list.hasPrefix("("), list.hasSuffix(")") else { throw bad }
            let values = list.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            guard values.allSatisfy(isValue), !(values.count == 1 && values[0].isEmpty && isIn) else { throw bad }
            return isIn ? .isIn(words[0], Set(values)) : .notIn(words[0], Set(values))
        }
        throw bad
    }

    private static func isKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 317 && key.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
    }

    private static func isValue(_ value: String) -> Bool {
        value.utf8.count <= 63 && value.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
