import Foundation
import Synchronization

/// Spares the assembler its full candidate scan (a pass over every pending notification) while
/// it cannot find anything new: the daemon polls every few seconds, and most polls of a CRM
/// whose users take daily digests find nobody due.
///
/// After a complete full scan, the next call
/// - skips the scan when nothing can have become due: no notification was inserted (the largest
///   notification id, read before scanning, is unchanged: fan-outs are serialised by the cursor
///   lock, so ids appear in commit order), the earliest due time found has not arrived, the
///   clock did not go backwards (a replay with `--now`), and less than `maxSkip` passed;
/// - scans only the users who received notifications since, when that is all that changed:
///   nobody else's due time moved;
/// - scans everyone otherwise. `maxSkip` bounds how long a change the gate cannot see (a user
///   switching to `immediate`, a new time zone) waits to be noticed.
/// A scan that left due users behind (a full batch, users another daemon held) or failed is not
/// recorded, so the next call scans everyone.
final class AssemblyScanGate: Sendable {
    enum Decision: Equatable {
        case skip
        case full
        /// Only users with notifications whose id is above this.
        case usersNotifiedAfter(Int64)
    }

    private struct Scanned {
        /// When the last complete full scan ran.
        var at: Date
        var watermark: Int64
        var nextDue: Date?
    }

    static let maxSkip: TimeInterval = 60

    private let last = Mutex<Scanned?>(nil)

    func decide(now: Date, watermark: Int64) -> Decision {
        guard let scanned = last.withLock({ $0 }) else { return .full }
        if now < scanned.at || now.timeIntervalSince(scanned.at) >= Self.maxSkip { return .full }
        if let due = scanned.nextDue, now >= due { return .full }
        return watermark == scanned.watermark ? .skip : .usersNotifiedAfter(scanned.watermark)
    }

    /// The earliest due time known.
    var nextDue: Date? { last.withLock { $0?.nextDue } }

    /// Records a scan that went through. A partial scan keeps the full scan's time and merges
    /// the due times; an incomplete one forgets everything.
    func record(_ decision: Decision, now: Date, watermark: Int64, nextDue: Date?, complete: Bool) {
        last.withLock { last in
            guard complete else { last = nil; return }
            switch decision {
            case .full:
                last = Scanned(at: now, watermark: watermark, nextDue: nextDue)
            case .usersNotifiedAfter:
                guard var scanned = last else { return }
                scanned.watermark = watermark
                scanned.nextDue = [scanned.nextDue, nextDue].compactMap { $0 }.min()
                last = scanned
            case .skip:
                break
            }
        }
    }
}
