/// Settings of digest planning (`digests.*` and `mail.*` in the configuration).
public struct DigestOptions: Sendable, Hashable {
    /// Comments and notes longer than this many characters are cut, with a link to the deal.
    public var commentMaxLength: Int
    /// Lines in one digest; the rest are counted as "and N more".
    public var maxItems: Int
    /// The CRM's notification settings page, linked from every footer.
    public var manageURL: String?
    /// Unsubscribe link template; `{user_id}` is replaced by the recipient's id (percent-encoded).
    public var unsubscribeURLTemplate: String?
    /// Earlier changes a reader just added to a deal is shown of it (`digests.catch_up_changes`);
    /// 0: no catch-up.
    public var catchUpChanges: Int

    public init(commentMaxLength: Int = 280, maxItems: Int = 50, manageURL: String? = nil,
                unsubscribeURLTemplate: String? = nil, catchUpChanges: Int = 5) {
        precondition(commentMaxLength >= 1 && maxItems >= 1 && catchUpChanges >= 0)
        self.commentMaxLength = commentMaxLength
        self.maxItems = maxItems
        self.manageURL = manageURL
        self.unsubscribeURLTemplate = unsubscribeURLTemplate
        self.catchUpChanges = catchUpChanges
    }
}
