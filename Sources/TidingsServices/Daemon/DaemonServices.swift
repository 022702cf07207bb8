import Logging
import ServiceLifecycle

/// Adapts a loop that runs `until: StopFlag` to swift-service-lifecycle: graceful shutdown
/// (SIGTERM) sets the flag and wakes the loop's waits, so it stops at its next turn.
struct LoopService: Service, CustomStringConvertible {
    let description: String
    let context: ServiceContext
    let body: @Sendable (StopFlag) async throws -> Void
    /// Also called on graceful shutdown, after the flag is set (e.g. to cancel a long statement
    /// the loop is blocked in, which the flag alone cannot interrupt).
    var onStop: @Sendable () async -> Void = {}

    func run() async throws {
        let stop = StopFlag()
        let context = self.context
        let onStop = self.onStop
        try await withGracefulShutdownHandler {
            try await body(stop)
        } onGracefulShutdown: {
            stop.set()
            context.changesSignal.signal()
            context.sendSignal.signal()
            Task { await onStop() }
        }
    }
}

/// The first service to hear of a shutdown (services stop in reverse order and this one is
/// last in the list): tells systemd STOPPING=1 and logs it, while the others wind down.
struct ShutdownAnnouncer: Service, CustomStringConvertible {
    let description = "shutdown-announcer"
    let context: ServiceContext
    let notifier: SystemdNotifier

    func run() async throws {
        try? await gracefulShutdown()
        notifier.stopping(status: "finishing in-flight sends")
        context.logger.notice("stopping: finishing in-flight sends, releasing unstarted claims",
                              metadata: ["grace": "\(context.configuration.daemon.shutdownGrace)"])
    }
}
