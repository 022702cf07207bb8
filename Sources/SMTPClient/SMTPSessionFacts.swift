/// What one SMTP connection established, as its replies showed: TLS, whether the server offered
/// AUTH, what SIZE it announced and which other service extensions it offers (in its latest EHLO
/// reply, the one after STARTTLS when there was one), and whether AUTH succeeded. Kept for as
/// long as the connection is, across messages.
///
/// With credentials configured, a session that did not authenticate must not send: a relay that
/// offers AUTH only after STARTTLS, spoken to in plaintext (`tls: auto` to a loopback host),
/// offers none, libcurl then skips AUTH silently, and the mail would go out unauthenticated or be
/// refused with a misleading reply (`CurlSMTPConnection` checks this before MAIL FROM).
///
/// The extensions decide how `SMTPTransactionMachine` speaks: PIPELINING (RFC 2920) lets a
/// transaction's commands go in one write, DSN (RFC 3461) allows delivery-status parameters,
/// SMTPUTF8 (RFC 6531) allows UTF-8 addresses, 8BITMIME (RFC 6152) an 8-bit body.
public struct SMTPSessionFacts: Sendable, Equatable {
    public var usedTLS: Bool
    public var authOffered: Bool
    public var authenticated: Bool
    /// The largest message the server takes, from `SIZE n` in its EHLO reply (RFC 1870); nil
    /// when it announced none or `SIZE 0` (no fixed limit).
    public var sizeLimit: Int?
    /// The server announced SIZE, with or without a limit: MAIL FROM may declare `SIZE=`.
    public var sizeOffered = false
    public var pipelining = false
    public var deliveryStatusNotifications = false
    public var smtpUTF8 = false
    public var eightBitMIME = false

    /// `sizeOffered` defaults to whether there is a `sizeLimit`: a limit is only ever learnt
    /// from an offered SIZE.
    public init(usedTLS: Bool = false, authOffered: Bool = false, authenticated: Bool = false, sizeLimit: Int? = nil,
                sizeOffered: Bool? = nil) {
        self.usedTLS = usedTLS
        self.authOffered = authOffered
        self.authenticated = authenticated
        self.sizeLimit = sizeLimit
        self.sizeOffered = sizeOffered ?? (sizeLimit != nil)
    }

    /// Takes what a positive EHLO reply's text (lines joined by "\n", the server's name first)
    /// offers; extensions it does not list are not offered, whatever an earlier EHLO said.
    mutating func learnExtensions(ehloText text: String) {
        forgetExtensions()
        for line in text.split(separator: "\n").dropFirst() {
            let keyword = line.prefix { $0 != " " && $0 != "=" }.uppercased()
            switch keyword {
            case "AUTH": authOffered = true
            case "SIZE":
                sizeOffered = true
                sizeLimit = Self.sizeLimit(ehloText: String(line))
            case "PIPELINING": pipelining = true
            case "DSN": deliveryStatusNotifications = true
            case "SMTPUTF8": smtpUTF8 = true
            case "8BITMIME": eightBitMIME = true
            default: continue
            }
        }
    }

    /// After STARTTLS the capabilities said in plaintext no longer count (RFC 3207 4.2): the
    /// next EHLO says what is offered.
    mutating func forgetExtensions() {
        authOffered = false
        sizeLimit = nil
        sizeOffered = false
        pipelining = false
        deliveryStatusNotifications = false
        smtpUTF8 = false
        eightBitMIME = false
    }

    /// The limit in `SIZE n` of an EHLO reply's text (lines joined by "\n"), when positive.
    static func sizeLimit(ehloText text: String) -> Int? {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.first?.uppercased() == "SIZE" else { continue }
            guard words.count > 1, let limit = Int(words[1]), limit > 0 else { return nil }
            return limit
        }
        return nil
    }
}
