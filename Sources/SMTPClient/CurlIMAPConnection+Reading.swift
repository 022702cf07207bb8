/// A message as fetched: its bytes, or only its header when it is larger than allowed.
public struct IMAPFetchedMessage: Sendable {
    public var uid: UInt32
    /// The whole message (RFC 5322 bytes, as stored), or its header section alone when
    /// `truncated`, itself cut at the size limit.
    public var bytes: [UInt8]
    /// The server's RFC822.SIZE: the whole message's size, also when only its header was fetched.
    public var size: Int?
    /// The message was larger than the limit: `bytes` is its header only.
    public var truncated: Bool
    /// The flags before the fetch (reading does not add \Seen).
    public var flags: [String]
}

extension CurlIMAPConnection {
    /// EXAMINEs the mailbox (read-only): its UIDVALIDITY, UIDNEXT and message count. Reading
    /// with the mailbox open read-only is what keeps fetched messages unseen.
    public func examine() throws(IMAPError) -> IMAPMailboxStatus {
        try open(readOnly: true)
    }

    /// SELECTs the mailbox read-write (for flags and moves); the same facts as `examine`.
    public func select() throws(IMAPError) -> IMAPMailboxStatus {
        try open(readOnly: false)
    }

    /// The UIDs in the mailbox from `fromUID` on, ascending (`UID SEARCH UID n:*`; every
    /// message for 1). Works with the mailbox open either way.
    public func search(fromUID: UInt32 = 1) throws(IMAPError) -> [UInt32] {
        let from = max(1, fromUID)
        let lines = try command(from == 1 ? "UID SEARCH ALL" : "UID SEARCH UID \(from):*")
        return IMAPResponses.searchUIDs(lines, from: from)
    }

    /// The message's size and flags; nil when the mailbox has no message with that UID.
    public func messageInfo(uid: UInt32) throws(IMAPError) -> IMAPMessageInfo? {
        try checkUID(uid)
        return IMAPResponses.messageInfo(try command("UID FETCH \(uid) (UID RFC822.SIZE FLAGS)"), uid: uid)
    }

    /// Fetches the message `uid` whole when it is at most `maxBytes` (RFC822.SIZE asked first),
    /// else only its header, cut at `maxBytes`; memory stays bounded by `maxBytes` either way.
    /// Nil when the mailbox has no such message. The message stays unseen: the mailbox is read
    /// with EXAMINE, and a \Seen that a reconnect's read-write SELECT let the fetch set is
    /// taken back.
    public func fetch(uid: UInt32, maxBytes: Int) throws(IMAPError) -> IMAPFetchedMessage? {
        let limit = max(1, maxBytes)
        if openMode != .readOnly { _ = try examine() }
        guard let info = try messageInfo(uid: uid) else { return nil }
        // That exchange may have reconnected (libcurl then SELECTs read-write).
        if openMode != .readOnly { _ = try examine() }
        var truncated = (info.size ?? 0) > limit
        var reconnected = false
        var bytes: [UInt8] = []
        if !truncated {
            let before = connections
            let whole = try fetch(urlSuffix: "/;UID=\(uid)", limit: limit)
            reconnected = connections != before
            bytes = whole.bytes
            truncated = whole.overLimit
        }
        if truncated {
            let before = connections
            let header = try fetch(urlSuffix: "/;UID=\(uid);SECTION=HEADER;PARTIAL=0.\(limit)", limit: limit)
            reconnected = reconnected || connections != before
            bytes = header.bytes
        }
        if reconnected && !info.isSeen {
            try store(uid: uid, "-FLAGS.SILENT (\\Seen)")
        }
        return IMAPFetchedMessage(uid: uid, bytes: bytes, size: info.size, truncated: truncated, flags: info.flags)
    }

    private func open(readOnly: Bool) throws(IMAPError) -> IMAPMailboxStatus {
        let name = try quotedMailbox(settings.mailbox)
        let lines = try command("\(readOnly ? "EXAMINE" : "SELECT") \(name)")
        openMode = readOnly ? .readOnly : .readWrite
        guard let status = IMAPResponses.mailboxStatus(lines) else {
            throw IMAPError(kind: .permanent, stage: .select, summary: "the server did not say the mailbox's UIDVALIDITY")
        }
        return status
    }

    func checkUID(_ uid: UInt32) throws(IMAPError) {
        guard uid > 0 else {
            throw IMAPError(kind: .permanent, stage: .command, summary: "UID 0 names no message")
        }
    }

    func quotedMailbox(_ name: String) throws(IMAPError) -> String {
        guard let quoted = IMAPMailboxName.quoted(name) else {
            throw IMAPError(kind: .permanent, stage: .command, summary: "the mailbox name is empty or has control characters",
                            configurationProblem: .setup)
        }
        return quoted
    }
}
