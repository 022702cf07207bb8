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
            let addrSpec = mailbox.address.addrSpec.utf8
            let isLast = position == mailboxes.count - 1
            if let displayName = mailbox.displayName {
                HeaderEncoding.writeDisplayName(displayName, to: &writer)
                writer.startToken(length: addrSpec.count + (isLast ? 2 : 3), separator: HeaderWriter.space)
                writer.out.append(UInt8(ascii: "<"))
                writer.out.append(contentsOf: addrSpec)
                writer.out.append(UInt8(ascii: ">"))
            } else {
                writer.startToken(length: addrSpec.count + (isLast ? 0 : 1), separator: HeaderWriter.space)
                writer.out.append(contentsOf: addrSpec)
            }
            if !isLast { writer.out.append(MailBytes.comma) }
        }
        writer.end()
    }

    static func writeIDs(_ name: StaticString, _ ids: [MessageID], to writer: inout HeaderWriter) {
        writer.begin(name)
        for id in ids {
            writer.startToken(length: id.left.utf8.count + id.right.utf8.count + 3, separator: HeaderWriter.space)
            writer.out.append(UInt8(ascii: "<"))
            writer.out.append(contentsOf: id.left.utf8)
            writer.out.append(MailBytes.at)
            writer.out.append(contentsOf: id.right.utf8)
            writer.out.append(UInt8(ascii: ">"))
        }
        writer.end()
    }
}
