import Mustache

/// HTML escaping of `&`, `<`, `>`, `"` and `'` over UTF-8 bytes: text without any of them (most
/// names, times, labels) is returned as is without copying. swift-mustache's own escaper walks
/// `Character`s with a dictionary lookup each, which showed up as an eighth of a digest's
/// rendering time.
public struct HTMLEscaping: MustacheContentType {
    /// The name HTML templates are compiled with (`TemplateRules.compile` declares it).
    static let contentTypeName = "TIDINGS_HTML"

    /// Registers this escaper with swift-mustache once, before the first template compiles.
    static let registration: Void = {
        MustacheContentTypes.register(HTMLEscaping(), named: contentTypeName)
    }()

    public init() {}

    public func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    public static func escape<S: StringProtocol>(_ text: S) -> String {
        guard text.utf8.contains(where: isSpecial) else { return String(text) }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 32)
        append(String(text), to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `text` to `output`, escaped: the same bytes as `escape(text).utf8`.
    static func append(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { append($0, to: &output) }
    }

    /// Appends UTF-8 `bytes` to `output`, escaped.
    static func append(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0, to: &output) }
    }

    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var start = 0
        for (index, byte) in bytes.enumerated() where isSpecial(byte) {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            output.append(contentsOf: entity(byte))
            start = index + 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    private static func entity(_ byte: UInt8) -> [UInt8] {
        switch byte {
        case UInt8(ascii: "&"): return ampersand
        case UInt8(ascii: "<"): return lessThan
        case UInt8(ascii: ">"): return greaterThan
        case UInt8(ascii: "\""): return quote
        default: return apostrophe
        }
    }

    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let quote = Array("&quot;".utf8)
    private static let apostrophe = Array("&#39;".utf8)

    @inline(__always)
    static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
