extension Array where Element == UInt8 {
    /// Appends at most `maxCount` bytes that `body` writes straight into the array's storage,
    /// returning how many it wrote. Body encoders use it to avoid a capacity and uniqueness
    /// check per byte, which dominated their cost.
    @inline(__always)
    mutating func appendBytes(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        let oldCount = count
        append(contentsOf: repeatElement(0, count: maxCount))
        let written = withUnsafeMutableBufferPointer { buffer in body(buffer.baseAddress! + oldCount) }
        precondition(written <= maxCount, "encoder wrote past its bound")
        removeLast(maxCount - written)
    }
}
