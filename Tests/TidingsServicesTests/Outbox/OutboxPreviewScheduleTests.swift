import Foundation
import Testing
@testable import TidingsServices

/// The line `tidings preview outbox` prints about when a queued row will be sent.
@Suite struct OutboxPreviewScheduleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z

    @Test func aScheduledRowSaysWhenItWillBeSent() {
        let sendAt = now.addingTimeInterval(2 * 3600 + 5 * 60)
        #expect(OutboxPreview.scheduleLine(status: "queued", sendAt: sendAt, nextAttemptAt: sendAt, now: now)
                == "scheduled: 2027-01-15T10:05:00Z (send_at, in 2 h 5 min)")
    }

    @Test func aRetryLaterThanSendAtIsTheNextAttempt() {
        let sendAt = now.addingTimeInterval(-600)
        let retry = now.addingTimeInterval(240)
        #expect(OutboxPreview.scheduleLine(status: "queued", sendAt: sendAt, nextAttemptAt: retry, now: now)
                == "next attempt: 2027-01-15T08:04:00Z (in 4 min)")
        #expect(OutboxPreview.scheduleLine(status: "queued", sendAt: nil, nextAttemptAt: retry, now: now)
                == "next attempt: 2027-01-15T08:04:00Z (in 4 min)")
    }

    @Test func aPassedSendAtIsDueNowAndAnUnscheduledDueRowSaysNothing() {
        let sendAt = now.addingTimeInterval(-60)
        #expect(OutboxPreview.scheduleLine(status: "queued", sendAt: sendAt, nextAttemptAt: now, now: now)
                == "scheduled: 2027-01-15T07:59:00Z (send_at, passed: sent with the next claim)")
        #expect(OutboxPreview.scheduleLine(status: "queued", sendAt: nil, nextAttemptAt: now.addingTimeInterval(-1), now: now) == nil)
    }

    @Test func rowsNotQueuedSayNothing() {
        let sendAt = now.addingTimeInterval(3600)
        for status in ["sending", "sent", "failed", "cancelled"] {
            #expect(OutboxPreview.scheduleLine(status: status, sendAt: sendAt, nextAttemptAt: sendAt, now: now) == nil)
        }
    }

    @Test func relativeTimes() {
        #expect(OutboxPreview.inTime(0.2) == "in 1 s")
        #expect(OutboxPreview.inTime(40) == "in 40 s")
        #expect(OutboxPreview.inTime(25 * 60) == "in 25 min")
        #expect(OutboxPreview.inTime(3600) == "in 1 h")
        #expect(OutboxPreview.inTime(47 * 3600 + 59 * 60) == "in 47 h 59 min")
        #expect(OutboxPreview.inTime(3 * 86_400 + 100) == "in 3 days")
    }
}
