import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What libcurl's C callbacks reach during one IMAP perform: the bytes received (a message's,
/// or a custom command's untagged lines), bounded, and the transcript.
struct IMAPTransferState {
    var received: [UInt8] = []
    /// The most bytes kept; more stops the transfer (`overLimit`), so memory stays bounded
    /// whatever the server sends.
    var limit = 0
    var overLimit = false
    var transcript = IMAPTranscript()
}

/// The C function libcurl calls back with an IMAP perform's data, on the thread inside
/// `curl_easy_perform` (the debug and abort callbacks are `CurlCallbacks`'). Its user data is
/// the connection's `IMAPTransferState`.
enum CurlIMAPCallbacks {
    /// CURLOPT_WRITEFUNCTION: a fetched message's bytes, or a custom command's untagged
    /// responses. Past the limit it keeps nothing more and returns 0, which stops the transfer.
    static let write: tidings_curl_data_callback = { buffer, size, count, userData in
        guard let buffer, let userData else { return 0 }
        let state = userData.assumingMemoryBound(to: IMAPTransferState.self)
        let length = size * count
        let room = state.pointee.limit - state.pointee.received.count
        let bytes = UnsafeRawBufferPointer(start: buffer, count: min(length, max(0, room)))
        state.pointee.received.append(contentsOf: bytes)
        guard length <= room else {
            state.pointee.overLimit = true
            return 0
        }
        return length
    }
}
