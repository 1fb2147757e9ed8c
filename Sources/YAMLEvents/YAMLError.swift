/// Why YAML could not be read. The description names the problem and its line and column, never
/// the input's text (a kubeconfig holds tokens).
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: Sendable, Equatable {
        /// The text is not UTF-8, or holds characters YAML does not allow (libyaml's reader).
        case encoding
        /// Not well-formed YAML (libyaml's scanner and parser), or a duplicate key or undefined
        /// alias found while composing a tree.
        case syntax
        /// Well-formed, but over a configured bound: input size, nesting depth, aliases, nodes.
        case limit
        /// The input itself could not be read; `problem` is the reader's reason.
        case input
        /// libyaml ran out of memory.
        case memory
    }

    public let kind: Kind
    /// What is wrong, in libyaml's words or ours.
    public let problem: String
    /// Where the problem is, when known.
    public let mark: YAMLMark?
    /// What was being read when it was found (`while parsing a block mapping`), when libyaml says.
    public let context: String?
    /// Where that context started.
    public let contextMark: YAMLMark?

    public init(_ kind: Kind, _ problem: String, at mark: YAMLMark? = nil, context: String? = nil, contextMark: YAMLMark? = nil) {
        self.kind = kind
        self.problem = problem
        self.mark = mark
        self.context = context
        self.contextMark = contextMark
    }

    /// `[context at line L, column C;] problem at line L, column C`.
    public var description: String {
        var text = ""
        if let context {
            text += context + (contextMark.map { " at \($0)" } ?? "") + "; "
        }
        text += problem
        if let mark { text += " at \(mark)" }
        return text
    }
}
