/// How far one mailbox has been read (`tidings.inbound_cursor`).
struct InboundCursor: Sendable, Equatable {
    /// The mailbox as `inbound.url` names it, without a password.
    var mailbox: String
    /// The mailbox's UIDVALIDITY when `lastUID` was read; nil before the first message.
    var uidValidity: UInt32?
    var lastUID: UInt32

    /// The first UID to fetch when the server says the mailbox's UIDVALIDITY is `current`:
    /// the one after `lastUID`, or 1 when UIDVALIDITY changed (the UIDs were reassigned, so
    /// `lastUID` means nothing; Message-IDs keep what is read again from being recorded twice).
    func firstUID(uidValidity current: UInt32) -> UInt32 {
        guard uidValidity == current else { return 1 }
        return lastUID == UInt32.max ? UInt32.max : lastUID + 1
    }
}
