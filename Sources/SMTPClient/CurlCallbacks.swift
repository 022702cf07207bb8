import CCurl

/// The C functions libcurl calls back during a transfer, for both protocols (IMAP's write
/// callback is `CurlIMAPCallbacks.write`). Their user data is the connection's transfer state
/// (`TransferState`, `IMAPTransferState`) or its `TransferAbort`; they run on the thread inside
/// `curl_easy_perform`.
enum CurlCallbacks {
    /// CURLOPT_XFERINFOFUNCTION: libcurl calls it as the transfer runs (and at least about once
    /// a second while it waits for a reply); a non-zero return aborts the transfer. Its user data
    /// is the connection's `TransferAbort`.
    static let abortCheck: tidings_curl_xferinfo_callback = { userData, _, _, _, _ in
        guard let userData else { return 0 }
        return Unmanaged<TransferAbort>.fromOpaque(userData).takeUnretainedValue().isRequested ? 1 : 0
    }

    /// CURLOPT_DEBUGFUNCTION for SMTP (see `transcribe`).
    static let debug: tidings_curl_debug_callback = { _, type, data, size, userData in
        transcribe(type, data, size, userData, into: TransferState.self)
    }

    /// CURLOPT_DEBUGFUNCTION for IMAP (see `transcribe`).
    static let imapDebug: tidings_curl_debug_callback = { _, type, data, size, userData in
        transcribe(type, data, size, userData, into: IMAPTransferState.self)
    }

    /// What both debug callbacks do: command and reply lines go to the transcript of the
    /// `State` that `userData` points at; the rest (informational text, message data, TLS
    /// records) is ignored. A C callback cannot be generic, so each protocol has a one-line
    /// callback naming its state type.
    static func transcribe<State: TranscribedTransferState>(
        _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ userData: UnsafeMutableRawPointer?,
        into: State.Type
    ) -> Int32 {
        guard let data, let userData else { return 0 }
        let state = userData.assumingMemoryBound(to: State.self)
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

/// A protocol's transcript: fed the lines libcurl sends and receives.
protocol CurlTranscript {
    mutating func sent(_ bytes: UnsafeRawBufferPointer)
    mutating func received(_ bytes: UnsafeRawBufferPointer)
}

/// A protocol's transfer state, which its debug callback feeds (`CurlCallbacks.transcribe`).
protocol TranscribedTransferState {
    associatedtype Transcript: CurlTranscript
    var transcript: Transcript { get set }
    /// CURLOPT_DEBUGFUNCTION for this state.
    static var debug: tidings_curl_debug_callback { get }
}

extension SMTPTranscript: CurlTranscript {}
extension IMAPTranscript: CurlTranscript {}

extension TransferState: TranscribedTransferState {
    static var debug: tidings_curl_debug_callback { CurlCallbacks.debug }
}

extension IMAPTransferState: TranscribedTransferState {
    static var debug: tidings_curl_debug_callback { CurlCallbacks.imapDebug }
}
