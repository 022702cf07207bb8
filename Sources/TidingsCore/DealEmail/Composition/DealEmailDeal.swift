/// The deal a deal email is written from, with its people (`directory_deals`,
/// `directory_contacts`, `directory_participants`).
public struct DealEmailDeal: Sendable, Hashable {
    public var id: String
    public var title: String?
    /// The deal's primary contact: the default To. Nil when the deal has none.
    public var primaryContact: DealContact?
    /// The other participants: Cc.
    public var participants: [DealContact]

    public init(id: String, title: String? = nil, primaryContact: DealContact?, participants: [DealContact] = []) {
        self.id = id
        self.title = title
        self.primaryContact = primaryContact
        self.participants = participants
    }
}
