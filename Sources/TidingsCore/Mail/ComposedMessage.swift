/// A message ready for SMTP: the exact bytes of DATA and the envelope to send them with.
public struct ComposedMessage: Sendable {
    /// CRLF line ends, 7-bit, no line over 998 octets; ends with CRLF. Not dot-stuffed.
    public var bytes: [UInt8]
    /// The addr-spec for `MAIL FROM`.
    public var envelopeFrom: String
    /// To, Cc and Bcc addr-specs for `RCPT TO`, each once (case-insensitive), in that order.
    public var envelopeRecipients: [String]
    public var messageID: MessageID
}
