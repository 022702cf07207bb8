extension EnvelopeCheck {
    /// Refuses an envelope that could not safely go on command lines, naming the first bad
    /// address. An empty sender is the null reverse-path `<>` and allowed. UTF-8 local parts
    /// pass (the caller then needs a server offering SMTPUTF8).
    public static func validate(from: String, recipients: [String]) throws(SMTPError) {
        if !from.isEmpty, let problem = problem(withAddress: from) {
            throw SMTPError(kind: .permanent, stage: .envelope, summary: "the sender address \(quoted(from)) \(problem)",
                            address: from)
        }
        if recipients.isEmpty {
            throw SMTPError(kind: .permanent, stage: .envelope, summary: "the message has no recipients")
        }
        for recipient in recipients {
            if let problem = problem(withAddress: recipient) {
                throw SMTPError(kind: .permanent, stage: .envelope,
                                summary: "the recipient address \(quoted(recipient)) \(problem)", address: recipient)
            }
        }
    }

    /// Refuses message bytes with a bare CR, bare LF or NUL, naming the offset.
    public static func validate(message: UnsafeRawBufferPointer) throws(SMTPError) {
        if let (offset, problem) = messageProblem(message) {
            throw SMTPError(kind: .permanent, stage: .envelope,
                            summary: "the message has \(problem) at byte \(offset); lines must end in CRLF")
        }
    }

    /// The address in quotes with control characters made visible, so an error stays one line.
    static func quoted(_ address: String) -> String {
        var text = "\""
        for scalar in address.unicodeScalars {
            switch scalar {
            case "\r": text += "\\r"
            case "\n": text += "\\n"
            case "\0": text += "\\0"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: text += "\\x" + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
