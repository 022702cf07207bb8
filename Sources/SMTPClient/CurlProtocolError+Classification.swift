import CCurl

/// The configuration problems libcurl reports the same way for every protocol; both
/// `ConfigurationProblem` enums have these cases.
public protocol CurlConfigurationProblem: RawRepresentable<String>, Sendable {
    /// The server's certificate did not verify against the trusted CAs, or its name did not match.
    static var tlsVerification: Self { get }
    /// The CA file could not be read.
    static var caFile: Self { get }
    /// STARTTLS is required but the server did not offer it or refused it.
    static var tlsUnavailable: Self { get }
    /// The TLS handshake failed (protocol mismatch, e.g. TLS to a plaintext port).
    static var tlsHandshake: Self { get }
    /// libcurl refused an option (a missing feature or a malformed URL).
    static var setup: Self { get }
}

/// A protocol's conversation stages, of which STARTTLS and the TLS handshake are one.
public protocol CurlConversationStage: RawRepresentable<String>, Sendable {
    static var tls: Self { get }
}

extension CurlProtocolError where ConfigurationProblem: CurlConfigurationProblem, Stage: CurlConversationStage {
    /// Classifies the libcurl codes that mean the setup is wrong whatever the protocol (TLS
    /// verification, the CA file, STARTTLS unavailable, the handshake, refused options) and
    /// says whether `code` was one. `scheme` is the plain URL scheme (`smtp`), `inClear` what
    /// refusing plaintext protects (`mail is not sent in clear`).
    mutating func classifyCurlSetup(_ code: CURLcode, stage: Stage, scheme: String, inClear: String) -> Bool {
        switch code {
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            configure(.tlsVerification, stage: .tls,
                      "the server's certificate could not be verified (untrusted issuer or wrong name); check the CA file and the host name")
        case CURLE_SSL_CACERT_BADFILE:
            configure(.caFile, stage: .tls, "the CA file could not be loaded")
        case CURLE_USE_SSL_FAILED:
            configure(.tlsUnavailable, stage: .tls, "STARTTLS is required but the server did not offer it or refused it; \(inClear)")
        case CURLE_SSL_CONNECT_ERROR:
            configure(.tlsHandshake, stage: .tls, "the TLS handshake failed (is the port for \(scheme)s:// or \(scheme):// with STARTTLS?)")
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_UNKNOWN_OPTION,
             CURLE_BAD_FUNCTION_ARGUMENT, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER:
            configure(.setup, stage: stage, "libcurl refused the \(Self.protocolName) settings")
        default:
            return false
        }
        return true
    }
}

extension CurlProtocolError {
    /// What went wrong when no reply came: the connection failed, timed out or was closed.
    /// `stopped` is said for an abort (a shutdown), `answer` names the server's answer (`reply`).
    static func lostConversationSummary(_ code: CURLcode, stopped: String, answer: String) -> String {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST: "the server's host name could not be resolved"
        case CURLE_COULDNT_CONNECT: "could not connect to the server"
        case CURLE_OPERATION_TIMEDOUT: "timed out"
        case CURLE_ABORTED_BY_CALLBACK: stopped
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR: "the connection was lost"
        case CURLE_WEIRD_SERVER_REPLY: "the server's \(answer) could not be understood"
        default: "the \(protocolName) conversation failed"
        }
    }
}

extension SMTPError.ConfigurationProblem: CurlConfigurationProblem {}
extension SMTPError.Stage: CurlConversationStage {}
extension IMAPError.ConfigurationProblem: CurlConfigurationProblem {}
extension IMAPError.Stage: CurlConversationStage {}
