import Foundation
import Testing
import TestSupport
import TidingsCore
import TidingsServices

@Suite struct TransportMaildirTests {
    private func temporaryMaildir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("maildir-")).path + "/inbox"
    }

    /// The message's bytes with LF line ends (issue 10, item 15): Maildir readers such as mutt
    /// expect Unix text; a CR before each LF showed as `^M`.
    @Test func writesTheMessageWithLFLineEndsIntoNew() async throws {
        let path = temporaryMaildir()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let transport = try TransportSettings(url: try TransportURL(parsing: "maildir://\(path)")).makeTransport()
        let first = Array("Subject: one\r\n\r\n.dot line\r\n\u{00e9}\r\n".utf8)
        let second = Array("Subject: two\r\n\r\nbody\r\n".utf8)
        let delivery = try await transport.deliver(from: "a@example.com", recipients: ["b@example.com", "c@example.com"], message: first)
        _ = try await transport.deliver(from: "a@example.com", recipients: ["b@example.com"], message: second)
        await transport.close()

        #expect(delivery.accepted == ["b@example.com", "c@example.com"])
        #expect(delivery.response.hasPrefix("stored as \(path)/new/"))
        let new = try FileManager.default.contentsOfDirectory(atPath: path + "/new").sorted()
        #expect(new.count == 2)
        #expect(Set(new).count == 2)
        let contents = try new.map { Array(try Data(contentsOf: URL(fileURLWithPath: path + "/new/" + $0))) }
        #expect(Set(contents) == Set([UnixLineEnds.fromCRLF(first), UnixLineEnds.fromCRLF(second)]))
        #expect(contents.allSatisfy { !$0.contains(UInt8(ascii: "\r")) })
        #expect(contents.contains(Array("Subject: one\n\n.dot line\n\u{00e9}\n".utf8)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: path + "/tmp").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path + "/cur").isEmpty)
        let name = try #require(new.first)
        #expect(name.contains("P\(getpid())Q"))
        #expect(!name.contains("/") && !name.contains(":"))
    }

    @Test func refusesWhatSMTPWouldRefuse() async throws {
        let path = temporaryMaildir()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let transport = try MaildirTransport(path: path)
        await #expect(throws: TransportError.self) {
            try await transport.deliver(from: "a@example.com", recipients: ["b@exa\r\nmple.com"], message: Array("S: x\r\n\r\n".utf8))
        }
        let error = await #expect(throws: TransportError.self) {
            try await transport.deliver(from: "a@example.com", recipients: ["b@example.com"], message: Array("S: x\n\nbare".utf8))
        }
        #expect(error?.kind == .permanent)
        #expect(error?.description.contains("LF not preceded by CR") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path + "/new").isEmpty)
    }

    @Test func unwritableMaildirIsAConfigurationError() throws {
        let error = #expect(throws: TransportError.self) { try MaildirTransport(path: "/proc/tidings-cannot-exist/maildir") }
        #expect(error?.isConfigurationError == true)
        #expect(error?.description.contains("/proc/tidings-cannot-exist/maildir") == true)
    }
}
