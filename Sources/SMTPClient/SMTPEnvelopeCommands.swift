/// The command lines of one mail transaction, with the ESMTP parameters the session's server
/// offers, byte for byte as they go on the wire:
///
/// - `MAIL FROM:<a@x> SIZE=n` (RFC 1870) when SIZE is offered, `BODY=8BITMIME` (RFC 6152) for
///   an 8-bit message, `SMTPUTF8` (RFC 6531) when an address needs it, `RET=HDRS ENVID=…`
///   (RFC 3461) when DSN is offered — headers only, so a bounce does not carry the digest back;
/// - `RCPT TO:<b@x> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b@x` when DSN is offered: a delay or a
///   failure is reported, a success is not (the outbox already knows it from the 250).
enum SMTPEnvelopeCommands {
    static func mailFrom(_ sender: String, message: SMTPDotStuffedMessage, envelopeID: String?,
                         needsSMTPUTF8: Bool, session: SMTPSessionFacts) -> [UInt8] {
        var line = "MAIL FROM:<\(sender)>"
        if session.sizeOffered { line += " SIZE=\(message.messageSize)" }
        if message.hasEightBitData && session.eightBitMIME { line += " BODY=8BITMIME" }
        if needsSMTPUTF8 { line += " SMTPUTF8" }
        if session.deliveryStatusNotifications {
            line += " RET=HDRS"
            if let envelopeID { line += " ENVID=" + xtext(envelopeID) }
        }
        return Array((line + "\r\n").utf8)
    }

    /// ORCPT is left out for a UTF-8 address: `rfc822` addresses are ASCII, and the `utf-8`
    /// address type of RFC 6533 is not needed for a notification the outbox matches by
    /// envelope id.
    static func recipient(_ address: String, session: SMTPSessionFacts) -> [UInt8] {
        var line = "RCPT TO:<\(address)>"
        if session.deliveryStatusNotifications {
            line += " NOTIFY=FAILURE,DELAY"
            if !needsSMTPUTF8(address) { line += " ORCPT=rfc822;" + xtext(address) }
        }
        return Array((line + "\r\n").utf8)
    }

    static let data: [UInt8] = Array("DATA\r\n".utf8)
    static let reset: [UInt8] = Array("RSET\r\n".utf8)

    static func ehlo(_ clientName: String) -> [UInt8] {
        Array("EHLO \(clientName)\r\n".utf8)
    }

    /// An address with bytes over 127 can only be sent with SMTPUTF8.
    static func needsSMTPUTF8(_ address: String) -> Bool {
        address.utf8.contains { $0 >= 0x80 }
    }

    /// RFC 3461 4: printable ASCII but "+" and "=" as it is, everything else as "+XX" (upper
    /// hexadecimal), so an ENVID or ORCPT can hold any byte without ending the parameter.
    static func xtext(_ text: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "+") && byte != UInt8(ascii: "=") {
                encoded.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                encoded += "+" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return encoded
    }
}
