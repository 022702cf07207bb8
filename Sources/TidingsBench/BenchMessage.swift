/// The benchmark's message: a few headers like smtp-source's, then `bodySize` bytes of body in
/// CRLF-terminated lines of at most 78 characters (CRLF counted in the size).
enum BenchMessage {
    static func make(from: String, to: String, bodySize: Int) -> [UInt8] {
        var message = Array("From: <\(from)>\r\nTo: <\(to)>\r\nSubject: tidings-bench\r\nMessage-ID: <bench@tidings.localhost>\r\n\r\n".utf8)
        let line = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef".utf8)
        var remaining = bodySize
        while remaining > 0 {
            guard remaining > 2 else {
                // Too little left for a line: an empty line, or one last byte.
                message += remaining == 2 ? [13, 10] : [UInt8(ascii: "x")]
                break
            }
            let length = min(line.count, remaining - 2)
            message += line[0..<length]
            message += [13, 10]
            remaining -= length + 2
        }
        return message
    }
}
