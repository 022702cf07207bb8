import Foundation
import Logging
import Testing
@testable import TidingsServices

@Suite struct LoggingStderrHandlerTests {
    @Test func journaldLinesCarryPriorityAndSortedMetadata() {
        let line = StderrLogHandler.format(
            level: .warning, message: "send failed", metadata: ["outbox_id": "42", "reply": "451 try later"],
            label: "tidings", journald: true, now: Date(timeIntervalSince1970: 0)
        )
        #expect(line == "<4>send failed outbox_id=42 reply=\"451 try later\"\n")
    }

    @Test func terminalLinesCarryTimeAndLevel() {
        let line = StderrLogHandler.format(level: .info, message: "ready", metadata: [:], label: "tidings", journald: false, now: Date(timeIntervalSince1970: 0))
        #expect(line == "1970-01-01T00:00:00Z INFO ready\n")
    }

    @Test func newlinesCannotForgeAnEntry() {
        let line = StderrLogHandler.format(level: .info, message: "a\nb", metadata: ["subject": "x\r\n<3>forged"], label: "t", journald: true, now: Date())
        #expect(line.filter { $0 == "\n" || $0 == "\r\n" }.count == 1)
        #expect(line.hasSuffix("\n"))
    }
}
