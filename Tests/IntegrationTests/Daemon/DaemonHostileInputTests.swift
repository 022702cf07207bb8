import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// The hostile-input corpus (issue 7, item 3): every case of `HostileCase.dealEmails` and
/// `HostileCase.changes` is written into one reference-CRM database, one `run --once` (the
/// daemon's works, at the real clock, to the recording aiosmtpd) handles them all together,
/// and then each must have ended as its row of the table says — sent and clean, or failed with
/// a clear reason on its own row — while the run itself never stopped.
@Suite struct DaemonHostileInputTests {
    static let cases = HostileCase.dealEmails + HostileCase.changes

    @Test func corpusIsLargeAndNamesAreUnique() {
        #expect(Self.cases.count >= 50)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
    }

    @Test func everyCaseEndsAsItsRowSaysAndTheRunGoesOn() async throws {
        let world = try await HostileWorld.make()
        var targets: [HostileTarget] = []
        for (index, entry) in Self.cases.enumerated() {
            do {
                targets.append(try await entry.setup(world, index + 1))
            } catch {
                Issue.record("setting up '\(entry.name)': \(error)")
                targets.append(.accepted("setup failed"))
            }
        }

        // The run goes through every row however hostile; nothing is left to retry.
        let reports = try await world.runOnce()
        #expect(!reports.isEmpty)
        let leftOver = try await world.session.query("""
            SELECT (SELECT count(*) FROM tidings.outbox WHERE status IN ('queued', 'sending'))
                 + (SELECT count(*) FROM tidings.digests WHERE status IN ('queued', 'sending')) AS n
            """).single().decode("n", as: Int.self)
        #expect(leftOver == 0, "rows left queued or sending: hostile input must never look transient")

        let expectedMessages = zip(Self.cases, targets).filter {
            if case .sent = $0.0.outcome { return true } else { return false }
        }.count
        let token = world.token
        let spooled = try await SMTPSpool.waitForMessages(where: { $0.rcpt_tos.contains { $0.contains(token) } },
                                                          count: expectedMessages, timeout: .seconds(60))
        let parsed = try await offThePool { try MIMECheck.parse(spooled.map(\.raw)) }

        for (index, entry) in Self.cases.enumerated() {
            let tag = world.tag(index + 1)
            let mine = zip(spooled, parsed).filter { message, _ in message.rcpt_tos.contains { $0.contains(tag) } }
            let problems = try await Self.check(entry, target: targets[index], messages: mine, world: world, tag: tag)
            #expect(problems.isEmpty, "case \(index + 1) '\(entry.name)': \(problems)")
        }
        // Nothing went where a case tried to smuggle it.
        let smuggled = try await SMTPSpool.messages(where: { $0.rcpt_tos.contains { $0.contains("evil") } && $0.rcpt_tos.contains { $0.contains(token) } })
        #expect(smuggled.isEmpty)
        await world.close()
    }

    /// What is wrong with how `entry` ended (empty: nothing).
    static func check(_ entry: HostileCase, target: HostileTarget, messages: [(SpooledMessage, ParsedMessage)],
                      world: HostileWorld, tag: String) async throws -> [String] {
        switch (entry.outcome, target) {
        case (.refused(let fragment), .refused(let error)):
            return problems((error.contains(fragment), "refused with '\(error)', not '\(fragment)'"))
        case (.refused, let other):
            return ["expected PostgreSQL to refuse it, got \(other)"]
        case (.notifiesNobody, .change(let id)):
            let notified = try await world.notifications(ofChange: id)
            return problems((notified == 0, "\(notified) notifications"), (messages.isEmpty, "\(messages.count) messages"))
        case (.sent(let checks), _):
            var found = try await statusProblems(target, expected: "sent", world: world)
            guard messages.count == 1, let (spooled, parsed) = messages.first else {
                return found + ["\(messages.count) messages carry the tag, expected 1"]
            }
            found += wireProblems(parsed)
            found += checks(HostileDelivery(message: parsed, spooled: spooled, tag: tag))
            return found
        case (.failed(let fragments), _):
            var found = try await statusProblems(target, expected: "failed", world: world)
            let error = try await lastError(target, world: world) ?? ""
            for fragment in fragments where !error.contains(fragment) {
                found.append("last_error '\(error)' does not contain '\(fragment)'")
            }
            if error.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
                found.append("last_error has control characters: \(error.debugDescription)")
            }
            if !messages.isEmpty { found.append("\(messages.count) messages were sent") }
            return found
        case (.notifiesNobody, let other):
            return ["expected a change, got \(other)"]
        }
    }

    /// The row's (or the user's digests') status.
    static func statusProblems(_ target: HostileTarget, expected: String, world: HostileWorld) async throws -> [String] {
        switch target {
        case .outbox(let id):
            let row = try await world.outboxRow(id)
            return problems((row.status == expected, "outbox row \(id) is \(row.status) (\(row.lastError ?? "no error"))"))
        case .digest(let userID):
            let digests = try await world.digests(of: userID)
            return problems((!digests.isEmpty && digests.allSatisfy { $0.status == expected },
                             "digests of \(userID): \(digests.map { "\($0.status) (\($0.lastError ?? "-"))" })"))
        default:
            return ["nothing to check the status of: \(target)"]
        }
    }

    static func lastError(_ target: HostileTarget, world: HostileWorld) async throws -> String? {
        switch target {
        case .outbox(let id): return try await world.outboxRow(id).lastError
        case .digest(let userID): return try await world.digests(of: userID).first?.lastError
        default: return nil
        }
    }

    /// Headers a message from Tidings may carry; anything else was injected.
    static let knownHeaders: Set<String> = [
        "from", "to", "cc", "reply-to", "subject", "date", "message-id", "in-reply-to", "references", "mime-version",
        "content-type", "content-transfer-encoding", "auto-submitted", "precedence", "x-auto-response-suppress",
        "list-id", "list-unsubscribe", "list-unsubscribe-post",
    ]

    /// What every delivered message must be: clean for Python's parser, 7-bit with CRLF lines
    /// under 998 octets, only Tidings' own headers, no line break in any header value.
    static func wireProblems(_ parsed: ParsedMessage) -> [String] {
        var found: [String] = []
        if !parsed.isClean { found.append("defects \(parsed.defects) \(parsed.wire_problems)") }
        for header in parsed.headers {
            if !knownHeaders.contains(header[0].lowercased()) { found.append("unexpected header \(header[0]): \(header[1])") }
            if header[1].contains(where: { $0 == "\r" || $0 == "\n" }) { found.append("line break in \(header[0])") }
        }
        return found
    }
}
