import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Issue 12: the changes Tidings writes when mail comes back (no actor) reach the deal's
/// collaborators' digests, each in the reader's language, through the whole pipeline.
@Suite struct DigestReturnPathChangeTests {
    @Test func collaboratorsAreToldOfARepliesAndABounceInTheirLanguage() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, cadence) VALUES ('u-5', 'immediate'), ('u-1', 'immediate')")
        // As InboundStore writes them: actor_id NULL.
        try await world.change(as: nil, """
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload) VALUES
                ('D-1', 'email_received', NULL, '{"inbound_id": 7, "from": "maria.ferreira@vinhosdouro.example", "from_name": "Maria João Ferreira",
                                                  "contact_id": "c-1", "role": "contact", "subject": "Re: Proposta revista",
                                                  "excerpt": "Podemos avançar com a proposta.\\nObrigada.", "message_id": "<r1@vinhosdouro.example>"}'),
                ('D-1', 'email_bounced', NULL, '{"outbox_id": 12, "recipient": "tiago.magalhaes@vinhosdouro.example", "status": "5.1.1",
                                                 "diagnostic": "smtp; 550 5.1.1 user unknown"}')
            """)
        try await world.runPipeline(at: Date())

        let oliver = try await world.parsedMail(to: CRMUser.oliver)  // u-5, en, a collaborator
        try #require(oliver.count == 1)
        #expect(oliver[0].isClean)
        #expect(oliver[0].text.contains("- Maria João Ferreira replied: “Podemos avançar com a proposta. Obrigada.”\n"), "\(oliver[0].text)")
        #expect(oliver[0].text.contains("  Subject: Re: Proposta revista\n"))
        #expect(oliver[0].text.contains("- Email to tiago.magalhaes@vinhosdouro.example bounced: 550 5.1.1 user unknown\n"))
        #expect(!oliver[0].text.contains("System"), "the null actor is not shown")
        #expect(oliver[0].html.contains("<strong>Maria João Ferreira</strong> replied: “Podemos avançar com a proposta. Obrigada.”"))

        let ana = try await world.parsedMail(to: CRMUser.ana)  // u-1, pt-PT, the owner
        try #require(ana.count == 1)
        #expect(ana[0].text.contains("- Maria João Ferreira respondeu: «Podemos avançar com a proposta. Obrigada.»\n"), "\(ana[0].text)")
        #expect(ana[0].text.contains("- O email para tiago.magalhaes@vinhosdouro.example foi devolvido: 550 5.1.1 user unknown\n"))
        await world.close()
    }
}
