extension EmailAddress {
    /// Checks a local part's value and returns its wire form: as is when it is a dot-atom,
    /// otherwise a quoted-string with `"` and `\` escaped.
    ///
    /// UTF-8 is allowed (RFC 6531 3.3: atext and qtext take UTF8-non-ascii): such an address
    /// goes where the server offers SMTPUTF8, and the transport refuses it by name where the
    /// server does not (`SMTPTransactionMachine`), since no ASCII form of it exists.
    static func encodeLocalPart(_ value: String) throws(AddressProblem) -> String {
        guard !value.isEmpty else { throw AddressProblem(.missingLocalPart, "missing local part") }
        if value.unicodeScalars.contains(where: \.isControlCharacter) {
            throw AddressProblem(.invalidLocalPart, "control character in the local part")
        }
        let wire: String
        if MailBytes.isDotAtom(value.utf8, allowingUTF8: true) {
            wire = value
        } else {
            var quoted: [UInt8] = [MailBytes.quote]
            for byte in value.utf8 {
                if byte == MailBytes.quote || byte == MailBytes.backslash { quoted.append(MailBytes.backslash) }
                quoted.append(byte)
            }
            quoted.append(MailBytes.quote)
            wire = String(decoding: quoted, as: UTF8.self)
        }
        guard wire.utf8.count <= maxLocalPartLength else {
            throw AddressProblem(.tooLong, "local part longer than 64 octets")
        }
        return wire
    }

    /// Checks an unquoted local part as typed (it must be a dot-atom) and returns its wire form.
    static func encodeUnquotedLocalPart(_ value: String) throws(AddressProblem) -> String {
        guard !value.isEmpty else { throw AddressProblem(.missingLocalPart, "missing local part") }
        if !MailBytes.isDotAtom(value.utf8, allowingUTF8: true) {
            if let bad = value.utf8.first(where: { !MailBytes.isAtext($0) && $0 != MailBytes.dot }) {
                let shown = AddressError.printable(String(decoding: [bad], as: UTF8.self))
                throw AddressProblem(.invalidLocalPart, "character '\(shown)' in the local part needs quoting")
            }
            throw AddressProblem(.invalidLocalPart, "misplaced dot in the local part")
        }
        return try encodeLocalPart(value)
    }

    /// Validates a domain: a host name (converted to ASCII) or an address literal.
    static func normalizeDomain(_ domain: String) throws(AddressProblem) -> String {
        guard !domain.isEmpty else { throw AddressProblem(.missingDomain, "missing domain") }
        if domain.utf8.first == UInt8(ascii: "[") { return try checkAddressLiteral(domain) }
        return try IDNA.toASCII(domain)
    }

    /// `[192.0.2.1]` or `[IPv6:2001:db8::1]`.
    private static func checkAddressLiteral(_ literal: String) throws(AddressProblem) -> String {
        guard literal.utf8.last == UInt8(ascii: "]") else {
            throw AddressProblem(.invalidDomain, "unterminated address literal")
        }
        let inner = literal.dropFirst().dropLast()
        if inner.lowercased().hasPrefix("ipv6:") {
            let body = inner.dropFirst(5)
            let valid = !body.isEmpty && body.utf8.allSatisfy { byte in
                byte == MailBytes.colon || byte == MailBytes.dot || (byte < 0x80 && Character(Unicode.Scalar(byte)).isHexDigit)
            } && body.contains(":")
            guard valid else { throw AddressProblem(.invalidDomain, "invalid IPv6 address literal") }
            return "[IPv6:" + body.lowercased() + "]"
        }
        let octets = inner.split(separator: ".", omittingEmptySubsequences: false)
        let valid = octets.count == 4 && octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII) && octet.allSatisfy(\.isNumber)
                && (Int(octet) ?? 256) <= 255
        }
        guard valid else { throw AddressProblem(.invalidDomain, "invalid address literal \(AddressError.printable(literal))") }
        return literal
    }
}
