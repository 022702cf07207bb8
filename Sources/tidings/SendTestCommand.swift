import ArgumentParser
import Foundation
import TidingsCore
import TidingsServices

/// `tidings send-test --to ADDRESS`: sends one message through the configured transport and
/// prints its Message-ID and the server's reply. Needs no database.
struct SendTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-test",
        abstract: "Send one test message through the configured transport (smtp.url / TIDINGS_SMTP_URL).",
        discussion: "The sender is mail.from (TIDINGS_FROM). Exits 1 with a one-line error if anything fails; nothing is sent then."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Recipient address, e.g. \"Ana Costa <ana@example.com>\".", valueName: "address"))
    var to: String

    func run() async throws {
        let configuration = try global.loadConfiguration(command: "send-test", needsDatabase: false)
        do {
            let recipient = try Mailbox(parsing: to)
            let mail = try MailSettings(configuration.mail)
            let receipt = try await TransportSettings(configuration.smtp).withTransport(name: "smtp-test") { transport in
                try await TestMessage.send(to: recipient, mail: mail, transport: transport, now: Date())
            }
            print("Message-ID: \(receipt.messageID)")
            print("server reply: \(receipt.delivery.response)")
            for refused in receipt.delivery.refused { print("refused: \(refused)") }
        } catch {
            CommandOutput.fail("send-test", error)
        }
    }
}
