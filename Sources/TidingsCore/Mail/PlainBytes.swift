/// Eight-bytes-at-a-time test for the common case of body text: a run of printable ASCII
/// and spaces that quoted-printable copies as is and that never forces an encoding choice.
/// Lets the body scanners skip ordinary prose in strides instead of byte by byte.
enum PlainBytes {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let high: UInt64 = 0x8080_8080_8080_8080

    /// True when all eight bytes are in 0x20…0x7E and none is `=` (bit tricks from
    /// "Bit Twiddling Hacks": a byte below n, a byte equal to v).
    @inline(__always)
    static func isPlain(_ word: UInt64) -> Bool {
        let belowSpace = (word &- ones &* 0x20) & ~word & high
        let delete = word ^ (ones &* 0x7F)
        let hasDelete = (delete &- ones) & ~delete & high
        let equals = word ^ (ones &* 0x3D)
        let hasEquals = (equals &- ones) & ~equals & high
        return (word & high) | belowSpace | hasDelete | hasEquals == 0
    }

    @inline(__always)
    static func load(_ text: UnsafeBufferPointer<UInt8>, at position: Int) -> UInt64 {
        UnsafeRawPointer(text.baseAddress! + position).loadUnaligned(as: UInt64.self)
    }
}
