/// The bytes read from an SMTP server and not yet made into replies: one buffer allocated with
/// the connection and reused for every read, so reading a reply allocates nothing but its text.
/// Pipelined replies often arrive together; what follows the first stays here for the next.
final class SMTPReplyInbox {
    private let storage: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var assembler = SMTPReplyAssembler()

    init(capacity: Int = 16 * 1024) {
        storage = .allocate(byteCount: capacity, alignment: 1)
    }

    deinit {
        storage.deallocate()
    }

    /// Nothing read is waiting, not even part of a reply.
    var isEmpty: Bool { start == end && !assembler.hasPartialReply }

    /// Where the next read goes: the whole buffer, as a read comes only once it is consumed.
    var freeSpace: UnsafeMutableRawBufferPointer {
        precondition(start == end, "read only when every byte read was taken")
        return storage
    }

    /// `count` bytes were read into `freeSpace`.
    func filled(_ count: Int) {
        start = 0
        end = count
    }

    /// The next complete reply among the bytes read, if they hold one.
    func takeReply() -> SMTPReply? {
        guard start < end else { return nil }
        var bytes = UnsafeRawBufferPointer(rebasing: storage[start..<end])
        let reply = assembler.take(&bytes)
        start = end - bytes.count
        return reply
    }

    /// Forgets everything (a new connection).
    func reset() {
        start = 0
        end = 0
        assembler.reset()
    }
}
