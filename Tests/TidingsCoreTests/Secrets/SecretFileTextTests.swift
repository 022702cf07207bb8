import Testing
import TidingsCore

/// Issue 10, item 13: one trailing line ending of any kind is not part of a secret; a second
/// line is refused.
@Suite struct SecretFileTextTests {
    @Test(arguments: [
        ("Pw-Secret", "Pw-Secret"),
        ("Pw-Secret\n", "Pw-Secret"),
        ("Pw-Secret\r\n", "Pw-Secret"),
        ("Pw-Secret\r", "Pw-Secret"),
        ("  spaces kept \t\n", "  spaces kept \t"),
        ("postgresql://u:p@db/x\r\n", "postgresql://u:p@db/x"),
        ("pässwörd\r\n", "pässwörd"),
    ])
    func stripsOneLineEnding(_ text: String, _ secret: String) throws {
        #expect(try SecretFileText.singleLine(text) == secret)
    }

    @Test(arguments: ["", "\n", "\r\n", "\r"])
    func emptyIsEmpty(_ text: String) {
        #expect(throws: SecretFileText.Problem.empty) { try SecretFileText.singleLine(text) }
    }

    @Test(arguments: ["a\nb", "a\r\nb\r\n", "a\rb", "a\n\n", "a\r\n\r\n", "a\r\r\n", "a\n\r", "a\0b", "\nsecret"])
    func moreThanOneLineIsRefused(_ text: String) {
        #expect(throws: SecretFileText.Problem.multipleLines) { try SecretFileText.singleLine(text) }
    }

    @Test func theExplanationNeverQuotesTheSecret() {
        for problem in [SecretFileText.Problem.empty, .multipleLines] {
            #expect(!problem.explanation.contains("secret\""))
            #expect(problem.explanation.contains("file"))
        }
    }
}
