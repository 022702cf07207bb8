import Foundation
import Testing
import TestSupport
@testable import TidingsServices

/// A contact whose address has a UTF-8 local part (RFC 6531), through the binary: Postfix's real
/// smtpd offers SMTPUTF8 and takes the email; a server that does not offer it (aiosmtpd) gets
/// nothing, and the row fails at once naming the address and what the server lacks.
@Suite struct OutboxUTF8AddressTests {
    @Test func aUTF8LocalPartGoesWhereTheServerOffersSMTPUTF8AndFailsByNameWhereNot() async throws {
        let harness = try await OutboxHarness.make()
        let token = uniqueToken("utf8")
        let address = "joão.simões.\(token)@cliente.example"
        let buyer = try await harness.contact("João Simões", email: address)
        let deal = try await harness.deal(primary: buyer)

        let viaPostfix = try #require(try await harness.email(deal: deal, subject: "Proposta"))
        let postfix = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_POSTFIX_SMTP_PORT"))")
        let first = try await DaemonTesting.run(["run", "--once"], environment: postfix)
        let sent = try await harness.row(viaPostfix)
        #expect(sent.status == "sent", "\(sent) \(first.stderrText)")
        let maillog = try String(contentsOfFile: try TestEnvironment.value("TIDINGS_TEST_POSTFIX_MAILLOG"), encoding: .utf8)
        #expect(maillog.contains("to=<\(address)>"), "Postfix took the UTF-8 recipient")

        let viaAiosmtpd = try #require(try await harness.email(deal: deal, subject: "Outra proposta"))
        let aiosmtpd = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        let second = try await DaemonTesting.run(["run", "--once"], environment: aiosmtpd)
        #expect(second.status == 1, "the row failed: \(second.stdoutText)")
        let failed = try await harness.row(viaAiosmtpd)
        let reason = failed.lastError ?? ""
        #expect(failed.status == "failed" && failed.attempts == 1, "failed at once, not retried: \(failed)")
        #expect(reason.contains(address) && reason.contains("SMTPUTF8"), "\(reason)")
        #expect(try await SMTPSpool.messages(containing: token).isEmpty, "nothing reached the server")
        await harness.close()
    }
}
