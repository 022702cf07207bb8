/// A message as a file on disk: LF line ends instead of the wire's CRLF.
///
/// Maildir (and mbox) files hold messages the way Unix stores text; mutt, for one, shows `^M`
/// after every header of a file with CRLF. The composer emits CRLF throughout (RFC 5322, what
/// SMTP sends), so turning each CRLF pair into LF is the whole conversion: a CR that is not
/// before an LF is content and stays (the composer never emits one; quoted-printable encodes it).
public enum UnixLineEnds {
    public static func fromCRLF(_ message: [UInt8]) -> [UInt8] {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var output: [UInt8] = []
        output.reserveCapacity(message.count)
        var index = message.startIndex
        while index < message.endIndex {
            let byte = message[index]
            if byte == cr, index + 1 < message.endIndex, message[index + 1] == lf {
                output.append(lf)
                index += 2
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }
}
