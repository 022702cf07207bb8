import SMTPClient
import Testing
@testable import TidingsServices

/// Which failures keep mail queued without using an attempt: those that say nothing about it.
@Suite struct TransportErrorTests {
    @Test func failuresBeforeTheMessageIsPresentedHoldIt() {
        for (stage, kind) in [(SMTPError.Stage.connect, SMTPError.Kind.transient), (.greeting, .transient), (.greeting, .permanent)] {
            let error = TransportError(SMTPError(kind: kind, stage: stage, summary: "x"))
            #expect(error.holdReason == "the mail server is unavailable", "\(stage) \(kind)")
        }
    }

    @Test func failuresAboutTheMessageUseAnAttempt() {
        for stage in [SMTPError.Stage.mailFrom, .recipients, .data, .afterData, .envelope] {
            #expect(TransportError(SMTPError(kind: .transient, stage: stage, summary: "x")).holdReason == nil, "\(stage)")
            #expect(TransportError(SMTPError(kind: .permanent, stage: stage, summary: "x")).holdReason == nil, "\(stage)")
        }
    }

    @Test func configurationProblemsHoldItAtAnyStage() {
        let auth = TransportError(SMTPError(kind: .permanent, stage: .auth, summary: "x", configurationProblem: .authentication))
        #expect(auth.holdReason == "the mail transport is misconfigured")
        let maildir = TransportError(kind: .permanent, message: "Maildir folder is not writable", isConfigurationError: true)
        #expect(maildir.holdReason == "the mail transport is misconfigured")
    }
}
