import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the bytes of a received header word or body part into text under its declared charset.
///
/// The charsets mail from a Portuguese- and English-speaking CRM's contacts actually arrives in
/// (UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15, Windows-1252) are decoded here by hand: Foundation's
/// `String(data:encoding:)` on Linux lacks several of them (no ISO-8859-15 at all, and its
/// Windows-1252 and Latin-1 differ from the platforms' tables), and the parser must give the same
/// text on every platform. Any other charset goes through the C library's `iconv`; a charset
/// `iconv` does not know either gives `nil`, and the caller decides (an encoded word stays as
/// written, a body part falls back to `decodeGuessing`).
///
/// Decoding never fails on bad bytes: an invalid sequence becomes U+FFFD, as mail clients show it.
enum InboundCharset {
    /// The text of `bytes` in `charset` (any spelling: `UTF-8`, `utf8`, `"latin1"`, `cp1252`), or
    /// `nil` if neither the hand-written tables nor `iconv` know the charset.
    static func decode<C: Collection<UInt8>>(_ bytes: C, charset: String) -> String? {
        switch Known(charset) {
        case .utf8?: return String(decoding: bytes, as: UTF8.self)
        case .ascii?: return decodeGuessing(bytes)
        case .latin1?: return mapped(bytes) { Unicode.Scalar($0) }
        case .latin9?: return mapped(bytes) { latin9($0) }
        case .windows1252?: return mapped(bytes) { windows1252($0) }
        case nil: return Iconv.decode(Array(bytes), from: charset)
        }
    }

    /// Text whose charset is unknown or was not declared (8-bit bytes in a header, a text part
    /// without `charset`, a part labelled US-ASCII that is not): UTF-8 when the bytes are valid
    /// UTF-8, else Windows-1252, which is what such mail almost always is.
    static func decodeGuessing<C: Collection<UInt8>>(_ bytes: C) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return mapped(bytes) { windows1252($0) }
    }

    /// `decode`, falling back to `decodeGuessing` for a charset nobody knows.
    static func decodeLenient<C: Collection<UInt8>>(_ bytes: C, charset: String?) -> String {
        guard let charset, !charset.isEmpty else { return decodeGuessing(bytes) }
        return decode(bytes, charset: charset) ?? decodeGuessing(bytes)
    }

    enum Known {
        case utf8, ascii, latin1, latin9, windows1252

        init?(_ name: String) {
            var key = name.lowercased()
            key.removeAll { $0 == "\"" || $0 == "'" || $0 == " " }
            switch key {
            case "utf-8", "utf8", "unicode-1-1-utf-8": self = .utf8
            case "us-ascii", "ascii", "ansi_x3.4-1968", "us", "iso646-us": self = .ascii
            case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "iso-ir-100", "ibm819":
                self = .latin1
            case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin9", "latin-9", "l9": self = .latin9
            case "windows-1252", "cp1252", "x-cp1252", "win-1252", "ms-ansi": self = .windows1252
            default: return nil
            }
        }
    }

    private static func mapped<C: Collection<UInt8>>(_ bytes: C, _ scalar: (UInt8) -> Unicode.Scalar) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(scalar(byte)) }
        return String(scalars)
    }

    /// ISO-8859-15 differs from ISO-8859-1 in eight places (€, Š, š, Ž, ž, Œ, œ, Ÿ).
    private static func latin9(_ byte: UInt8) -> Unicode.Scalar {
        switch byte {
        case 0xA4: "\u{20AC}"
        case 0xA6: "\u{0160}"
        case 0xA8: "\u{0161}"
        case 0xB4: "\u{017D}"
        case 0xB8: "\u{017E}"
        case 0xBC: "\u{0152}"
        case 0xBD: "\u{0153}"
        case 0xBE: "\u{0178}"
        default: Unicode.Scalar(byte)
        }
    }

    /// Windows-1252's 0x80–0x9F (the five bytes it leaves undefined map to the C1 controls, as
    /// the WHATWG encoding standard does); the rest is ISO-8859-1.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    private static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        guard byte >= 0x80 && byte < 0xA0 else { return Unicode.Scalar(byte) }
        return Unicode.Scalar(windows1252High[Int(byte - 0x80)])!
    }
}

/// The C library's `iconv`, for the charsets `InboundCharset` does not decode by hand
/// (ISO-2022-JP, KOI8-R, GB2312, …). Output goes to UTF-8; an invalid input byte becomes U+FFFD
/// and decoding goes on after it.
enum Iconv {
    static func decode(_ bytes: [UInt8], from charset: String) -> String? {
        let name = charset.trimmingCharacters(in: ["\"", "'", " "])
        guard !name.isEmpty, name.utf8.count < 64, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        let descriptor = iconv_open("UTF-8", name)
        guard let descriptor, Int(bitPattern: descriptor) != -1 else { return nil }
        defer { iconv_close(descriptor) }
        if bytes.isEmpty { return "" }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        var chunk = [UInt8](repeating: 0, count: 4096)
        var input = bytes
        input.withUnsafeMutableBufferPointer { inputBuffer in
            chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                let base = UnsafeMutableRawPointer(inputBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inPointer: UnsafeMutablePointer<CChar>? = base
                var inLeft = inputBuffer.count
                while inLeft > 0 {
                    var outPointer: UnsafeMutablePointer<CChar>? =
                        UnsafeMutableRawPointer(chunkBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = chunkBuffer.count
                    let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                    output.append(contentsOf: chunkBuffer[0..<(chunkBuffer.count - outLeft)])
                    if result != -1 { break }
                    switch errno {
                    case E2BIG:
                        continue
                    default:
                        // EILSEQ or EINVAL (a sequence cut at the end): skip one byte, mark it.
                        output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        inPointer = inPointer.map { $0 + 1 }
                        inLeft -= 1
                    }
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
