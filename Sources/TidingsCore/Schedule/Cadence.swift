/// How often a user receives digests.
public enum Cadence: String, Sendable, Hashable, CaseIterable {
    /// Leading-edge debounce: the first change goes out at once, then at most one digest per window.
    case immediate
    /// At the top of every hour in the user's time zone.
    case hourly
    /// Once a day at the user's local delivery time.
    case daily
    /// Once a week on the user's weekday at the local delivery time.
    case weekly
    /// No digests.
    case off

    /// Parses a cadence as stored in preferences or configuration: case and surrounding spaces
    /// are ignored. Nil for anything else, so the caller can name the bad value.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingWhitespace().lowercased())
    }

    /// The cadence that applies to one deal's changes: a per-deal override wins over the user's
    /// own preference, which wins over the configured default.
    public static func effective(dealOverride: Cadence?, user: Cadence?, configuredDefault: Cadence) -> Cadence {
        dealOverride ?? user ?? configuredDefault
    }
}
