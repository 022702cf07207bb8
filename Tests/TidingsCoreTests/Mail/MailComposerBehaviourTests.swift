import Foundation
import Testing
@testable import TidingsCore

@Suite("Composer behaviour")
struct MailComposerBehaviourTests {
    @Test func noRecipientsIsAnError() throws {
        var message = try ComposerCase(label: "x").message()
        message.to = []
        #expect {
            _ = try MessageComposer().compose(message)
        } throws: { error in
            (error as? ComposeError)?.kind == .noRecipients
                && "\(error)" == "cannot compose a message: message <outbox-42.v1@crm.example.com> has no To, Cc or Bcc address"
        }
    }

    @Test(arguments: [
        ("", ComposeError.Kind.invalidHeaderName),
        ("X Space", .invalidHeaderName),
        ("X-Colon:", .invalidHeaderName),
        ("X-Ünicode", .invalidHeaderName),
        ("X-Evil\r\nBcc", .invalidHeaderName),
        ("Bcc", .reservedHeaderName),
        ("subject", .reservedHeaderName),
        ("Content-Type", .reservedHeaderName),
    ])
    func rejectsBadExtraHeaderNames(_ name: String, _ kind: ComposeError.Kind) {
        #expect {
            _ = try MailHeader(name: name, value: "x")
        } throws: { error in
            guard let error = error as? ComposeError else { return false }
            return error.kind == kind && !error.description.contains("\r") && !error.description.contains("\n")
        }
    }

    @Test func recipientsAreDeduplicatedCaseInsensitively() throws {
        var testCase = ComposerCase(label: "dups")
        testCase.to = [Person("A", "a@example.com"), Person(nil, "A@EXAMPLE.com")]
        testCase.cc = [Person(nil, "b@example.com"), Person(nil, "a@Example.com")]
        testCase.bcc = [Person(nil, "B@example.com"), Person(nil, "c@example.com")]
        #expect(try testCase.compose().envelopeRecipients == ["a@example.com", "b@example.com", "c@example.com"])
    }

    @Test func envelopeFromPrefersTheExplicitBounceAddressThenSender() throws {
        var message = try ComposerCase(label: "x").message()
        #expect(try MessageComposer().compose(message).envelopeFrom == "ana@crm.example.com")
        message.sender = Mailbox(try EmailAddress(parsing: "robot@crm.example.com"))
        #expect(try MessageComposer().compose(message).envelopeFrom == "robot@crm.example.com")
        message.envelopeFrom = try EmailAddress(parsing: "bounces+42@crm.example.com")
        #expect(try MessageComposer().compose(message).envelopeFrom == "bounces+42@crm.example.com")
    }

    @Test func aBoundaryFoundInTheContentIsReplaced() throws {
        let first = "=_collide"
        let counter = Counter()
        let generator = MIMEBoundaryGenerator { counter.next() == 0 ? first : "=_fresh" }
        var testCase = ComposerCase(label: "collision")
        testCase.text = "Quoting a message:\n--=_collide\nend\n"
        testCase.html = "<p>x</p>"
        let composed = try MessageComposer(boundaries: generator).compose(try testCase.message())
        let wire = String(decoding: composed.bytes, as: UTF8.self)
        #expect(wire.contains("boundary=\"=_fresh\""))
        #expect(counter.value == 2)
    }

    @Test func aGeneratorThatKeepsCollidingOrIsInvalidFails() throws {
        var testCase = ComposerCase(label: "collision")
        testCase.text = "--=_same\n"
        testCase.html = "<p>x</p>"
        let message = try testCase.message()
        #expect(throws: ComposeError.self) { try MessageComposer(boundaries: MIMEBoundaryGenerator { "=_same" }).compose(message) }
        #expect(throws: ComposeError.self) { try MessageComposer(boundaries: MIMEBoundaryGenerator { "bad\"quote" }).compose(message) }
        #expect(throws: ComposeError.self) { try MessageComposer(boundaries: MIMEBoundaryGenerator { String(repeating: "a", count: 71) }).compose(message) }
    }

    @Test func randomBoundariesDiffer() throws {
        var testCase = ComposerCase(label: "random")
        testCase.html = "<p>x</p>"
        let message = try testCase.message()
        let boundaries = try (0..<20).map { _ in
            let wire = String(decoding: try MessageComposer().compose(message).bytes, as: UTF8.self)
            return wire.components(separatedBy: "boundary=\"")[1].prefix { $0 != "\"" }
        }
        #expect(Set(boundaries).count == 20)
        #expect(boundaries.allSatisfy { $0.hasPrefix("=_") })
    }

    @Test func seededBoundariesAreReproducible() throws {
        var testCase = ComposerCase(label: "seeded")
        testCase.html = "<p>x</p>"
        #expect(try testCase.compose(seed: 5).bytes == testCase.compose(seed: 5).bytes)
        #expect(try testCase.compose(seed: 5).bytes != testCase.compose(seed: 6).bytes)
    }
}

/// A thread-safe call counter for generator closures.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func next() -> Int {
        lock.withLock {
            defer { count += 1 }
            return count
        }
    }
}
