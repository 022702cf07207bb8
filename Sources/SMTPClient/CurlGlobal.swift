import CCurl

/// libcurl's process-wide setup, done exactly once.
///
/// `curl_global_init` is not thread-safe and must precede every other libcurl call; a Swift
/// `static let` is initialised once, atomically (swift_once), so touching `CurlGlobal.ready`
/// before creating a handle is enough, from any thread.
enum CurlGlobal {
    static let ready: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    /// libcurl's version text, e.g. "libcurl/7.88.1 OpenSSL/3.0.17 ...", for logs and `check`.
    static var version: String {
        _ = ready
        return String(cString: curl_version())
    }
}
