import Foundation
import TestSupport
import Testing
@testable import TidingsServices

/// Issue 14, "Digests that speak the CRM's words", through the real binary against the
/// reference CRM: stages, fields and people by the CRM's names in each reader's language
/// (`tidings.directory_labels`, `from_name`/`to_name`), raw codes when the CRM gives none.
///
/// D-1 ("Renovação do contrato…", proposal, 48,000 EUR): owner u-1 Ana (pt-PT, Lisbon),
/// collaborators u-7 Rui (pt-PT, Azores) and u-5 Oliver (en, London). By 09:00 UTC of the
/// 27th every daily digest of them is due.
@Suite("Digests in the CRM's words through tidings run --once")
struct DigestLabelsThroughTheBinaryTests {
    static let fanOutMoment = "2026-11-26T12:00:00Z"
    static let digestMoment = "2026-11-27T12:00:00Z"

    static func environment(_ world: DigestWorld, yaml: String = "") throws -> [String: String] {
        try DaemonTesting.environment(
            databaseURL: world.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))",
            extra: ["TIDINGS_CONFIG": try DaemonTesting.configFile(DaemonTesting.daemonYAML + yaml)])
    }

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> ProcessOutput {
        let output = try await DaemonTesting.run(arguments, environment: environment)
        #expect(output.status == 0, "\(arguments): \(output.stderrText)")
        return output
    }

    /// Fans out what happened, then sends the digests due the next day.
    static func deliver(_ environment: [String: String]) async throws {
        _ = try await run(["run", "--once", "--now", fanOutMoment], environment)
        _ = try await run(["run", "--once", "--now", digestMoment], environment)
    }

    /// The one digest `local` received, its text and HTML parts.
    static func digest(of local: String, in world: DigestWorld) async throws -> (text: String, html: String) {
        let messages = try await world.parsedMail(to: local)
        try #require(messages.count == 1, "\(local) received \(messages.count) digests")
        #expect(messages[0].isClean, "\(messages[0].defects) \(messages[0].wire_problems)")
        return (messages[0].text, messages[0].htmlPart?.content ?? "")
    }

    @Test func aPortugueseDigestReadsTheStagesNamesAndOthersTheirOwn() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            // João (pt-BR) follows D-1 too, added during the seed (no change, no catch-up).
            try await world.sql("""
                BEGIN; SET LOCAL crm.seeding = 'on';
                INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES ('D-1', 'u-2'); COMMIT;
                """)
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            try await Self.deliver(try Self.environment(world))

            let rui = try await Self.digest(of: CRMUser.rui, in: world)
            #expect(rui.text.contains("Emily Carter mudou a fase de Proposta para Negociação"), "\(rui.text)")
            #expect(rui.text.contains("Fase: Negociação"))
            #expect(rui.html.contains("mudou a fase de Proposta para Negociação"))
            let ana = try await Self.digest(of: CRMUser.ana, in: world)
            #expect(ana.text.contains("Emily Carter mudou a fase de Proposta para Negociação"))
            let joao = try await Self.digest(of: CRMUser.joao, in: world)
            #expect(joao.text.contains("Emily Carter mudou a etapa de Proposta para Negociação"), "\(joao.text)")
            let oliver = try await Self.digest(of: CRMUser.oliver, in: world)
            #expect(oliver.text.contains("Emily Carter moved the stage from Proposal to Negotiation"), "\(oliver.text)")
            for text in [rui.text, ana.text, joao.text, oliver.text] {
                #expect(!text.contains("negotiation") && !text.contains("proposal"), "no raw code: \(text)")
            }
            await world.close()
        }
    }

    @Test func withoutTheReadersLocaleTheLanguageThenEnglishThenTheCode() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            try await world.sql("""
                BEGIN; SET LOCAL crm.seeding = 'on';
                INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES ('D-1', 'u-2'); COMMIT;
                -- 'proposal' is named in English alone; 'negotiation' in Portuguese alone, by language.
                DELETE FROM crm.labels WHERE kind = 'stage' AND code = 'proposal' AND locale <> 'en';
                DELETE FROM crm.labels WHERE kind = 'stage' AND code = 'negotiation';
                INSERT INTO crm.labels (kind, code, locale, label) VALUES ('stage', 'negotiation', 'pt', 'Negociação (pt)');
                """)
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            try await Self.deliver(try Self.environment(world))

            let rui = try await Self.digest(of: CRMUser.rui, in: world)
            #expect(rui.text.contains("mudou a fase de Proposal para Negociação (pt)"), "pt-PT → pt, → en: \(rui.text)")
            let joao = try await Self.digest(of: CRMUser.joao, in: world)
            #expect(joao.text.contains("de Proposal para Negociação (pt)"), "pt-BR → pt, → en: \(joao.text)")
            let oliver = try await Self.digest(of: CRMUser.oliver, in: world)
            #expect(oliver.text.contains("moved the stage from Proposal to negotiation"), "en → the raw code: \(oliver.text)")
            await world.close()
        }
    }

    @Test func withoutTheViewRawCodesAndCheckSaysSo() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            let environment = try Self.environment(world)
            let present = try await DaemonTesting.run(["check"], environment: environment)
            #expect(present.stdoutText.contains("tidings.directory_labels has 57 labels"), "\(present.stdoutText)")

            try await world.sql("DROP VIEW tidings.directory_labels")
            let check = try await DaemonTesting.run(["check"], environment: environment)
            let line = check.stdoutText.split(separator: "\n").first { $0.contains("directory views") }.map(String.init) ?? ""
            #expect(line.hasPrefix("ok") && line.contains("the optional tidings.directory_labels is absent: digests show raw codes"),
                    "\(check.stdoutText)")
            let migrate = try await Self.run(["migrate"], environment)
            #expect(migrate.stdoutText.contains("tidings.directory_labels is absent"), "\(migrate.stdoutText)")

            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            try await Self.deliver(environment)
            let rui = try await Self.digest(of: CRMUser.rui, in: world)
            #expect(rui.text.contains("Emily Carter mudou a fase de proposal para negotiation"), "\(rui.text)")
            await world.close()
        }
    }

    @Test func aBrokenViewFailsCheckAndDigestsStillGoOutWithRawCodes() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            try await world.sql("""
                DROP VIEW tidings.directory_labels;
                CREATE VIEW tidings.directory_labels AS SELECT kind, code, locale, label AS name FROM crm.labels;
                """)
            let environment = try Self.environment(world)
            let check = try await DaemonTesting.run(["check"], environment: environment)
            #expect(check.status != 0 && check.stdoutText.contains("tidings.directory_labels lacks the column label"),
                    "\(check.stdoutText)")
            // The labels cannot be read: the digests go out with raw codes, and the log says why.
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            _ = try await Self.run(["run", "--once", "--now", Self.fanOutMoment], environment)
            let send = try await Self.run(["run", "--once", "--now", Self.digestMoment], environment)
            #expect(send.stderrText.contains("tidings.directory_labels cannot be read"), "\(send.stderrText)")
            let rui = try await Self.digest(of: CRMUser.rui, in: world)
            #expect(rui.text.contains("mudou a fase de proposal para negotiation"), "\(rui.text)")
            await world.close()
        }
    }

    @Test func anOwnerChangeNamesThePeople() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            try await world.change(as: "u-3", "UPDATE crm.deals SET owner_id = 'u-7' WHERE id = 'D-1'")
            try await Self.deliver(try Self.environment(world))
            let rui = try await Self.digest(of: CRMUser.rui, in: world)
            #expect(rui.text.contains("Emily Carter alterou Responsável de Ana Sousa para Rui Gonçalves"), "\(rui.text)")
            let oliver = try await Self.digest(of: CRMUser.oliver, in: world)
            #expect(oliver.text.contains("Emily Carter changed Owner from Ana Sousa to Rui Gonçalves"), "\(oliver.text)")
            #expect(!oliver.text.contains("u-1") && !oliver.text.contains("u-7"))
            await world.close()
        }
    }
}
