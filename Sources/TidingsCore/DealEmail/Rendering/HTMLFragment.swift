/// Helpers for HTML that authors supply.
enum HTMLFragment {
    /// The inside of the `<body>` of a whole HTML document, so it can sit inside our template;
    /// a fragment without `<body>` is returned unchanged. Works on UTF-8 bytes: the markers are
    /// ASCII, and ASCII bytes never occur inside a multi-byte UTF-8 character, so the cut is
    /// always on a character boundary.
    static func bodyContent(of html: String) -> String {
        let bytes = Array(html.utf8)
        guard let open = find(Array("<body".utf8), in: bytes, from: 0),
              let tagEnd = bytes[open...].firstIndex(of: UInt8(ascii: ">")) else { return html }
        let start = tagEnd + 1
        let end = find(Array("</body".utf8), in: bytes, from: start) ?? bytes.count
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The first offset of `needle` (ASCII, matched case-insensitively) at or after `from`.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var index = from
        while index + needle.count <= bytes.count {
            var matches = true
            for offset in 0..<needle.count where asciiLower(bytes[index + offset]) != asciiLower(needle[offset]) {
                matches = false
                break
            }
            if matches { return index }
            index += 1
        }
        return nil
    }

    static func asciiLower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
