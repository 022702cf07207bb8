import ArgumentParser
import Foundation
import TidingsServices

/// `tidings preview outbox --id N`: prints the exact bytes outbox row N would be sent as
/// (CRLF line ends, as on the wire) to stdout, and the envelope, warnings (a recipient whose
/// address bounced for good before), notes, the MIME part tree with the files' sizes and the
/// message's size to stderr; `--raw` prints the bytes alone. Reads the row without claiming
/// it; sends nothing.
struct PreviewOutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Print the message an outbox row would be sent as (stdout) and its envelope (stderr).",
        discussion: "Exits 1 with the reason when the row does not exist or would fail (unknown deal, no primary contact, too large, ...)."
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The tidings.outbox id.", valueName: "id"))
    var id: Int64

    @Flag(name: .long, help: "Print only the message's exact bytes (no envelope, parts or notes on stderr).")
    var raw = false

    func run() async throws {
        let context = try options.makeContext(command: "preview outbox")
        let preview: OutboxPreview
        do {
            preview = try await context.databaseSessions.withSession(role: "preview", maxAttempts: 1) { session in
                try await OutboxPreview.make(id: id, session: session, composer: context.dealEmailComposer,
                                             returnPath: context.mail.returnPath, now: context.clock.now())
            }
        } catch {
            CommandOutput.fail("preview outbox", error)
        }
        FileHandle.standardOutput.write(Data(preview.email.bytes))
        if !raw { FileHandle.standardError.write(Data(preview.envelopeLines.map { $0 + "\n" }.joined().utf8)) }
    }
}
