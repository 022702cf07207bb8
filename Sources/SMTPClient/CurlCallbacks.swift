import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C functions libcurl calls back during a transfer. Their user data is the connection's
/// `TransferState`; they run on the thread inside `curl_easy_perform`.
enum CurlCallbacks {
    /// CURLOPT_READFUNCTION: copies the next piece of the message into libcurl's buffer (one
    /// memcpy per call; a 2 KB message is one call plus the final 0 for end of data).
    static let read: tidings_curl_data_callback = { buffer, size, count, userData in
        guard let buffer, let userData else { return 0 }
        let state = userData.assumingMemoryBound(to: TransferState.self)
        let remaining = state.pointee.body.count - state.pointee.offset
        let length = min(remaining, size * count)
        guard length > 0, let base = state.pointee.body.baseAddress else { return 0 }
        memcpy(buffer, base + state.pointee.offset, length)
        state.pointee.offset += length
        return length
    }

    /// CURLOPT_DEBUGFUNCTION: feeds command and reply lines to the transcript and ignores the
    /// rest (informational text, the message data, TLS records).
    /// Swallows response bodies (the text of a NOOP or VRFY) that libcurl would otherwise write
    /// to stdout; replies are read from the transcript instead.
    static let discard: tidings_curl_data_callback = { _, size, count, _ in
        size * count
    }

    /// CURLOPT_XFERINFOFUNCTION: libcurl calls it as the transfer runs (and at least about once
    /// a second while it waits for a reply); a non-zero return aborts the transfer. Its user data
    /// is the connection's `TransferAbort`.
    static let abortCheck: tidings_curl_xferinfo_callback = { userData, _, _, _, _ in
        guard let userData else { return 0 }
        return Unmanaged<TransferAbort>.fromOpaque(userData).takeUnretainedValue().isRequested ? 1 : 0
    }

    /// CURLOPT_PREREQFUNCTION: libcurl calls it once the session is set up (greeting, EHLO,
    /// STARTTLS, AUTH, or a kept connection) and before the first command of the transfer
    /// (MAIL FROM, or the probe's NOOP). With credentials configured, a session that did not
    /// authenticate stops here, before anything of the mail is sent (`SMTPSessionFacts`).
    static let prerequest: tidings_curl_prereq_callback = { userData, _, _, _, _ in
        guard let userData else { return CURL_PREREQFUNC_OK }
        let state = userData.assumingMemoryBound(to: TransferState.self)
        guard state.pointee.requiresAuthentication, !state.pointee.transcript.session.authenticated else {
            return CURL_PREREQFUNC_OK
        }
        state.pointee.stoppedUnauthenticated = true
        return CURL_PREREQFUNC_ABORT
    }

    static let debug: tidings_curl_debug_callback = { _, type, data, size, userData in
        guard let data, let userData else { return 0 }
        let state = userData.assumingMemoryBound(to: TransferState.self)
        switch type {
        case CURLINFO_HEADER_IN:
            state.pointee.transcript.received(UnsafeRawBufferPointer(start: data, count: size))
        case CURLINFO_HEADER_OUT:
            state.pointee.transcript.sent(UnsafeRawBufferPointer(start: data, count: size))
        default:
            break
        }
        return 0
    }
}
