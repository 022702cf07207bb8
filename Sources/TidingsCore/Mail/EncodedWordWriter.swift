/// Writes text as RFC 2047 encoded-words (`=?utf-8?q?…?=` or `=?utf-8?b?…?=`).
///
/// One run of text becomes as few encoded-words as fit: each at most 75 characters, each
/// fitting the current line when possible, split only between grapheme clusters (between
/// Unicode scalars if one cluster alone is too long, never inside a UTF-8 sequence).
/// Q or B is chosen for the run by which is shorter. Adjacent encoded-words are separated
/// by a blank that decoders drop (RFC 2047 section 6.2), so the text decodes unchanged.
enum EncodedWordWriter {
    /// `=?utf-8?q?` + `?=`.
    static let overhead = 12
    static let maxWordLength = 75
    /// Below this many characters of room, start a new line rather than a tiny word.
    static let minimumUsefulRoom = 16

    /// With `keepWhole`, a run that fits one encoded-word starts a new line rather than being
    /// split to fill the current one (for display names; see `HeaderEncoding`).
    static func write(
        _ run: UnsafeBufferPointer<UInt8>, separator: UnsafeBufferPointer<UInt8>, keepWhole: Bool = false,
        to writer: inout HeaderWriter
    ) {
        var qCost = 0
        for byte in run { qCost += qLength(byte) }
        let bCost = (run.count + 2) / 3 * 4
        // Q unless B is clearly shorter: Q keeps Latin-script text legible in the raw source.
        let useBase64 = bCost * 5 < qCost * 4
        let cost = useBase64 ? bCost : qCost
        // The common case (names, short subjects): the whole run is one encoded-word.
        if cost <= maxWordLength - overhead {
            var room = HeaderWriter.lineLimit - writer.column - separator.count - overhead
            if cost > room && writer.canFold && (keepWhole || room < minimumUsefulRoom) {
                writer.fold()
                room = HeaderWriter.lineLimit - separator.count - overhead
            }
            if cost <= room {
                writeWord(run, base64: useBase64, cost: cost, separator: separator, to: &writer)
                return
            }
        }
        writeSplit(String(decoding: run, as: UTF8.self), base64: useBase64, separator: Array(separator), to: &writer)
    }

    /// Writes one encoded-word straight into the output.
    static func writeWord(
        _ bytes: UnsafeBufferPointer<UInt8>, base64: Bool, cost: Int, separator: UnsafeBufferPointer<UInt8>,
        to writer: inout HeaderWriter
    ) {
        writer.startToken(length: cost + overhead, separator: separator)
        writer.out.appendBytes(maxCount: cost + overhead) { output in
            var written = 0
            let prefix: StaticString = base64 ? "=?utf-8?b?" : "=?utf-8?q?"
            prefix.withUTF8Buffer { buffer in
                for byte in buffer {
                    output[written] = byte
                    written += 1
                }
            }
            if base64 {
                written += Base64.encode(bytes, into: output + written)
            } else {
                for byte in bytes { written += writeQ(byte, into: output + written) }
            }
            output[written] = MailBytes.question
            output[written + 1] = MailBytes.equals
            return written + 2
        }
    }

    /// Q-encoding (RFC 2047 section 4.2) restricted to the characters allowed in a phrase
    /// (section 5 rule 3), so the same words are valid in Subject and in display names.
    static func qLength(_ byte: UInt8) -> Int {
        isQLiteral(byte) || byte == MailBytes.space ? 1 : 3
    }

    /// Writes one Q-encoded byte; returns how many characters it took.
    @inline(__always)
    static func writeQ(_ byte: UInt8, into output: UnsafeMutablePointer<UInt8>) -> Int {
        if isQLiteral(byte) {
            output[0] = byte
            return 1
        }
        if byte == MailBytes.space {
            output[0] = UInt8(ascii: "_")
            return 1
        }
        output[0] = MailBytes.equals
        output[1] = MailBytes.hexDigit(byte >> 4)
        output[2] = MailBytes.hexDigit(byte & 0x0F)
        return 3
    }

    private static func isQLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
