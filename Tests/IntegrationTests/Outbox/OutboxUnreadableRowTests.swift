import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Issue 10, items 1 and 2: an outbox row whose values Tidings cannot use fails alone, with a
/// `last_error` naming the row and the column, and the rows claimed with it are sent.
@Suite struct OutboxUnreadableRowTests {
    @Test func aRowThatCannotBeReadFailsAloneAndTheRestOfItsClaimIsSent() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let first = try #require(try await harness.email(deal: deal, subject: "Before"))
        let infinite = try #require(try await harness.email(deal: deal, subject: "Infinite"))
        let farFuture = try #require(try await harness.email(deal: deal, subject: "Year 294270"))
        let twoDimensional = try #require(try await harness.email(deal: deal, subject: "Two dimensions"))
        let last = try #require(try await harness.email(deal: deal, subject: "After"))
        // What a CRM can write: `extract(epoch ...)::bigint` in the claim failed on the first two
        // ("cannot convert infinity to bigint", "bigint out of range"), a text[][] failed the
        // decoding of the whole claimed batch.
        try await harness.session.execute("UPDATE tidings.outbox SET created_at = 'infinity' WHERE id = \(infinite)")
        try await harness.session.execute("UPDATE tidings.outbox SET created_at = '294270-01-01 00:00:00+00' WHERE id = \(farFuture)")
        try await harness.session.execute("""
            UPDATE tidings.outbox SET to_addresses = ARRAY[ARRAY[\(harness.address("a")), \(harness.address("b"))],
                                                           ARRAY[\(harness.address("c")), \(harness.address("d"))]]
            WHERE id = \(twoDimensional)
            """)

        // One claim takes all five rows.
        let outcome = try await harness.drain(limit: 10)
        #expect(outcome.failed == 3)

        for id in [first, last] {
            let row = try await harness.row(id)
            #expect(row.status == "sent", "\(row.lastError ?? "")")
        }
        for (id, column) in [(infinite, "created_at"), (farFuture, "created_at"), (twoDimensional, "to_addresses")] {
            let row = try await harness.row(id)
            #expect(row.status == "failed")
            let error = row.lastError ?? ""
            #expect(error.contains("outbox row \(id)") && error.contains("column \"\(column)\""), "\(error)")
            #expect(row.worker == "worker-a" && row.attempts == 1, "failed by its claim, fenced on it")
        }
        let messages = try await harness.spooled(count: 2)
        #expect(Set(messages.compactMap { $0.rawHeader("Subject") }) == ["Before", "After"])

        // The Message-ID is still built from the creation time's exact microseconds, now read
        // by the client: the same as the SQL computed, so a row sent before an upgrade and
        // retried after it keeps its Message-ID.
        let micros = try await harness.session.query("""
            SELECT (extract(epoch FROM created_at) * 1000000)::bigint AS micros FROM tidings.outbox WHERE id = \(first)
            """).single().decode("micros", as: Int64.self)
        let expected = try DealEmailThreading.messageID(outboxID: first, createdMicros: micros,
                                                        domain: harness.context.mail.messageIDDomain)
        #expect(try await harness.row(first).messageID == expected.description)
        await harness.close()
    }
}
