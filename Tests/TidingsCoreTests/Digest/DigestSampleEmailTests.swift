import Foundation
import Testing
@testable import TidingsCore

/// Renders the sample emails; with TIDINGS_SAMPLES_DIR set, writes them there for the
/// screenshots (scripts/render-email-screenshots.sh).
@Suite struct DigestSampleEmailTests {
    @Test func samplesRender() throws {
        let library = try TemplateLibrary(directory: templatesDirectory)
        let target = ProcessInfo.processInfo.environment["TIDINGS_SAMPLES_DIR"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("tidings-samples-\(getpid())")
        try SampleEmails.write(to: target, library: library)
        for name in ["digest-en.html", "digest-pt-PT.html", "digest-pt-BR.html", "deal-email-en.html", "digest-catch-up-pt-PT.html"] {
            let html = try String(contentsOf: target.appendingPathComponent(name), encoding: .utf8)
            #expect(html.contains("</html>"), "\(name)")
            #expect(!html.contains("<script>"), "\(name)")
        }
        if ProcessInfo.processInfo.environment["TIDINGS_SAMPLES_DIR"] == nil {
            try? FileManager.default.removeItem(at: target)
        }
    }
}
