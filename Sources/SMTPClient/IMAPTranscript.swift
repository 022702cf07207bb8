/// Follows one IMAP conversation as libcurl reports it (its debug callback: each command line it
/// sends, each response line it receives): which command is in flight, the tagged reply that
/// ended it, whether a new connection was opened, and what the session established (TLS,
/// login, the server's capabilities).
///
/// Keeps no command arguments: AUTHENTICATE and LOGIN lines carry the password (in base64 or
/// in clear), so only the command's name is taken from any line sent.
struct IMAPTranscript {
    enum Command: String, Equatable {
        /// Nothing sent yet in this perform: the next line may be a greeting.
        case none
        case capability, starttls, authenticate, login, select, examine, search, fetch, store, copy, move, expunge
        case other
    }

    private(set) var awaiting: Command = .none
    /// The tagged reply to `awaiting`, once it came.
    private(set) var reply: IMAPTaggedReply?
    /// The server greeted in this perform: a new connection was opened (libcurl then logged in
    /// and SELECTed the URL's mailbox read-write before the operation's own command).
    private(set) var greeted = false
    /// The server said BYE (shutting down, or logging an idle client out).
    private(set) var bye: String?
    /// Kept with the connection, across performs; reset by a greeting.
    private(set) var usedTLS = false
    private(set) var authenticated = false
    private(set) var capabilities: Set<String> = []
    /// `imaps://`: the connection is TLS from its first byte.
    var implicitTLS = false

    private var tag = ""
    /// LOGOUT went out (libcurl closing the connection after a failure, or at cleanup): the
    /// conversation about the operation is over, and its BYE and OK must not replace the
    /// command and reply that ended it.
    private var loggingOut = false
    /// The last response was a continuation ("+ "): the next line out is a SASL response.
    private var continuationNext = false
    private var partialIn: [UInt8] = []
    private var partialOut: [UInt8] = []

    /// Starts a new perform; the session facts stay (a kept connection keeps them).
    mutating func reset() {
        awaiting = .none
        reply = nil
        greeted = false
        bye = nil
        tag = ""
        loggingOut = false
        continuationNext = false
        partialIn.removeAll(keepingCapacity: true)
        partialOut.removeAll(keepingCapacity: true)
    }

    /// The stage the command in flight belongs to.
    var stage: IMAPError.Stage {
        switch awaiting {
        case .none: greeted ? .greeting : .connect
        case .capability: .greeting
        case .starttls: .tls
        case .authenticate, .login: .auth
        case .select, .examine: .select
        case .search: .search
        case .fetch: .fetch
        case .store: .store
        case .copy, .move, .expunge: .move
        case .other: .command
        }
    }

    // MARK: - Lines

    mutating func sent(_ bytes: UnsafeRawBufferPointer) {
        for line in Self.completeLines(bytes, buffer: &partialOut) { sentLine(line) }
    }

    mutating func received(_ bytes: UnsafeRawBufferPointer) {
        for line in Self.completeLines(bytes, buffer: &partialIn) { receivedLine(line) }
    }

    private mutating func sentLine(_ line: Substring) {
        if continuationNext {
            continuationNext = false
            return
        }
        let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        guard words.count >= 2, !loggingOut else { return }
        var verb = words[1].uppercased()
        if verb == "LOGOUT" {
            loggingOut = true
            return
        }
        tag = String(words[0])
        if verb == "UID", words.count >= 3 { verb = words[2].uppercased() }
        awaiting = switch verb {
        case "CAPABILITY": .capability
        case "STARTTLS": .starttls
        case "AUTHENTICATE": .authenticate
        case "LOGIN": .login
        case "SELECT": .select
        case "EXAMINE": .examine
        case "SEARCH": .search
        case "FETCH": .fetch
        case "STORE": .store
        case "COPY": .copy
        case "MOVE": .move
        case "EXPUNGE": .expunge
        default: .other
        }
        reply = nil
    }

    private mutating func receivedLine(_ line: Substring) {
        if loggingOut { return }
        if line.hasPrefix("+") {
            continuationNext = true
            return
        }
        if line.hasPrefix("* ") {
            let text = String(line)
            if awaiting == .none, !greeted, line.dropFirst(2).uppercased().hasPrefix("OK") || line.dropFirst(2).uppercased().hasPrefix("PREAUTH") {
                greeted = true
                usedTLS = implicitTLS
                authenticated = false
                capabilities = []
            }
            if line.dropFirst(2).uppercased().hasPrefix("BYE") { bye = String(line.dropFirst(6)) }
            if let names = IMAPResponses.capabilities(text) { capabilities = Set(names) }
            return
        }
        guard !tag.isEmpty, line.hasPrefix(tag + " ") else { return }
        let parsed = IMAPTaggedReply.parse(line.dropFirst(tag.count + 1))
        reply = parsed
        if parsed.code == "CAPABILITY", let names = IMAPResponses.capabilities(String(line)) {
            capabilities = Set(names)
        }
        guard parsed.status == .ok else { return }
        switch awaiting {
        case .starttls: usedTLS = true
        case .authenticate, .login: authenticated = true
        default: break
        }
    }

    /// The complete lines of `bytes` (CRLF removed), after what `buffer` held of an unfinished
    /// one; an unfinished last line stays in `buffer` for the next call. A line is kept up to
    /// 16 KB: only its start (the tag and the command's name) matters here.
    private static func completeLines(_ bytes: UnsafeRawBufferPointer, buffer: inout [UInt8]) -> [Substring] {
        var lines: [Substring] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if buffer.last == UInt8(ascii: "\r") { buffer.removeLast() }
                lines.append(Substring(String(decoding: buffer, as: UTF8.self)))
                buffer.removeAll(keepingCapacity: true)
            } else if buffer.count < 16_384 {
                buffer.append(byte)
            }
        }
        return lines
    }
}
