import Foundation
import TestSupport
import Testing
@testable import TidingsServices

/// Issue 14, catch-up, through the real binary against the reference CRM: João (u-2, pt-BR,
/// São Paulo, daily at 08:00 = 11:00 UTC) is added to D-1 after five changes; his next digest
/// opens D-1 with where it stands and the last `digests.catch_up_changes` (here 3) changes
/// before he joined, marked as such; the digest after it does not repeat them.
@Suite("Digest catch-up through tidings run --once")
struct DigestCatchUpThroughTheBinaryTests {
    typealias Run = DigestLabelsThroughTheBinaryTests

    @Test func aNewCollaboratorCatchesUpOnceWithTheLastChangesBeforeJoining() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            let environment = try Run.environment(world, yaml: "digests:\n  catch_up_changes: 3\n")
            try await world.change(as: "u-3", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-1', 'u-3', 'Primeiro contacto feito.')")
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            try await world.change(as: "u-5", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-1', 'u-5', 'Pricing agreed in principle.')")
            try await world.change(as: "u-1", "UPDATE crm.deals SET owner_id = 'u-7' WHERE id = 'D-1'")
            try await world.change(as: "u-7", "UPDATE crm.deals SET amount = 52000 WHERE id = 'D-1'")
            // Fanned out before he joins, as the daemon does within a second of each change.
            _ = try await Run.run(["run", "--once", "--now", "2026-11-26T11:00:00Z"], environment)
            try await world.change(as: "u-7", "INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES ('D-1', 'u-2')")
            try await Run.deliver(environment)

            let first = try await Run.digest(of: CRMUser.joao, in: world)
            for part in [first.text, first.html] {
                #expect(part.contains("Antes de você entrar"), "\(part)")
                #expect(part.contains("Etapa: Negociação"))
                #expect(part.contains("Responsável: Rui Gonçalves"))
                #expect(part.contains("Contato principal: Maria João Ferreira"))
                #expect(part.contains("Valor: ") && part.contains("52.000,00"))
                // The last three changes before he joined, the two before them not.
                #expect(part.contains("Pricing agreed in principle."))
                #expect(part.contains("alterou Responsável de Ana Sousa para Rui Gonçalves"))
                #expect(part.contains("alterou Valor de"))
                #expect(!part.contains("Primeiro contacto feito."))
                #expect(!part.contains("mudou a etapa de Proposta para Negociação"))
            }
            #expect(first.text.contains("Oliver Bennett comentou"))
            #expect(first.text.contains("Ana Sousa alterou Responsável de Ana Sousa para Rui Gonçalves"))
            #expect(first.text.contains("Rui Gonçalves alterou Valor de"))
            #expect(first.text.contains("Rui Gonçalves adicionou João Pereira aos colaboradores"))
            let heading = try #require(first.text.range(of: "Antes de você entrar")).lowerBound
            let news = try #require(first.text.range(of: "adicionou João Pereira aos colaboradores")).lowerBound
            #expect(heading < news, "the deal opens with the catch-up")
            #expect(try await world.count("SELECT item_count FROM tidings.digests WHERE user_id = 'u-2'") == 1,
                    "the catch-up is history: the digest tells one change")

            // The next change on D-1: João's next digest tells it, with no catch-up again.
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'won' WHERE id = 'D-1'")
            _ = try await Run.run(["run", "--once", "--now", "2026-11-27T12:30:00Z"], environment)
            _ = try await Run.run(["run", "--once", "--now", "2026-11-28T12:00:00Z"], environment)
            let messages = try await world.parsedMail(to: CRMUser.joao)
            try #require(messages.count == 2)
            let second = messages.first { !$0.text.contains("Antes de você entrar") }
            let again = try #require(second, "the second digest does not catch up again")
            #expect(again.text.contains("Emily Carter mudou a etapa de Negociação para Ganho"), "\(again.text)")
            await world.close()
        }
    }

    @Test func zeroTurnsCatchUpOff() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            let environment = try Run.environment(world, yaml: "digests:\n  catch_up_changes: 0\n")
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            _ = try await Run.run(["run", "--once", "--now", "2026-11-26T11:00:00Z"], environment)
            try await world.change(as: "u-3", "INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES ('D-1', 'u-2')")
            try await Run.deliver(environment)
            let digest = try await Run.digest(of: CRMUser.joao, in: world)
            #expect(digest.text.contains("Emily Carter adicionou João Pereira aos colaboradores"), "\(digest.text)")
            #expect(!digest.text.contains("Antes de você entrar"))
            await world.close()
        }
    }
}
