/// Follows one SMTP conversation as libcurl reports it (its debug callback: every command line
/// it sends, every reply line it receives) and pairs each reply with the command it answers.
///
/// libcurl reports per-recipient outcomes only as "some RCPT failed"; this is how each RCPT TO
/// gets the server's own reply, exactly: commands and replies strictly alternate in SMTP without
/// PIPELINING (libcurl does not pipeline), so the reply that completes after RCPT number i was
/// sent is that recipient's. It also knows the stage a failure happened in and whether the
/// message data had started, which decides whether a retry could duplicate the message.
///
/// Cheap by design: no allocation for command lines; replies are assembled by `SMTPReplyAssembler`.
struct SMTPTranscript {
    enum Command: Equatable {
        /// Nothing sent yet: the next reply is the server's greeting.
        case none
        case ehlo, helo, starttls, auth, mail
        case rcpt(Int)
        case data
        /// DATA was answered 354: the message data is going out; the next reply is the final one.
        case message
        case other
    }

    private(set) var awaiting: Command = .none
    private(set) var lastReply: SMTPReply?
    private(set) var lastReplyAnswered: Command = .none
    private(set) var recipientReplies: [SMTPReply?] = []
    private(set) var finalReply: SMTPReply?
    /// DATA got its 354: from here on the server may end up with the message.
    private(set) var messageStarted = false
    /// The server greeted in this attempt: a new connection was opened (none means a kept one).
    private(set) var greeted = false
    /// What the connection established (TLS, AUTH); reset at each greeting, not by `reset`,
    /// since a kept connection keeps them.
    private(set) var session = SMTPSessionFacts()
    /// `smtps://`: the connection is TLS from its first byte.
    var implicitTLS = false

    /// The last reply was 334, so the next line out is a SASL response, not a command (its
    /// base64 could start with anything, "MAIL" included).
    private var saslResponseNext = false
    /// QUIT went out (libcurl closing the connection after a failure, or at cleanup): the
    /// conversation about the message is over, and the 221 must not overwrite its outcome.
    private var quitting = false
    /// The last command line sent had no line end yet (a partial write): more of it follows.
    private var commandLineOpen = false
    private var nextRecipient = 0
    private var replies = SMTPReplyAssembler()

    /// Starts a new attempt for `recipientCount` recipients.
    mutating func reset(recipientCount: Int) {
        awaiting = .none
        lastReply = nil
        lastReplyAnswered = .none
        recipientReplies = Array(repeating: nil, count: recipientCount)
        finalReply = nil
        messageStarted = false
        greeted = false
        quitting = false
        saslResponseNext = false
        commandLineOpen = false
        nextRecipient = 0
        replies.reset()
    }

    /// The reply to the command in flight, if it has come.
    var replyToAwaitedCommand: SMTPReply? {
        if awaiting == .message { return finalReply }
        return lastReplyAnswered == awaiting ? lastReply : nil
    }

    /// The stage of the conversation the next reply belongs to.
    var stage: SMTPError.Stage {
        switch awaiting {
        case .none: lastReply == nil ? .connect : .greeting
        case .ehlo, .helo, .other: .greeting
        case .starttls: .tls
        case .auth: .auth
        case .mail: .mailFrom
        case .rcpt: .recipients
        case .data: .data
        case .message: .afterData
        }
    }

    // MARK: - Lines out

    /// A command line (or part of one) libcurl sent.
    mutating func sent(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        defer { commandLineOpen = bytes[bytes.count - 1] != UInt8(ascii: "\n") }
        if commandLineOpen || quitting { return }
        if saslResponseNext {
            saslResponseNext = false
            return
        }
        guard bytes.count >= 4 else { awaiting = .other; return }
        // ASCII upper-casing of the four-letter verb, without building a String.
        let verb = (UInt32(bytes[0] & 0xDF) << 24) | (UInt32(bytes[1] & 0xDF) << 16)
            | (UInt32(bytes[2] & 0xDF) << 8) | UInt32(bytes[3] & 0xDF)
        switch verb {
        case Self.verbMAIL: awaiting = .mail
        case Self.verbRCPT:
            awaiting = .rcpt(nextRecipient)
            nextRecipient += 1
        case Self.verbDATA: awaiting = .data
        case Self.verbEHLO: awaiting = .ehlo
        case Self.verbHELO: awaiting = .helo
        case Self.verbSTAR: awaiting = .starttls
        case Self.verbAUTH: awaiting = .auth
        case Self.verbQUIT: quitting = true
        default: awaiting = .other
        }
    }

    private static func verb(_ text: StaticString) -> UInt32 {
        let p = text.utf8Start
        return (UInt32(p[0]) << 24) | (UInt32(p[1]) << 16) | (UInt32(p[2]) << 8) | UInt32(p[3])
    }
    private static let verbMAIL = verb("MAIL"), verbRCPT = verb("RCPT"), verbDATA = verb("DATA")
    private static let verbEHLO = verb("EHLO"), verbHELO = verb("HELO"), verbSTAR = verb("STAR")
    private static let verbAUTH = verb("AUTH"), verbQUIT = verb("QUIT")

    // MARK: - Lines in

    /// Reply bytes libcurl received: usually exactly one line, but any split is handled.
    mutating func received(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while let reply = replies.take(&rest) { complete(reply) }
    }

    private mutating func complete(_ reply: SMTPReply) {
        if quitting { return }
        lastReply = reply
        lastReplyAnswered = awaiting
        switch awaiting {
        case .none:
            greeted = true
            session = SMTPSessionFacts(usedTLS: implicitTLS)
        case .ehlo where reply.isPositive:
            session.learnExtensions(ehloText: reply.text)
        case .starttls where reply.code == 220:
            // The capabilities before STARTTLS no longer count; the next EHLO says what's offered.
            session.usedTLS = true
            session.forgetExtensions()
        case .auth where reply.code == 235:
            session.authenticated = true
        case .rcpt(let index) where index < recipientReplies.count:
            recipientReplies[index] = reply
        case .data where reply.code == 354:
            messageStarted = true
            awaiting = .message
        case .message:
            finalReply = reply
        case .auth:
            saslResponseNext = reply.code == 334
        default:
            break
        }
    }
}
