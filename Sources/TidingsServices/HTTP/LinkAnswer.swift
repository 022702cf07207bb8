/// What the listener answers a link request with: a status and, unless it is a one-click
/// unsubscribe, an HTML page.
struct LinkAnswer: Sendable, Equatable {
    var status: Int
    var html: String?

    static func page(_ html: String, status: Int = 200) -> LinkAnswer { LinkAnswer(status: status, html: html) }

    /// RFC 8058: the one-click POST gets a success status and nothing to show.
    static let oneClickDone = LinkAnswer(status: 200, html: nil)

    /// The database did not answer: nothing was changed, and the link works again later.
    static let unavailable = LinkAnswer(status: 503, html: nil)
}
