extension MessageComposer {
    /// The message's own headers, in the conventional order: origin, recipients, subject,
    /// identification, threading, then the caller's extra headers.
    static func writeHeaders(of message: MailMessage, to writer: inout HeaderWriter) {
        writer.begin("Date")
        writer.out.append(MailBytes.space)
        RFC5322Date.append(message.date, in: message.dateTimeZone, to: &writer.out)
        writer.end()
        writeAddresses("From", [message.from], to: &writer)
        if let sender = message.sender { writeAddresses("Sender", [sender], to: &writer) }
        if !message.replyTo.isEmpty { writeAddresses("Reply-To", message.replyTo, to: &writer) }
        if message.to.isEmpty && message.cc.isEmpty {
            // Bcc only: RFC 5322 section 3.6.3 suggests an empty group rather than no To.
            writer.begin("To")
            MailBytes.append(" undisclosed-recipients:;", to: &writer.out)
            writer.end()
        } else if !message.to.isEmpty {
            writeAddresses("To", message.to, to: &writer)
        }
        if !message.cc.isEmpty { writeAddresses("Cc", message.cc, to: &writer) }
        writer.begin("Subject")
        HeaderEncoding.writeUnstructured(HeaderText.sanitized(message.subject), to: &writer, encodeLongWords: true)
        writer.end()
        writeIDs("Message-ID", [message.messageID], to: &writer)
        if let inReplyTo = message.inReplyTo { writeIDs("In-Reply-To", [inReplyTo], to: &writer) }
        if !message.references.isEmpty { writeIDs("References", message.references, to: &writer) }
        for header in message.extraHeaders {
            writer.begin(header.name)
            HeaderEncoding.writeUnstructured(header.value, to: &writer, encodeLongWords: false)
            writer.end()
        }
    }

    /// An address list: display names encoded as needed, folded between tokens.
    static func writeAddresses(_ name: StaticString, _ mailboxes: [Mailbox], to writer: inout HeaderWriter) {
        writer.begin(name)
        for (position, mailbox) in mailboxes.enumerated() {
            var token: [UInt8] = []
            token.reserveCapacity(mailbox.address.addrSpec.utf8.count + 3)
            if let displayName = mailbox.displayName {
                HeaderEncoding.writeDisplayName(displayName, to: &writer)
                token.append(UInt8(ascii: "<"))
                token.append(contentsOf: mailbox.address.addrSpec.utf8)
                token.append(UInt8(ascii: ">"))
            } else {
                token.append(contentsOf: mailbox.address.addrSpec.utf8)
            }
            if position < mailboxes.count - 1 { token.append(MailBytes.comma) }
            writer.append(token)
        }
        writer.end()
    }

    static func writeIDs(_ name: StaticString, _ ids: [MessageID], to writer: inout HeaderWriter) {
        writer.begin(name)
        for id in ids {
            var token: [UInt8] = [UInt8(ascii: "<")]
            token.append(contentsOf: id.left.utf8)
            token.append(MailBytes.at)
            token.append(contentsOf: id.right.utf8)
            token.append(UInt8(ascii: ">"))
            writer.append(token)
        }
        writer.end()
    }
}
