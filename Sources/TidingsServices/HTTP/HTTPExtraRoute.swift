/// A GET route another part of the daemon adds to the listener, such as `/metrics`: the
/// listener serves `body()` as `contentType` at `path`. The listener knows nothing of what it
/// serves, so an exposition (Prometheus text, say) plugs in without the listener changing:
///
///     HTTPExtraRoute(path: "/metrics", contentType: "text/plain; version=0.0.4; charset=utf-8") {
///         var text = ""; registry.emit(into: &text); return text
///     }
public struct HTTPExtraRoute: Sendable {
    public var path: String
    public var contentType: String
    public var body: @Sendable () async -> String

    public init(path: String, contentType: String, body: @escaping @Sendable () async -> String) {
        self.path = path
        self.contentType = contentType
        self.body = body
    }
}
