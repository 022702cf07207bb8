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
            let transport = try TransportSettings(configuration.smtp).makeTransport(name: "smtp-test")
            let outcome: Result<TestMessage.Result, Error>
            do {
                outcome = .success(try await TestMessage.send(to: recipient, mail: mail, transport: transport, now: Date()))
            } catch {
                outcome = .failure(error)
            }
            await transport.close()
            let result = try outcome.get()
            print("Message-ID: \(result.messageID)")
            print("server reply: \(result.delivery.response)")
            for refused in result.delivery.refused { print("refused: \(refused)") }
        } catch {
            CommandOutput.fail("send-test", error)
        }
    }
}
