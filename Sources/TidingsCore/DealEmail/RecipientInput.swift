/// A contact as the CRM's directory lists it (`tidings.directory_contacts`).
public struct DealContact: Hashable, Sendable {
    public var id: String
    public var displayName: String?
    /// The stored email: normally a bare address, `Name <address>` is accepted too; may be missing.
    public var email: String?

    public init(id: String, displayName: String?, email: String?) {
        self.id = id
        self.displayName = displayName
        self.email = email
    }

    /// `C-3 (João)`, or `C-3` without a name: how messages refer to the contact.
    var label: String {
        guard let name = HeaderText.displayName(displayName) else { return AddressError.printable(id) }
        return "\(AddressError.printable(id)) (\(AddressError.printable(name)))"
    }
}

/// What recipient resolution needs from a deal and an outbox row.
public struct RecipientInput: Sendable {
    public var dealID: String
    /// The deal's primary contact; nil when the deal has none.
    public var primaryContact: DealContact?
    /// The deal's other participants (`tidings.directory_participants`).
    public var participants: [DealContact]
    /// `outbox.to_addresses`: when it holds an address it replaces the primary contact.
    public var toAddresses: [String]?
    /// `outbox.cc_addresses`: extra Cc, after the participants.
    public var ccAddresses: [String]
    /// `outbox.bcc_addresses`: envelope only.
    public var bccAddresses: [String]
    /// `outbox.include_participants`.
    public var includeParticipants: Bool

    public init(
        dealID: String,
        primaryContact: DealContact?,
        participants: [DealContact] = [],
        toAddresses: [String]? = nil,
        ccAddresses: [String] = [],
        bccAddresses: [String] = [],
        includeParticipants: Bool = true
    ) {
        self.dealID = dealID
        self.primaryContact = primaryContact
        self.participants = participants
        self.toAddresses = toAddresses
        self.ccAddresses = ccAddresses
        self.bccAddresses = bccAddresses
        self.includeParticipants = includeParticipants
    }
}
