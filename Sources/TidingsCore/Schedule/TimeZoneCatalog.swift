import Foundation
import Synchronization

/// Time zones by identifier, created once: building a `TimeZone` loads and parses zone data,
/// far too slow to repeat for every recipient of every digest.
public final class TimeZoneCatalog: Sendable {
    public static let shared = TimeZoneCatalog()

    private let zones = Mutex<[String: TimeZone]>([:])
    private let utc = TimeZone(secondsFromGMT: 0)!

    public init() {}

    /// The zone named `identifier` (IANA, e.g. "Europe/Lisbon"), or UTC when it is nil, blank or
    /// unknown — a user with a bad zone still gets digests, at UTC times.
    public func zone(identifier: String?) -> TimeZone {
        knownZone(identifier: identifier) ?? utc
    }

    /// The zone named `identifier`, or nil when Foundation does not know it.
    public func knownZone(identifier: String?) -> TimeZone? {
        guard let name = identifier?.trimmingWhitespace(), !name.isEmpty else { return nil }
        if let cached = zones.withLock({ $0[name] }) { return cached }
        guard let zone = TimeZone(identifier: name) else { return nil }
        zones.withLock { $0[name] = zone }
        return zone
    }
}
