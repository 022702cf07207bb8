import Foundation
import Synchronization
import TidingsCore
import TidingsServices

/// A transport that answers from a script, for outcomes a real server cannot be steered into
/// (a configuration error mid-batch, a lease lost during a send). Records what it was given.
final class DigestScriptedTransport: MailTransport {
    enum Step: Sendable {
        case accept
        case fail(TransportError)
        /// Runs the action (e.g. a concurrent database change), then accepts.
        case acceptAfter(@Sendable () async throws -> Void)
    }

    private let state: Mutex<(steps: [Step], delivered: [[UInt8]])>

    /// `steps` are used in order; when they run out, messages are accepted.
    init(_ steps: [Step]) {
        state = Mutex((steps, []))
    }

    var delivered: [[UInt8]] { state.withLock { $0.delivered } }

    func deliver(from: String, recipients: [String], message: [UInt8], messageID: MessageID?) async throws(TransportError) -> Delivery {
        let step = state.withLock { state -> Step in
            state.steps.isEmpty ? .accept : state.steps.removeFirst()
        }
        switch step {
        case .accept:
            break
        case .fail(let error):
            throw error
        case .acceptAfter(let action):
            do { try await action() } catch { throw TransportError(kind: .transient, message: "script action failed: \(error)") }
        }
        state.withLock { $0.delivered.append(message) }
        return Delivery(recipients: recipients.map { .init(address: $0, accepted: true, kind: nil, code: 250, reply: "250 ok") },
                        response: "250 2.0.0 scripted", connectionReused: false)
    }

    func probe() async throws(TransportError) -> String { "scripted" }

    func close() async {}
}
