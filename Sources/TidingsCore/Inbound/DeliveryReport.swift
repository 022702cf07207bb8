import Foundation

/// Whether a bounce is final (the address is wrong: stop writing to it) or passing (a full
/// mailbox, a server down: the address may work later).
public enum BounceSeverity: String, Sendable, Equatable {
    /// A 5.x.x status (or a failure with no status, which a server only reports when it gave up).
    case hard
    /// A 4.x.x status, or a `delayed` action.
    case soft

    /// From an RFC 3463 status (`5.1.1`) or an SMTP reply code (`550`); `nil` for a success
    /// (2.x.x) or when neither says.
    public init?(status: String?) {
        switch status?.trimmingWhitespace().first {
        case "5"?: self = .hard
        case "4"?: self = .soft
        default: return nil
        }
    }
}

/// What a delivery report says: per recipient, what happened; and which message it reports on.
///
/// Reads RFC 3464 reports (`multipart/report; report-type=delivery-status`, and RFC 6533's
/// message/global-delivery-status): the per-recipient blocks of the delivery-status part
/// (Final-Recipient, Original-Recipient, Action, Status, Diagnostic-Code, folded or not) and the
/// original message's header fields from the text/rfc822-headers or message/rfc822 part.
///
/// Old servers (Exim before 4.x's DSNs, qmail, some appliances) send a plain-text bounce: from
/// MAILER-DAEMON or postmaster with a subject such as "Mail delivery failed", "Undelivered Mail",
/// "Returned mail" or "Delivery Status Notification". Such a message is read best-effort: the
/// failed address from the text ("The following address(es) failed:", "RCPT TO:<…>", the first
/// address in the text that is not the sender's), the first status code (`5.1.1`) or SMTP reply
/// code, the line that says it as the diagnostic, and the original Message-ID from the copy of
/// the message at the end. Its `isStandard` is `false`.
public struct DeliveryReport: Sendable, Equatable {
    public struct Recipient: Sendable, Equatable {
        /// The final recipient's address (without the `rfc822;` type).
        public var recipient: String
        public var originalRecipient: String?
        /// `failed`, `delayed`, `delivered`, `relayed` or `expanded` (lowercased); `failed` for a
        /// plain-text bounce.
        public var action: String
        /// The RFC 3463 status (`5.1.1`), `nil` when the report gives none.
        public var status: String?
        /// The diagnostic without its type (`550 5.1.1 <maria@cliente.pt>: Recipient address
        /// rejected: User unknown`), `nil` when the report gives none.
        public var diagnostic: String?

        public init(recipient: String, originalRecipient: String? = nil, action: String, status: String? = nil,
                    diagnostic: String? = nil) {
            self.recipient = recipient
            self.originalRecipient = originalRecipient
            self.action = action
            self.status = status
            self.diagnostic = diagnostic
        }

        /// The address in lower case, as `tidings.address_health` keys it and
        /// `recipient_results` is matched (angle brackets and blanks removed).
        public var address: String {
            recipient.trimmingCharacters(in: CharacterSet(charactersIn: " \t<>")).lowercased()
        }

        /// The email did not reach this recipient and will not: `Action: failed` (a standard
        /// report without an Action counts as failed, an old server's text as failed unless
        /// it says the failure is temporary).
        public var isFailure: Bool { action == "failed" }

        /// How `address_health` counts it: hard for a 5.x.x status (or, without one, a 5xx
        /// reply in the diagnostic, or no code at all), soft for 4.x.x or a delay. `nil` for a
        /// recipient the report says was delivered, relayed or expanded.
        public var severity: BounceSeverity? {
            switch action {
            case "delivered", "relayed", "expanded": return nil
            case "delayed": return .soft
            default: return BounceSeverity(status: status) ?? BounceSeverity(status: diagnostic) ?? .hard
            }
        }
    }

    public var recipients: [Recipient]
    /// The reported message's Message-ID (`<left@right>`), when the report returns its headers.
    public var originalMessageID: String?
    /// The reported message's header fields, when returned (to find what it was beyond its id).
    public var originalHeaders: [InboundHeader]
    /// The per-message fields of the report (Reporting-MTA, Arrival-Date, X-Postfix-Queue-ID, …).
    public var reportFields: [InboundHeader]
    /// `false` for a plain-text bounce read best-effort.
    public var isStandard: Bool

    /// At most this many recipients are read from one report.
    static let maxRecipients = 100

    /// The report `message` is, or `nil` when it is not one.
    public static func parse(_ message: InboundMessage) -> DeliveryReport? {
        if let status = message.returned.deliveryStatus,
           message.returned.reportType == nil || message.returned.reportType!.contains("delivery-status") {
            return standard(status, message: message)
        }
        if looksLikeBounce(message) { return legacy(message) }
        return nil
    }

    private static func standard(_ status: [UInt8], message: InboundMessage) -> DeliveryReport {
        let blocks = fieldBlocks(status)
        var reportFields: [InboundHeader] = []
        var recipients: [Recipient] = []
        for (offset, block) in blocks.enumerated() {
            let isRecipient = block.first(named: "Final-Recipient") != nil || block.first(named: "Original-Recipient") != nil
            if !isRecipient {
                if offset == 0 { reportFields = block }
                continue
            }
            guard recipients.count < maxRecipients else { break }
            let final = block.first(named: "Final-Recipient").map(typedValue)
            let original = block.first(named: "Original-Recipient").map(typedValue)
            guard let address = final ?? original, !address.isEmpty else { continue }
            let action = block.first(named: "Action").map { $0.text.trimmingWhitespace().lowercased() } ?? "failed"
            let status = block.first(named: "Status").map { statusCode(in: $0.text) ?? $0.text.trimmingWhitespace() }
            let diagnostic = block.first(named: "Diagnostic-Code").map(typedValue)
            recipients.append(Recipient(recipient: address, originalRecipient: original, action: action,
                                        status: status.flatMap { $0.isEmpty ? nil : $0 },
                                        diagnostic: diagnostic.flatMap { $0.isEmpty ? nil : $0 }))
        }
        let originalHeaders = message.returned.originalHeaders ?? []
        return DeliveryReport(recipients: recipients, originalMessageID: messageID(in: originalHeaders),
                              originalHeaders: originalHeaders, reportFields: reportFields, isStandard: true)
    }

    /// The delivery-status body's blocks of fields, split at empty lines.
    static func fieldBlocks(_ status: [UInt8]) -> [[InboundHeader]] {
        var blocks: [[InboundHeader]] = []
        var position = 0
        while position < status.count && blocks.count <= maxRecipients {
            // Skip empty lines between blocks.
            while position < status.count && HeaderBlock.isWhitespace(status[position]) { position += 1 }
            guard position < status.count else { break }
            let (fields, next) = HeaderBlock.parse(status, position..<status.count)
            if !fields.isEmpty { blocks.append(fields) }
            if next <= position { break }
            position = next
        }
        return blocks
    }

    /// `rfc822; maria@cliente.pt` → `maria@cliente.pt`; `smtp; 550 …` → `550 …`. Blanks collapsed.
    private static func typedValue(_ field: InboundHeader) -> String {
        let text = field.text
        let value = text.firstIndex(of: ";").map { text[text.index(after: $0)...] } ?? text[...]
        var collapsed = value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        if collapsed.hasPrefix("<") && collapsed.hasSuffix(">") && !collapsed.dropFirst().contains("<") {
            collapsed = String(collapsed.dropFirst().dropLast())
        }
        return collapsed
    }

    static func messageID(in headers: [InboundHeader]) -> String? {
        headers.first(named: "Message-ID").flatMap { MessageIDList.parse($0.rawValue).first }
    }

    // MARK: plain-text bounces

    private static let bounceSenders = ["mailer-daemon", "postmaster", "mail delivery subsystem", "mail delivery system"]
    private static let bounceSubjects = [
        "undeliver", "undelivered", "returned mail", "delivery status notification", "mail delivery failed",
        "delivery failure", "failure notice", "delivery failed", "could not be delivered", "non-delivery",
        "não entregue", "nao entregue", "mensagem não entregue", "falha na entrega", "devolvida",
    ]

    static func looksLikeBounce(_ message: InboundMessage) -> Bool {
        guard let from = message.from else { return false }
        let local = from.address.split(separator: "@").first.map { $0.lowercased() } ?? ""
        let name = from.name?.lowercased() ?? ""
        guard bounceSenders.contains(local) || bounceSenders.contains(where: { name.contains($0) }) else { return false }
        let subject = message.subject.lowercased()
        return bounceSubjects.contains { subject.contains($0) }
    }

    private static func legacy(_ message: InboundMessage) -> DeliveryReport {
        let text = message.textBody
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(2_000)
        // Where the returned copy starts: the original's headers are below, not the failure.
        let copyStart = lines.firstIndex { line in
            let lower = line.lowercased()
            return lower.contains("copy of the message") || lower.contains("original message follows")
                || lower.contains("returned message") || lower.contains("mensagem original")
                || lower.hasPrefix("return-path:") || lower.hasPrefix("received:")
        } ?? lines.endIndex
        let report = lines[..<copyStart]
        let sender = message.from?.address.lowercased()

        var recipient: String?
        // "The following address(es) failed:" then the address on a line of its own.
        if let marker = report.firstIndex(where: { $0.lowercased().contains("failed:") || $0.lowercased().contains("following address")
            || $0.lowercased().contains("following recipient") }) {
            recipient = report[(marker + 1)...].lazy.compactMap { firstAddress(in: $0, except: sender) }.first
                ?? firstAddress(in: report[marker], except: sender)
        }
        if recipient == nil, let rcpt = report.first(where: { $0.uppercased().contains("RCPT TO:") }) {
            recipient = firstAddress(in: rcpt, except: sender)
        }
        if recipient == nil { recipient = report.lazy.compactMap { firstAddress(in: $0, except: sender) }.first }

        let statusLine = report.first { statusCode(in: String($0)) != nil }
        let status = statusLine.flatMap { statusCode(in: String($0)) }
        let replyLine = statusLine ?? report.first { replyCode(in: $0) != nil }
        var diagnostic = replyLine.map { String($0.trimmingBlanksSubstring) }
        if let line = diagnostic, line.count > 500 { diagnostic = String(line.prefix(500)) }
        var recipients: [Recipient] = []
        if let recipient {
            let code = status ?? replyLine.flatMap { replyCode(in: $0) }
            let lower = report.joined(separator: " ").lowercased()
            let action = code?.first == "4" || (code == nil && (lower.contains("temporar") || lower.contains("delayed")))
                ? "delayed" : "failed"
            recipients.append(Recipient(recipient: recipient, originalRecipient: nil, action: action,
                                        status: status, diagnostic: diagnostic))
        }
        var originalHeaders = message.returned.originalHeaders ?? []
        if originalHeaders.isEmpty, copyStart < lines.endIndex {
            // The copy inline in the text: its header block, after the marker line and blanks.
            let copy = Array(lines[copyStart...].drop { !$0.contains(":") || $0.lowercased().contains("copy of the message") }
                .joined(separator: "\n").utf8)
            originalHeaders = HeaderBlock.parse(copy, 0..<copy.count).fields
        }
        return DeliveryReport(recipients: recipients, originalMessageID: messageID(in: originalHeaders),
                              originalHeaders: originalHeaders, reportFields: [], isStandard: false)
    }

    /// The first RFC 3463 status code (`5.1.1`, `4.2.2`) in `text`.
    static func statusCode(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars.prefix(4_000))
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            // Not inside a word, a number or an IP address ("10.5.1.1").
            let startsWord = index == 0 || !isWordScalar(scalars[index - 1]) && scalars[index - 1] != "."
            if startsWord, scalar == "2" || scalar == "4" || scalar == "5", index + 4 < scalars.count, scalars[index + 1] == "." {
                var position = index + 2
                let subject = digits(scalars, &position, max: 3)
                if subject > 0, position < scalars.count, scalars[position] == "." {
                    position += 1
                    let detail = digits(scalars, &position, max: 3)
                    // The end: not followed by more of a word or a number (a sentence's full stop is fine).
                    let ends = position == scalars.count || !isWordScalar(scalars[position])
                        && !(scalars[position] == "." && position + 1 < scalars.count && isWordScalar(scalars[position + 1]))
                    if detail > 0, ends {
                        return String(String.UnicodeScalarView(scalars[index..<position]))
                    }
                }
            }
            index += 1
        }
        return nil
    }

    /// An SMTP reply code (`550`) opening a word in `line`.
    private static func replyCode(in line: Substring) -> String? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == ":" })
        return words.first { word in
            word.count == 3 && (word.first == "4" || word.first == "5") && word.allSatisfy(\.isASCIIDigit)
        }.map(String.init)
    }

    private static func digits(_ scalars: [Unicode.Scalar], _ position: inout Int, max: Int) -> Int {
        var count = 0
        while position < scalars.count, count < max, scalars[position].properties.numericType == .decimal,
              scalars[position].isASCII {
            position += 1
            count += 1
        }
        return count
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || (scalar.isASCII && scalar.properties.numericType == .decimal)
    }

    /// The first `local@domain` in `line` other than `except`.
    private static func firstAddress(in line: Substring, except: String?) -> String? {
        let separators: Set<Character> = [" ", "\t", "<", ">", "(", ")", "[", "]", ",", ";", "\"", "'"]
        for word in line.split(whereSeparator: { separators.contains($0) }) {
            var candidate = word
            while let last = candidate.last, last == "." || last == ":" { candidate = candidate.dropLast() }
            if candidate.hasPrefix("TO:") || candidate.hasPrefix("to:") { candidate = candidate.dropFirst(3) }
            guard let at = candidate.firstIndex(of: "@"), at > candidate.startIndex,
                  candidate[candidate.index(after: at)...].contains("."),
                  candidate.lowercased() != except else { continue }
            return String(candidate)
        }
        return nil
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
