import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12's reliability scenarios for the inbound loop, with the real binary, Dovecot and
/// PostgreSQL: the IMAP server restarted while a daemon reads, daemons SIGKILLed while they
/// record, the same message delivered twice. In each, every message delivered is recorded, and
/// recorded once (one `inbound_messages` row per Message-ID, one `email_received` change per
/// reply), and the cursor ends past the last message.
@Suite struct InboundReliabilityTests {
    /// A deal whose email was sent (so replies to it are matched by `In-Reply-To`), and the
    /// binary's environment reading `setup`'s mailbox every second.
    struct World {
        let harness: OutboxHarness
        let setup: InboundSetup
        let deal: String
        let buyer: String
        let messageID: String
        let environment: [String: String]

        static func make(_ setup: InboundSetup) async throws -> World {
            let harness = try await OutboxHarness.make(overrides: setup.overrides)
            let deal = try await harness.deal(to: "buyer")
            let id = try #require(try await harness.email(deal: deal, subject: "Annual plan proposal"))
            try await harness.drain()
            let messageID = try #require(try await harness.row(id).messageID)
            let environment = try setup.environment(
                databaseURL: harness.database.url,
                smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))",
                extra: ["TIDINGS_INBOUND_POLL_INTERVAL_SECONDS": "1"])
            return World(harness: harness, setup: setup, deal: deal, buyer: harness.address("buyer"), messageID: messageID,
                         environment: environment)
        }

        /// The Message-ID of reply `number` of this test.
        func replyID(_ number: Int) -> String { "<reply-\(number)-\(harness.token)@cliente.example>" }

        /// Reply `number` from the deal's contact, answering the sent email; without a
        /// Message-ID when `messageID` is false (recorded under a digest of its headers).
        func reply(_ number: Int, messageID withID: Bool = true) -> [UInt8] {
            InboundRepliesThroughTheBinaryTests.message("""
                From: Buyer buyer <\(buyer)>
                To: \(setup.replyAddress)
                Subject: Re: Annual plan proposal (\(number))
                Date: Thu, 3 Dec 2026 10:00:00 +0000
                \(withID ? "Message-ID: \(replyID(number))\n" : "")In-Reply-To: \(messageID)
                References: \(messageID)
                Content-Type: text/plain; charset=utf-8

                Reply number \(number).
                """)
        }

        func count(_ kind: String? = nil) async throws -> Int {
            try await harness.session.query("""
                SELECT count(*) AS n FROM tidings.inbound_messages WHERE \(kind)::text IS NULL OR kind = \(kind)::text
                """).single().decode("n", as: Int.self)
        }

        /// The recorded Message-IDs, sorted.
        func recordedIDs() async throws -> [String] {
            try await harness.session.query("SELECT message_id FROM tidings.inbound_messages ORDER BY message_id")
                .map { try $0.decode("message_id", as: String.self) }
        }

        /// How many `email_received` changes name each recorded message: one each is right.
        func changesPerMessage() async throws -> [Int] {
            try await harness.session.query("""
                SELECT count(c.id) AS n FROM tidings.inbound_messages m
                LEFT JOIN tidings.changes c ON c.kind = 'email_received' AND c.payload ->> 'message_id' = m.message_id
                GROUP BY m.id ORDER BY m.id
                """).map { try $0.decode("n", as: Int.self) }
        }

        func lastUID() async throws -> Int64? {
            try await harness.session.query("SELECT last_uid FROM tidings.inbound_cursor").first?.decode("last_uid", as: Int64.self)
        }
    }

    /// Dovecot kicked and restarted while a daemon reads its mailbox (polling every second,
    /// one kept connection): the read in progress fails, the loop backs off, logs in again and
    /// reads on from its cursor; the messages delivered before and after the restart are each
    /// recorded once and none is lost.
    @Test func dovecotRestartedMidPollLosesNothing() async throws {
        // Its own Dovecot: restarting the shared one would break the tests running beside it
        // (one left running is stopped by `services.sh stop`).
        let dovecot = try await PrivateDovecot.start()
        let world = try await World.make(try await InboundSetup.make("rst", dovecot: dovecot))
        let box = world.setup.box
        // Delivered first, so the daemon starts on a full mailbox and is reading (a batch of
        // 25, then at once the next) when the server goes away under it.
        let first = 40, total = 60
        for number in 1...first {
            try await LMTPDelivery.deliver(world.reply(number), to: [box.address()], port: dovecot.lmtpPort)
        }
        let daemon = try DaemonTesting.start(["run"], environment: world.environment)
        defer { daemon.terminate() }
        // Restarted once the daemon has begun recording, its connection kept open (a restarted
        // master lets old imap processes serve on: they are kicked first).
        let reading = try await poll(timeout: .seconds(30), every: .milliseconds(10)) { try await world.count() > 0 }
        #expect(reading, "output: \(daemon.output)")
        try await dovecot.control("kick", box.user)
        try await dovecot.control("restart")
        for number in (first + 1)...total {
            try await LMTPDelivery.deliver(world.reply(number), to: [box.address()], port: dovecot.lmtpPort)
        }

        let done = try await poll(timeout: .seconds(40)) { try await world.count() == total }
        let recorded = try await world.count()
        #expect(done, "recorded \(recorded) of \(total); output: \(daemon.output)")
        #expect(try await world.recordedIDs() == (1...total).map(world.replyID).sorted())
        #expect(try await world.changesPerMessage() == Array(repeating: 1, count: total))
        #expect(try await world.lastUID() == Int64(total))
        #expect(try box.loginCount() >= 2, "the daemon logged in again after the restart")
        #expect(daemon.isRunning, "output: \(daemon.output)")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0, "output: \(daemon.output)")
        let password = try String(contentsOfFile: dovecot.directory + "/password", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!daemon.output.contains(password), "the IMAP password never reaches the log")
        try await dovecot.control("stop")
        await world.harness.close()
    }

    /// Two daemons read one mailbox while 50 replies arrive; one is SIGKILLed again and again
    /// (a kill can land while it holds the cursor in the middle of recording), the other runs
    /// throughout and finishes: every reply is recorded, each once.
    @Test func daemonsKilledWhileRecordingRecordEachMessageOnce() async throws {
        let world = try await World.make(try await InboundSetup.make("kill"))
        let box = world.setup.box
        let survivor = try DaemonTesting.start(["run"], environment: world.environment)
        defer { survivor.terminate() }
        let total = 50
        let environment = world.environment
        // The victim: started, given a moment (long enough to read, short enough to die mid
        // way), killed, started again, until every reply is delivered.
        let delivered = Flag()
        let delivering = Task {
            defer { delivered.set() }
            for number in 1...total {
                try await LMTPDelivery.deliver(world.reply(number), to: [box.address()])
            }
        }
        var kills = 0
        var victimOutput = ""
        while true {
            let victim = try DaemonTesting.start(["run"], environment: environment)
            try await Task.sleep(for: .milliseconds(Int.random(in: 400...1_200)))
            victim.signal(SIGKILL)
            _ = await victim.waitForExit(timeout: .seconds(10))
            victimOutput += victim.output
            kills += 1
            if delivered.isSet, kills >= 4 { break }
            if kills > 60 { break }
        }
        try await delivering.value

        let done = try await poll(timeout: .seconds(30)) { try await world.count() == total }
        let recorded = try await world.count()
        #expect(done, "recorded \(recorded) of \(total); survivor: \(survivor.output)")
        #expect(try await world.recordedIDs() == (1...total).map(world.replyID).sorted())
        #expect(try await world.changesPerMessage() == Array(repeating: 1, count: total))
        #expect(try await world.count("reply") == total)
        #expect(try await world.lastUID() == Int64(total))
        // Recorded by both: the victim's kills landed while it was reading, not only idle.
        let victimRecorded = victimOutput.components(separatedBy: "inbound: recorded reply").count - 1
        let survivorRecorded = survivor.output.components(separatedBy: "inbound: recorded reply").count - 1
        #expect(victimRecorded > 0 && survivorRecorded > 0, "victim \(victimRecorded), survivor \(survivorRecorded)")
        #expect(victimRecorded + survivorRecorded <= total, "a message logged as recorded twice")
        #expect(!survivor.output.contains("skipped"), "survivor: \(survivor.output)")
        #expect(survivor.isRunning)
        survivor.signal(SIGTERM)
        #expect(await survivor.waitForExit(timeout: .seconds(30)) == 0, "output: \(survivor.output)")
        await world.harness.close()
    }

    /// The same message delivered twice (a retried LMTP delivery, a reply sent to two of the
    /// mailbox's addresses), with and without a Message-ID, read in one poll and across two:
    /// one row, one change each.
    @Test func theSameMessageDeliveredTwiceIsRecordedOnce() async throws {
        let world = try await World.make(try await InboundSetup.make("twice"))
        let box = world.setup.box
        try await LMTPDelivery.deliver(world.reply(1), to: [box.address()])
        let first = try await DaemonTesting.run(["run", "--once"], environment: world.environment)
        #expect(first.status == 0, "\(first.stderrText)")
        #expect(first.stdoutText.contains("inbound: 1 done, 0 failed"), "\(first.stdoutText)")

        // Again after it was read (past the cursor), and a message with no Message-ID delivered
        // to two of the mailbox's addresses in one transaction (two copies), then once more.
        try await LMTPDelivery.deliver(world.reply(1), to: [box.address()])
        try await LMTPDelivery.deliver(world.reply(2, messageID: false), to: [box.address(), box.address(tag: "sales")])
        try await LMTPDelivery.deliver(world.reply(2, messageID: false), to: [box.address()])
        let second = try await DaemonTesting.run(["run", "--once"], environment: world.environment)
        #expect(second.status == 0, "\(second.stderrText)")
        #expect(second.stdoutText.contains("inbound: 4 done, 0 failed"), "\(second.stdoutText)")
        #expect(second.stderrText.components(separatedBy: "was recorded before").count - 1 == 3, "\(second.stderrText)")

        #expect(try await world.count() == 2)
        #expect(try await world.count("reply") == 2)
        let ids = try await world.recordedIDs()
        #expect(ids.contains(world.replyID(1)))
        #expect(ids.contains { $0.hasSuffix("@no-message-id.tidings.invalid>") }, "\(ids)")
        #expect(try await world.changesPerMessage() == [1, 1])
        #expect(try await world.lastUID() == 5)
        await world.harness.close()
    }
}

/// A flag one task sets and another reads.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
