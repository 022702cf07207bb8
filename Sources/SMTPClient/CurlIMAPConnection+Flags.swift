extension CurlIMAPConnection {
    /// Marks the message \Seen (`inbound.after: seen`). Idempotent; a UID no longer in the
    /// mailbox is not an error (the server answers OK with nothing to change).
    public func markSeen(uid: UInt32) throws(IMAPError) {
        try checkUID(uid)
        try store(uid: uid, "+FLAGS.SILENT (\\Seen)")
    }

    /// Moves the message to `folder` (`inbound.after: move:FOLDER`): `UID MOVE` when the server
    /// offers MOVE, else `UID COPY`, `+FLAGS (\Deleted)` and `UID EXPUNGE` of that UID alone
    /// (plain `EXPUNGE` only on a server without UIDPLUS, which expunges every \Deleted message).
    /// A missing folder is a configuration error (`folderMissing`).
    public func move(uid: UInt32, to folder: String) throws(IMAPError) {
        try checkUID(uid)
        let target = try quotedMailbox(folder)
        try openReadWrite()
        if settings.move == .automatic, try serverOffers("MOVE") {
            _ = try command("UID MOVE \(uid) \(target)")
            return
        }
        _ = try command("UID COPY \(uid) \(target)")
        try store(uid: uid, "+FLAGS.SILENT (\\Deleted)")
        _ = try command(try serverOffers("UIDPLUS") ? "UID EXPUNGE \(uid)" : "EXPUNGE")
    }

    /// `UID STORE uid <change>` with the mailbox open read-write.
    func store(uid: UInt32, _ change: String) throws(IMAPError) {
        try openReadWrite()
        _ = try command("UID STORE \(uid) \(change)")
    }

    private func openReadWrite() throws(IMAPError) {
        if openMode != .readWrite { _ = try select() }
    }

    /// Whether the server lists `capability` after login. Servers send their capabilities with
    /// the login's reply (Dovecot does), otherwise they are asked once per connection.
    private func serverOffers(_ capability: String) throws(IMAPError) -> Bool {
        if capabilities.contains(capability) { return true }
        if capabilitiesAskedOnConnection != connections {
            _ = try command("CAPABILITY")
            capabilitiesAskedOnConnection = connections
        }
        return capabilities.contains(capability)
    }
}
