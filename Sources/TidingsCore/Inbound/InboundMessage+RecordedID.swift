import Crypto

extension InboundMessage {
    /// The id `tidings.inbound_messages.message_id` holds, unique per message: the Message-ID,
    /// or for a message without one a stable digest of the fields that identify it
    /// (`<SHA-256 of identityBytes, hex>@no-message-id.tidings.invalid>`), so a message without
    /// a Message-ID delivered or read twice is still recorded once. `.invalid` (RFC 2606) keeps
    /// the made-up id from ever meaning a real host.
    public var recordedID: String {
        if let messageID { return messageID }
        let digest = SHA256.hash(data: identityBytes)
        let hex = digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        return "<\(hex)@no-message-id.tidings.invalid>"
    }
}
