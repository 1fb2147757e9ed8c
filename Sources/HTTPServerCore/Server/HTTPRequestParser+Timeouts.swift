extension HTTPRequestParser {
    /// True while a request's headers are complete and its body is still arriving: the server
    /// then applies its body read timeout instead of the header one.
    var isReadingBody: Bool {
        if case .body = phase { return true }
        return false
    }
}
