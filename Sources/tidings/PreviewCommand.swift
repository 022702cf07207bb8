import ArgumentParser

/// `tidings preview ...`: shows the exact message that would be sent, without sending or
/// claiming anything.
struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Print the exact message a deal email or a digest would be, without sending or claiming it.",
        subcommands: [
            // One line per subcommand, kept sorted.
            PreviewDigestCommand.self,
            PreviewOutboxCommand.self,
        ]
    )
}
