/// A Content-Type or Content-Disposition value: the token before the first `;` (lowercased) and
/// its parameters (names lowercased).
///
/// Parameters may be quoted (with `\` escapes), RFC 2231 extended (`filename*=utf-8''na%C3%AFve.pdf`)
/// or continued (`filename*0*=…; filename*1*=…`); encoded words inside a quoted value (what
/// Outlook and Gmail write for a non-ASCII filename) are decoded too. Bad syntax gives what could
/// be read.
struct MIMEHeaderValue: Sendable, Equatable {
    var value: String
    var parameters: [String: String]

    init(value: String, parameters: [String: String] = [:]) {
        self.value = value
        self.parameters = parameters
    }

    init(_ raw: [UInt8]) {
        var index = 0
        let count = raw.count
        func skipBlanks() {
            while index < count && raw[index] <= 0x20 { index += 1 }
        }
        skipBlanks()
        let valueStart = index
        while index < count && raw[index] != 0x3B { index += 1 }
        value = String(decoding: HeaderBlock.trimmed(Array(raw[valueStart..<index])), as: UTF8.self).lowercased()
        var plain: [String: String] = [:]
        var extended: [String: [(section: Int, encoded: Bool, value: [UInt8])]] = [:]
        while index < count && extended.count + plain.count < 64 {
            index += 1  // the ";"
            skipBlanks()
            let nameStart = index
            while index < count && raw[index] != 0x3D && raw[index] != 0x3B { index += 1 }
            let name = String(decoding: HeaderBlock.trimmed(Array(raw[nameStart..<index])), as: UTF8.self).lowercased()
            guard index < count, raw[index] == 0x3D else { continue }
            index += 1
            skipBlanks()
            var parameterValue: [UInt8] = []
            if index < count && raw[index] == 0x22 {
                index += 1
                while index < count && raw[index] != 0x22 {
                    if raw[index] == 0x5C && index + 1 < count { index += 1 }
                    parameterValue.append(raw[index])
                    index += 1
                }
                if index < count { index += 1 }
                while index < count && raw[index] != 0x3B { index += 1 }
            } else {
                let start = index
                while index < count && raw[index] != 0x3B { index += 1 }
                parameterValue = HeaderBlock.trimmed(Array(raw[start..<index]))
            }
            if name.isEmpty { continue }
            // RFC 2231: name*, name*0, name*0*, name*1*, …
            if let star = name.firstIndex(of: "*") {
                let base = String(name[..<star])
                var rest = name[name.index(after: star)...]
                var encoded = false
                if rest.hasSuffix("*") {
                    encoded = true
                    rest = rest.dropLast()
                }
                let section: Int
                if rest.isEmpty {
                    section = 0
                    encoded = true
                } else if let number = Int(rest), number >= 0, number < 1000 {
                    section = number
                } else {
                    continue
                }
                extended[base, default: []].append((section, encoded, parameterValue))
                continue
            }
            if plain[name] == nil {
                // A boundary is compared as bytes, never decoded.
                plain[name] = name == "boundary" ? String(decoding: parameterValue, as: UTF8.self) : EncodedWords.decode(parameterValue[...])
            }
        }
        for (name, sections) in extended {
            let ordered = sections.sorted { $0.section < $1.section }
            var charset: String?
            var bytes: [UInt8] = []
            for (offset, section) in ordered.enumerated() {
                var text = section.value[...]
                if section.encoded {
                    if offset == 0, let first = text.firstIndex(of: 0x27),
                       let second = text[(first + 1)...].firstIndex(of: 0x27) {
                        charset = String(decoding: text[text.startIndex..<first], as: UTF8.self)
                        text = text[(second + 1)...]
                    }
                    bytes.append(contentsOf: HexEscape.decodeAll(text, marker: UInt8(ascii: "%")))
                } else {
                    bytes.append(contentsOf: text)
                }
            }
            plain[name] = InboundCharset.decodeLenient(bytes, charset: charset)
        }
        parameters = plain
    }
}
