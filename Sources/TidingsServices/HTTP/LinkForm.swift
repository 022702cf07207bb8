/// The body of a POST on a link, as browsers and mail providers send it
/// (`application/x-www-form-urlencoded`): the cadence chosen on the cadence page, or RFC 8058's
/// `List-Unsubscribe=One-Click` from a mail provider's unsubscribe button.
struct LinkForm: Decodable, Sendable {
    var cadence: String?
    var listUnsubscribe: String?

    init(cadence: String? = nil, listUnsubscribe: String? = nil) {
        self.cadence = cadence
        self.listUnsubscribe = listUnsubscribe
    }

    enum CodingKeys: String, CodingKey {
        case cadence
        case listUnsubscribe = "List-Unsubscribe"
    }

    /// A one-click unsubscribe (RFC 8058 §3.1): acted on without a page.
    var isOneClick: Bool { listUnsubscribe == "One-Click" }
}
