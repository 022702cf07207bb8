import Foundation

extension OutboxPreview {
    /// When a queued row goes out, for the envelope lines, so whoever previews a scheduled email
    /// sees when it will be sent: `scheduled: 2026-12-04T09:00:00Z (send_at, in 2 h 5 min)`, or
    /// `next attempt: 2026-12-03T14:04:00Z (in 4 min)` for a row waiting for a retry; nil for a row
    /// due now without a `send_at`, or not queued (a sent row's time is its `sent_at`).
    static func scheduleLine(status: String, sendAt: Date?, nextAttemptAt: Date?, now: Date) -> String? {
        guard status == "queued" else { return nil }
        let next = max(nextAttemptAt ?? .distantPast, sendAt ?? .distantPast)
        if next > now {
            if let sendAt, sendAt >= next {
                return "scheduled: \(timestamp(sendAt)) (send_at, \(inTime(next.timeIntervalSince(now))))"
            }
            return "next attempt: \(timestamp(next)) (\(inTime(next.timeIntervalSince(now))))"
        }
        guard let sendAt else { return nil }
        return "scheduled: \(timestamp(sendAt)) (send_at, passed: sent with the next claim)"
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// "in 40 s", "in 25 min", "in 2 h 5 min", "in 3 days".
    static func inTime(_ seconds: TimeInterval) -> String {
        if seconds < 60 { return "in \(Int(seconds.rounded(.up))) s" }
        let minutes = Int((seconds / 60).rounded())
        if minutes < 60 { return "in \(minutes) min" }
        if minutes < 48 * 60 {
            let (hours, rest) = minutes.quotientAndRemainder(dividingBy: 60)
            return rest == 0 ? "in \(hours) h" : "in \(hours) h \(rest) min"
        }
        return "in \(Int((seconds / 86_400).rounded())) days"
    }
}
