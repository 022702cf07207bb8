import Foundation
import Testing
import TestSupport
@testable import TidingsServices
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SystemdNotifierTests {
    @Test func sendsStatesAsDatagrams() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "20000000"])
        #expect(notifier.watchdogInterval == .seconds(10))
        notifier.ready(status: "outbox 0 queued")
        notifier.watchdog()
        notifier.stopping()
        #expect(socket.drain() == ["READY=1\nSTATUS=outbox 0 queued", "WATCHDOG=1", "STOPPING=1"])
    }

    @Test func isSilentOutsideSystemd() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(notifier.watchdogInterval == nil)
        notifier.ready()
    }

    @Test func watchdogForAnotherProcessIsIgnored() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"])
        #expect(notifier.watchdogInterval == nil)
    }
}
