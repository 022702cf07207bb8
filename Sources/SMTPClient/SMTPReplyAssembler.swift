/// Turns the bytes of an SMTP server's replies, split however the network delivered them, into
/// complete replies: `250-text` lines continue a reply, `250 text` ends it (RFC 5321 4.2.1).
///
/// The one reply parser of SMTPClient: `SMTPTranscript` feeds it what libcurl's debug callback
/// reports, and `SMTPTransactionMachine`'s caller feeds it what it reads from the socket, so
/// both see replies the same way (RFC 3463 enhanced codes taken off the text of the first line).
///
/// Cheap by design: a single-line reply costs one String (its text); bytes are buffered only
/// when a line arrives in pieces.
struct SMTPReplyAssembler: Sendable {
    private var partialLine: [UInt8] = []
    private var pendingText: [String] = []
    private var pendingEnhanced: String?

    /// Forgets a reply in progress (a new conversation starts).
    mutating func reset() {
        partialLine.removeAll(keepingCapacity: true)
        pendingText.removeAll(keepingCapacity: true)
        pendingEnhanced = nil
    }

    /// True while part of a reply has arrived and the rest has not.
    var hasPartialReply: Bool { !partialLine.isEmpty || !pendingText.isEmpty }

    /// Consumes `bytes` up to the end of the first reply they complete and returns that reply,
    /// leaving the rest in `bytes`; consumes them all (keeping an unfinished line) and returns
    /// nil when no reply completes. Call again until nil: several pipelined replies often
    /// arrive in one read.
    mutating func take(_ bytes: inout UnsafeRawBufferPointer) -> SMTPReply? {
        var start = 0
        defer { bytes = UnsafeRawBufferPointer(rebasing: bytes[start...]) }
        while start < bytes.count {
            guard let lineEnd = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                partialLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
                start = bytes.count
                return nil
            }
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<lineEnd])
            start = lineEnd + 1
            let reply: SMTPReply?
            if partialLine.isEmpty {
                reply = line(piece)
            } else {
                partialLine.append(contentsOf: piece)
                let joined = partialLine
                partialLine.removeAll(keepingCapacity: true)
                reply = joined.withUnsafeBytes { line($0) }
            }
            if let reply { return reply }
        }
        return nil
    }

    /// One reply line without its line end; the reply when the line ends one. Lines that are
    /// not replies (no three-digit code) are ignored, as a lenient client does.
    private mutating func line(_ raw: UnsafeRawBufferPointer) -> SMTPReply? {
        var count = raw.count
        if count > 0 && raw[count - 1] == UInt8(ascii: "\r") { count -= 1 }
        guard count >= 3, let code = Self.code(raw) else { return nil }
        let last = count == 3 || raw[3] != UInt8(ascii: "-")
        var textStart = min(4, count)
        if let end = Self.enhancedCodeEnd(raw, from: textStart, to: count, replyCode: code) {
            if pendingEnhanced == nil {
                pendingEnhanced = String(decoding: UnsafeRawBufferPointer(rebasing: raw[textStart..<end]), as: UTF8.self)
            }
            textStart = min(end + 1, count)
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: raw[textStart..<count]), as: UTF8.self)
        if last && pendingText.isEmpty {
            defer { pendingEnhanced = nil }
            return SMTPReply(code: code, enhanced: pendingEnhanced, text: text)
        }
        pendingText.append(text)
        guard last else { return nil }
        defer {
            pendingText.removeAll(keepingCapacity: true)
            pendingEnhanced = nil
        }
        return SMTPReply(code: code, enhanced: pendingEnhanced, text: pendingText.joined(separator: "\n"))
    }

    private static func code(_ raw: UnsafeRawBufferPointer) -> Int? {
        var value = 0
        for index in 0..<3 {
            let digit = raw[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Where an RFC 3463 enhanced status code (class.subject.detail, the class matching the
    /// reply code's first digit, then a space or the end) that starts at `start` ends, if one does.
    static func enhancedCodeEnd(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int, replyCode: Int) -> Int? {
        guard end - start >= 5, raw[start] == UInt8(ascii: "0") + UInt8(replyCode / 100),
              raw[start + 1] == UInt8(ascii: ".") else { return nil }
        var position = start + 2
        for group in 0..<2 {
            let groupStart = position
            while position < end, position - groupStart < 4, raw[position] &- UInt8(ascii: "0") < 10 { position += 1 }
            guard (1...3).contains(position - groupStart) else { return nil }
            if group == 0 {
                guard position < end, raw[position] == UInt8(ascii: ".") else { return nil }
                position += 1
            }
        }
        guard position == end || raw[position] == UInt8(ascii: " ") else { return nil }
        return position
    }

    /// `5.1.1 User unknown` → ("5.1.1", "User unknown"), as a reply line is split.
    static func splitEnhancedCode(_ text: String, replyCode: Int) -> (String, String)? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            guard let end = enhancedCodeEnd(raw, from: 0, to: raw.count, replyCode: replyCode) else { return nil }
            return (String(decoding: bytes[..<end], as: UTF8.self), String(decoding: bytes[min(end + 1, bytes.count)...], as: UTF8.self))
        }
    }
}
