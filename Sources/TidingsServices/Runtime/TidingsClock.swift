import Foundation

/// The daemon's notion of "now". Every due-time comparison goes through it (and is passed to SQL
/// as a bound value), so `tidings run --once --now 2026-11-27T09:00:00Z` replays a moment
/// exactly, and tests can move time without sleeping.
public struct TidingsClock: Sendable {
    private let fixed: Date?

    /// The system clock.
    public static let system = TidingsClock(fixed: nil)

    /// A clock stopped at `date`.
    public static func fixed(_ date: Date) -> TidingsClock { TidingsClock(fixed: date) }

    private init(fixed: Date?) { self.fixed = fixed }

    public func now() -> Date { fixed ?? Date() }
}
