/// A password (or any credential) that prints as `<redacted>`.
///
/// Wrapping it means an accidental `"\(settings)"`, `dump(settings)` or a log line with the
/// settings in it shows no secret; only `reveal()` at the libcurl boundary reads the value.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// The secret itself, for the one call that hands it to libcurl (and for redaction).
    public func reveal() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
