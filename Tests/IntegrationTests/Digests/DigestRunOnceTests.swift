import Foundation
import TestSupport
import Testing
@testable import TidingsServices

/// The whole pipeline through the real binary: `tidings run --once --now T` replays moments.
@Suite("Digests through tidings run --once")
struct DigestRunOnceTests {
    @Test func runOnceAtChosenMomentsSendsEachDigestWhenItIsDue() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            // D-1: owner u-1 (Lisbon), collaborators u-7 (Azores, UTC-1), u-5 (London).
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            let environment = try DaemonTesting.environment(
                databaseURL: world.database.url,
                smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
            func run(at moment: String) async throws -> ProcessOutput {
                let output = try await DaemonTesting.run(["run", "--once", "--now", moment], environment: environment)
                #expect(output.status == 0, "\(output.stderrText)")
                return output
            }

            let first = try await run(at: "2026-11-26T12:00:00Z")
            #expect(first.stdoutText.contains("fanout: 1 done"), "\(first.stdoutText)")
            #expect(try await world.mail(to: CRMUser.ana).isEmpty)
            #expect(try await world.mail(to: CRMUser.oliver).isEmpty)

            // 08:00 in Lisbon and London; Azores' 08:00 is an hour later.
            let morning = try await run(at: "2026-11-27T08:00:00Z")
            #expect(morning.stdoutText.contains("digests: 2 done, 0 failed"), "\(morning.stdoutText)")
            #expect(try await world.mail(to: CRMUser.ana).count == 1)
            #expect(try await world.mail(to: CRMUser.oliver).count == 1)
            #expect(try await world.mail(to: CRMUser.rui).isEmpty)

            _ = try await run(at: "2026-11-27T09:00:00Z")
            let rui = try await world.parsedMail(to: CRMUser.rui)
            try #require(rui.count == 1)
            #expect(rui[0].isClean)
            #expect(rui[0].text.contains("Emily Carter mudou a fase de Proposta para Negociação"))
            #expect(rui[0].header("Date") == "Fri, 27 Nov 2026 08:00:00 -0100", "the Date is the replayed moment, in the Azores")
            // Nothing twice.
            _ = try await run(at: "2026-11-27T09:00:00Z")
            #expect(try await world.mail(to: CRMUser.ana).count == 1)
            #expect(try await world.mail(to: CRMUser.rui).count == 1)
            #expect(try await world.count("SELECT count(*) FROM tidings.digests WHERE status = 'sent'") == 3)
            await world.close()
        }
    }
}
