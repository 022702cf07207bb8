/// A digest email ready to send: the exact bytes and envelope, how many lines it tells, and
/// the deal URLs shown as text (for the caller to log).
public struct ComposedDigest: Sendable {
    public var composed: ComposedMessage
    /// Lines after collapsing, shown or not: the row's `item_count`.
    public var itemCount: Int
    /// Deals of the digest whose URL is no allowed link (`LinkPolicy`), for the caller to log.
    public var refusedLinks: [DigestPlan.RefusedLink]

    public var messageID: MessageID { composed.messageID }
    public var bytes: [UInt8] { composed.bytes }
}
