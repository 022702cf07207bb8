/// Makes and checks the signed tokens of digest links (`http.link_key_file`,
/// `http.previous_link_key_file`, `http.link_max_age_days`).
///
/// A token is `<payload>.<mac>`: the MAC is HMAC-SHA256 over the payload, cut to
/// `macLength` bytes (128 bits: more than anyone can try against an HTTP listener). Tokens are
/// made with the current key; a token made with the previous key still verifies, so rotating
/// the key does not break the links in digests already delivered. A link older than the
/// maximum age is refused, like one with a wrong MAC: the listener tells neither apart.
public struct LinkSigner: Sendable, Hashable {
    /// Bytes of the MAC kept in a token.
    public static let macLength = 16

    /// Why a token is refused (for the log, never shown to the visitor).
    public enum Refusal: Error, Sendable, Equatable {
        /// Not `<payload>.<mac>` in base64url, or a payload that is not a token.
        case malformed
        /// Neither key made this MAC: tampered, or signed with a key no longer configured.
        case badSignature
        /// Older than the maximum age (or issued more than a day ahead of this clock).
        case expired
    }

    public let key: HMACKey
    public let previousKey: HMACKey?
    public let maxAgeDays: Int

    public init(key: HMACKey, previousKey: HMACKey? = nil, maxAgeDays: Int) {
        self.key = key
        self.previousKey = previousKey
        self.maxAgeDays = maxAgeDays
    }

    /// The token of `link`, signed with the current key.
    public func token(_ link: LinkToken) -> String {
        let payload = link.signedText
        return Base64URL.encode(payload) + "." + Base64URL.encode(key.authenticationCode(for: payload).prefix(Self.macLength))
    }

    /// The link `token` carries, when one of the keys signed it and it is not older than the
    /// maximum age on `today` (a UTC day number, `LinkToken.day(of:)`). Both keys are tried
    /// in full whatever the first says, so the time taken does not tell which key matched.
    public func verify(_ token: some StringProtocol, today: Int) -> Result<LinkToken, Refusal> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(parts[0]), let mac = Base64URL.decode(parts[1]),
              mac.count == Self.macLength
        else { return .failure(.malformed) }
        let current = HMACKey.constantTimeEqual(mac, key.authenticationCode(for: payload).prefix(Self.macLength))
        let previous = previousKey.map { HMACKey.constantTimeEqual(mac, $0.authenticationCode(for: payload).prefix(Self.macLength)) }
        guard current || previous == true else { return .failure(.badSignature) }
        guard let link = LinkToken(signedText: payload) else { return .failure(.malformed) }
        guard today - link.issuedDay <= maxAgeDays, link.issuedDay <= today + 1 else { return .failure(.expired) }
        return .success(link)
    }
}
