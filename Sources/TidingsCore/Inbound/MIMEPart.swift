/// One entity of a received message's MIME tree: its header fields, content type and, for a
/// multipart, its children. The body stays in the message's bytes (`bodyRange`), so the tree
/// costs a few hundred bytes per part whatever the message's size.
struct MIMEPart: Sendable {
    var headers: [InboundHeader]
    var contentType: MIMEHeaderValue
    var disposition: MIMEHeaderValue?
    var transferEncoding: String?
    var bodyRange: Range<Int>
    var children: [MIMEPart] = []

    var isMultipart: Bool { contentType.value.hasPrefix("multipart/") }
    var charset: String? { contentType.parameters["charset"] }

    /// A filename from Content-Disposition or the older Content-Type `name`.
    var filename: String? { disposition?.parameters["filename"] ?? contentType.parameters["name"] }

    var isAttachment: Bool { disposition?.value == "attachment" || filename != nil }

    /// The body with its transfer encoding undone.
    func decodedBody(in bytes: [UInt8]) -> [UInt8] {
        TransferDecoding.decode(bytes[bodyRange], encoding: transferEncoding)
    }

    /// Every part below this one (this one first), depth first.
    func walk(_ visit: (MIMEPart) -> Void) {
        visit(self)
        for child in children { child.walk(visit) }
    }
}

/// Splits a message into its MIME tree.
///
/// Lenient where mail is broken: a multipart without its closing delimiter ends where its
/// enclosing body ends, a boundary line may carry trailing blanks, a part without headers is
/// `text/plain`, a multipart without a boundary or without any delimiter is one opaque part.
/// Bounded: nesting stops at `maxDepth` (deeper multiparts stay opaque) and at most `maxParts`
/// parts are read, so a hostile message costs time linear in its size (each nesting level
/// scans its own bytes once) and a bounded tree.
enum MIMEParser {
    static let maxDepth = 16
    static let maxParts = 500

    static func parse(_ bytes: [UInt8], _ range: Range<Int>, headersOnly: Bool) -> MIMEPart {
        var budget = maxParts
        return parseEntity(bytes, range, depth: 0, defaultType: "text/plain", headersOnly: headersOnly, budget: &budget)
    }

    private static func parseEntity(_ bytes: [UInt8], _ range: Range<Int>, depth: Int, defaultType: String,
                                    headersOnly: Bool, budget: inout Int) -> MIMEPart {
        budget -= 1
        let (headers, bodyStart) = HeaderBlock.parse(bytes, range)
        var contentType = headers.first(named: "Content-Type").map { MIMEHeaderValue($0.rawValue) }
            ?? MIMEHeaderValue(value: defaultType)
        if !contentType.value.contains("/") { contentType.value = defaultType }
        let disposition = headers.first(named: "Content-Disposition").map { MIMEHeaderValue($0.rawValue) }
        let encoding = headers.first(named: "Content-Transfer-Encoding")
            .map { String(decoding: $0.rawValue, as: UTF8.self).trimmingWhitespace().lowercased() }
        var part = MIMEPart(headers: headers, contentType: contentType, disposition: disposition,
                            transferEncoding: encoding, bodyRange: bodyStart..<range.upperBound)
        guard !headersOnly, part.isMultipart, depth < maxDepth,
              let boundary = contentType.parameters["boundary"], !boundary.isEmpty else { return part }
        let childType = contentType.value == "multipart/digest" ? "message/rfc822" : "text/plain"
        for childRange in partRanges(bytes, part.bodyRange, boundary: Array(boundary.utf8)) {
            guard budget > 0 else { break }
            part.children.append(parseEntity(bytes, childRange, depth: depth + 1, defaultType: childType,
                                             headersOnly: false, budget: &budget))
        }
        return part
    }

    /// The byte ranges of the parts between `--boundary` delimiter lines, up to the closing
    /// `--boundary--` or the end of `range`. The line end before a delimiter belongs to it.
    static func partRanges(_ bytes: [UInt8], _ range: Range<Int>, boundary: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var partStart: Int?
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            var lineEnd = lineStart
            while lineEnd < range.upperBound && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = lineEnd < range.upperBound ? lineEnd + 1 : range.upperBound
            if let closing = delimiter(bytes, lineStart..<lineEnd, boundary: boundary) {
                if let start = partStart {
                    ranges.append(start..<max(start, precedingLineEnd(bytes, before: lineStart, floor: start)))
                    if ranges.count >= maxParts { return ranges }
                }
                if closing { return ranges }
                partStart = next
            }
            lineStart = next
        }
        if let start = partStart, start < range.upperBound { ranges.append(start..<range.upperBound) }
        return ranges
    }

    /// `true` for the closing delimiter, `false` for a part delimiter, `nil` for another line.
    private static func delimiter(_ bytes: [UInt8], _ line: Range<Int>, boundary: [UInt8]) -> Bool? {
        let length = boundary.count + 2
        guard line.count >= length, bytes[line.lowerBound] == 0x2D, bytes[line.lowerBound + 1] == 0x2D,
              bytes[(line.lowerBound + 2)..<(line.lowerBound + length)].elementsEqual(boundary) else { return nil }
        var rest = line.lowerBound + length
        var closing = false
        if rest + 1 < line.upperBound && bytes[rest] == 0x2D && bytes[rest + 1] == 0x2D {
            closing = true
            rest += 2
        }
        while rest < line.upperBound {
            guard HeaderBlock.isWhitespace(bytes[rest]) else { return nil }
            rest += 1
        }
        return closing
    }

    /// Where the content before a delimiter line ends: the CRLF or LF before it is the delimiter's.
    private static func precedingLineEnd(_ bytes: [UInt8], before lineStart: Int, floor: Int) -> Int {
        var end = lineStart
        if end > floor && bytes[end - 1] == 0x0A { end -= 1 }
        if end > floor && bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }
}
