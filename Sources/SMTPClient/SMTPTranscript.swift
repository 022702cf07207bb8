/// Follows libcurl's part of an SMTP conversation — the greeting, EHLO, STARTTLS and AUTH it
/// speaks before CONNECT_ONLY hands the session over — as its debug callback reports it (every
/// command line it sends, every reply line it receives), pairing each reply with its command.
///
/// That is how a failed set-up is told apart (no greeting, a refused STARTTLS, AUTH denied)
/// and how the session's facts are known (TLS, AUTH offered and used, the EHLO extensions):
/// libcurl reports neither. The mail transactions are `SMTPTransactionMachine`'s, which reads
/// its own replies.
///
/// Cheap by design: no allocation for command lines; replies are assembled by `SMTPReplyAssembler`.
struct SMTPTranscript {
    enum Command: Equatable {
        /// Nothing sent yet: the next reply is the server's greeting.
        case none
        case ehlo, helo, starttls, auth
        case other
    }

    private(set) var awaiting: Command = .none
    private(set) var lastReply: SMTPReply?
    private(set) var lastReplyAnswered: Command = .none
    /// What the connection established (TLS, AUTH, the extensions), from its greeting on.
    private(set) var session = SMTPSessionFacts()
    /// `smtps://`: the connection is TLS from its first byte.
    var implicitTLS = false

    /// The last reply was 334, so the next line out is a SASL response, not a command (its
    /// base64 could start with anything, "EHLO" included).
    private var saslResponseNext = false
    /// The last command line sent had no line end yet (a partial write): more of it follows.
    private var commandLineOpen = false
    private var replies = SMTPReplyAssembler()

    /// Starts following a new connection.
    mutating func reset() {
        awaiting = .none
        lastReply = nil
        lastReplyAnswered = .none
        session = SMTPSessionFacts(usedTLS: implicitTLS)
        saslResponseNext = false
        commandLineOpen = false
        replies.reset()
    }

    /// The reply to the command in flight, if it has come.
    var replyToAwaitedCommand: SMTPReply? {
        lastReplyAnswered == awaiting ? lastReply : nil
    }

    /// The stage of the set-up the next reply belongs to.
    var stage: SMTPError.Stage {
        switch awaiting {
        case .none: lastReply == nil ? .connect : .greeting
        case .ehlo, .helo, .other: .greeting
        case .starttls: .tls
        case .auth: .auth
        }
    }

    // MARK: - Lines out

    /// A command line (or part of one) libcurl sent.
    mutating func sent(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        defer { commandLineOpen = bytes[bytes.count - 1] != UInt8(ascii: "\n") }
        if commandLineOpen { return }
        if saslResponseNext {
            saslResponseNext = false
            return
        }
        guard bytes.count >= 4 else { awaiting = .other; return }
        // ASCII upper-casing of the four-letter verb, without building a String.
        let verb = (UInt32(bytes[0] & 0xDF) << 24) | (UInt32(bytes[1] & 0xDF) << 16)
            | (UInt32(bytes[2] & 0xDF) << 8) | UInt32(bytes[3] & 0xDF)
        switch verb {
        case Self.verbEHLO: awaiting = .ehlo
        case Self.verbHELO: awaiting = .helo
        case Self.verbSTAR: awaiting = .starttls
        case Self.verbAUTH: awaiting = .auth
        default: awaiting = .other
        }
    }

    private static func verb(_ text: StaticString) -> UInt32 {
        let p = text.utf8Start
        return (UInt32(p[0]) << 24) | (UInt32(p[1]) << 16) | (UInt32(p[2]) << 8) | UInt32(p[3])
    }
    private static let verbEHLO = verb("EHLO"), verbHELO = verb("HELO"), verbSTAR = verb("STAR")
    private static let verbAUTH = verb("AUTH")

    // MARK: - Lines in

    /// Reply bytes libcurl received: usually exactly one line, but any split is handled.
    mutating func received(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while let reply = replies.take(&rest) { complete(reply) }
    }

    private mutating func complete(_ reply: SMTPReply) {
        lastReply = reply
        lastReplyAnswered = awaiting
        switch awaiting {
        case .ehlo where reply.isPositive:
            session.learnExtensions(ehloText: reply.text)
        case .starttls where reply.code == 220:
            // The capabilities before STARTTLS no longer count; the next EHLO says what's offered.
            session.usedTLS = true
            session.forgetExtensions()
        case .auth where reply.code == 235:
            session.authenticated = true
        case .auth:
            saslResponseNext = reply.code == 334
        default:
            break
        }
    }
}
