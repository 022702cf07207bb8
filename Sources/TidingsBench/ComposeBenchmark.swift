import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TidingsCore
import TidingsServices
import TimeArithmetic

/// Rendering and composition speed, single-threaded: a digest (templates rendered, then the
/// multipart message composed by `DigestComposer`, as `DigestSender` does) and a deal email (the whole
/// `DealEmailComposer`, as the outbox sender does). With `--write-samples DIR` it also writes
/// one of each as `digest.eml` and `deal-email.eml`, which scripts/bench/compose_python.py
/// rebuilds with Python's `email` package, headers and bodies alike, for the comparison.
///
/// Timed in the thread's CPU time (and in wall time, printed too): on a shared machine a
/// neighbour's load stretches wall time at random, while CPU time counts only this work, and
/// compose_python.py measures Python the same way.
struct ComposeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Messages per second rendered and composed (digest, deal email), one thread."
    )

    @Option(help: "Template directory.") var templates = "templates"
    @Option(help: "Timed messages of each kind.") var iterations = 20_000
    @Option(help: "Write the composed samples (digest.eml, deal-email.eml) to this directory.")
    var writeSamples: String?

    func run() throws {
        let library = try TemplateLibrary(directory: templates)
        let mail = BenchSamples.mail
        let digestComposer = DigestComposer(
            settings: mail.digest(options: DigestOptions(manageURL: mail.manageURL, unsubscribeURLTemplate: mail.unsubscribeURLTemplate)),
            templates: library)
        let content = BenchSamples.digestContent(options: digestComposer.settings.options)
        let messageID = try MessageID(left: "digest-1.1795770000", right: mail.messageIDDomain)
        let composer = DealEmailComposer(
            settings: DealEmailSettings(sender: mail.sender, messageIDDomain: mail.messageIDDomain,
                                        authorDomains: mail.authorDomains, maxMessageBytes: mail.maxMessageBytes),
            templates: library)

        let digest = { () throws -> [UInt8] in
            try digestComposer.message(content, to: BenchSamples.recipientMailbox, messageID: messageID, date: BenchSamples.date).bytes
        }
        let dealEmail = { () throws -> [UInt8] in
            try composer.compose(BenchSamples.draft, deal: BenchSamples.deal, author: BenchSamples.author,
                                 date: BenchSamples.date).bytes
        }
        if let directory = writeSamples {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(try digest()).write(to: URL(fileURLWithPath: directory + "/digest.eml"))
            try Data(try dealEmail()).write(to: URL(fileURLWithPath: directory + "/deal-email.eml"))
        }
        let renderOnly = { () throws -> [UInt8] in
            let rendered = try digestComposer.renderer.render(content)
            return Array(rendered.text.utf8) + Array(rendered.html.utf8)
        }
        for (name, body) in [("digest", digest), ("deal-email", dealEmail), ("digest-render-only", renderOnly)] {
            let bytes = try body().count
            for _ in 0..<min(1000, iterations) { _ = try body() }   // warm-up: caches, allocator
            let clock = ContinuousClock()
            let start = clock.now
            let cpuStart = threadCPUSeconds()
            var total = 0
            for _ in 0..<iterations { total &+= try body().count }
            let cpu = threadCPUSeconds() - cpuStart
            let wall = (clock.now - start).inSeconds
            precondition(total == bytes * iterations, "a message changed size between iterations")
            print("message=\(name) bytes=\(bytes) iterations=\(iterations) cpu_seconds=\(format3(cpu)) wall_seconds=\(format3(wall)) "
                  + "us_per_msg=\(format3(cpu * 1e6 / Double(iterations))) msgs_per_sec=\(Int((Double(iterations) / cpu).rounded()))")
        }
    }
}

/// CPU time this thread has used.
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
