import ArgumentParser
import Foundation
import TidingsServices

/// `tidings preview digest --user ID [--at TIMESTAMP] [--all]`: prints the digest email(s) a
/// user would receive at a moment, without claiming or sending anything.
struct PreviewDigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the digest email(s) a user would receive at a given time, without sending or claiming.",
        discussion: """
            Takes the user's pending notifications (fanned out, not yet in a digest) that are due \
            at --at (default: now) under their cadence, and prints the exact MIME message(s) the \
            daemon would send, one after another on stdout; a summary goes to stderr. Nothing is \
            written to the database.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The user's id (tidings.directory_users.id).", valueName: "id"))
    var user: String

    @Option(name: .long, help: ArgumentHelp("The moment to preview, ISO 8601 (2026-11-27T09:00:00Z or with an offset).", valueName: "timestamp"))
    var at: String?

    @Flag(name: .long, help: "Include every pending notification, not only those due at --at.")
    var all = false

    func run() async throws {
        let command = "preview digest"
        var moment = Date()
        if let at {
            guard let parsed = RunCommand.parseTimestamp(at) else {
                CommandOutput.printError(command, "error: --at '\(at)' is not an ISO 8601 timestamp like 2026-11-27T09:00:00Z")
                throw ExitCode.failure
            }
            moment = parsed
        }
        let context = try global.makeContext(command: command, clock: .fixed(moment))
        let result: DigestPreview.Report
        do {
            result = try await context.databaseSessions.withSession(role: "preview", maxAttempts: 1) { session in
                try await DigestPreview(context: context).preview(userID: user, at: moment, all: all, session: session)
            }
        } catch {
            CommandOutput.fail(command, error)
        }

        let when = PreviewTimestamp.format(moment)
        if result.messages.isEmpty {
            let next = result.nextDue.map { "; the next digest is due at \(PreviewTimestamp.format($0))" } ?? ""
            let reason = result.included > 0 ? "its changes all cancel out" : "nothing is due"
            CommandOutput.printError(command, "user \(user) would receive no digest at \(when): \(result.pending) pending notification(s), \(reason)\(next)")
            return
        }
        let items = result.itemCounts.map(String.init).joined(separator: ", ")
        CommandOutput.printError(command, "user \(user) would receive \(result.messages.count) digest(s) at \(when) (items: \(items)) from \(result.included) of \(result.pending) pending notification(s)")
        for (index, message) in result.messages.enumerated() {
            if index > 0 { FileHandle.standardOutput.write(Data("\r\n".utf8)) }
            FileHandle.standardOutput.write(Data(message.bytes))
        }
    }
}

/// Timestamps in messages: ISO 8601 in UTC, as `--at` takes them.
private enum PreviewTimestamp {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
