/// Writes header fields into the message buffer, folding at blanks so lines stay within 78
/// characters (RFC 5322 section 2.1.1) wherever the content allows it.
///
/// Folding inserts CRLF *before* an existing blank, so unfolding (removing the CRLF) gives
/// back exactly the value that was written. It never folds right after `Name:`, because
/// parsers drop the blanks that open a value.
struct HeaderWriter {
    static let lineLimit = 78
    static let space: [UInt8] = [MailBytes.space]

    var out: [UInt8]
    private var lineStart = 0
    /// True once the current field holds a token, i.e. once a fold would be legal.
    private(set) var canFold = false

    init(capacity: Int) {
        out = []
        out.reserveCapacity(capacity)
    }

    var column: Int { out.count - lineStart }

    mutating func begin(_ name: StaticString) {
        lineStart = out.count
        canFold = false
        MailBytes.append(name, to: &out)
        out.append(MailBytes.colon)
    }

    mutating func begin(_ name: String) {
        lineStart = out.count
        canFold = false
        out.append(contentsOf: name.utf8)
        out.append(MailBytes.colon)
    }

    /// Appends `separator` (blanks, normally one space) and `token`, folding before the
    /// separator when the token would pass the line limit and a fold is possible.
    mutating func append<Token: Collection<UInt8>, Separator: Collection<UInt8>>(_ token: Token, separator: Separator) {
        let separatorCount = separator.count
        if canFold && separatorCount > 0 && column + separatorCount + token.count > Self.lineLimit {
            fold()
        }
        out.append(contentsOf: separator)
        out.append(contentsOf: token)
        canFold = true
    }

    mutating func append<Token: Collection<UInt8>>(_ token: Token) {
        append(token, separator: CollectionOfOne(MailBytes.space))
    }

    /// Like `append`, for a token the caller writes into `out` itself right after this call:
    /// folds if a token of `length` would pass the limit, then writes the separator.
    mutating func startToken<Separator: Collection<UInt8>>(length: Int, separator: Separator) {
        let separatorCount = separator.count
        if canFold && separatorCount > 0 && column + separatorCount + length > Self.lineLimit {
            fold()
        }
        out.append(contentsOf: separator)
        canFold = true
    }

    /// Starts a continuation line; the caller appends a blank-led token next. Does nothing
    /// on a line that is still empty, so no fold can ever produce a blank line (which
    /// would end the header block).
    mutating func fold() {
        guard column > 0 else { return }
        out.append(MailBytes.cr)
        out.append(MailBytes.lf)
        lineStart = out.count
    }

    mutating func end() {
        out.append(MailBytes.cr)
        out.append(MailBytes.lf)
        canFold = false
    }

    /// A whole field whose value is one known-safe ASCII token (dates, ids, MIME values).
    mutating func field(_ name: StaticString, _ value: StaticString) {
        begin(name)
        out.append(MailBytes.space)
        MailBytes.append(value, to: &out)
        end()
    }
}
