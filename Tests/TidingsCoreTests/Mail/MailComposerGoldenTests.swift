import Foundation
import Testing
@testable import TidingsCore

/// Composed bytes compared with reviewed files in Golden/. Boundaries come from a seeded
/// generator, so the output is reproducible. To re-record after an intended change, run
/// with TIDINGS_RECORD_GOLDEN=1, review the diff, and commit it; a recording run still fails.
@Suite("Composer golden files")
struct MailComposerGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static let cases: [(file: String, label: String)] = [
        ("deal-email-pt.eml", "Portuguese names and subject"),
        ("digest.eml", "digest headers"),
        ("plain-ascii.eml", "ASCII text only"),
        ("cjk.eml", "CJK"),
        ("injection.eml", "CR LF NUL in subject"),
        ("threading.eml", "threading and zone"),
    ]

    @Test(arguments: cases.map(\.file))
    func matchesTheGoldenFile(_ file: String) throws {
        let label = try #require(Self.cases.first { $0.file == file }?.label)
        let testCase = try #require(ComposerCases.all.first { $0.label == label })
        let bytes = try testCase.compose(seed: 42).bytes
        let url = Self.folder.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["TIDINGS_RECORD_GOLDEN"] == "1" {
            try Data(bytes).write(to: url)
            Issue.record("recorded \(file); review it and run again without TIDINGS_RECORD_GOLDEN")
            return
        }
        let golden = try Data(contentsOf: url)
        // Both are 7-bit, so comparing them as text is exact and gives a readable diff.
        #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: golden, as: UTF8.self), "\(file)")
    }
}
