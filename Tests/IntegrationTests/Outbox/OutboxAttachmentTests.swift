import Crypto
import Foundation
import SMTPClient
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Issue 13 through the binary: files stored with a deal email in `tidings.outbox_attachments`
/// reach the server byte for byte (Python's `email` takes each part back, names decoded, no
/// defect; mutt lists them by name); the `email_sent` change lists them; `preview outbox` shows the part tree; a `cid:`
/// without its image and files over the limit fail their row alone, saying why.
@Suite struct OutboxAttachmentTests {
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Small real files: a PDF, a PNG and an XLSX (a zip with the parts Excel reads), made by
    /// Python so their formats are real.
    static func files() async throws -> (pdf: [UInt8], png: [UInt8], xlsx: [UInt8]) {
        let script = #"""
            import base64, io, struct, sys, zipfile, zlib
            def chunk(kind, data):
                return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
            png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) \
                + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff\x00" * 2)) + chunk(b"IEND", b"")
            pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + bytes(range(256)) * 40
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
                z.writestr("xl/workbook.xml", "<workbook/>")
            for data in (pdf, png, buffer.getvalue()):
                print(base64.b64encode(data).decode())
            """#
        let output = try await offThePool { try runProcess("python3", ["-c", script]) }
        let lines = output.stdoutText.split(separator: "\n").map { [UInt8](Data(base64Encoded: String($0))!) }
        return (lines[0], lines[1], lines[2])
    }

    static func attach(_ harness: OutboxHarness, _ id: Int64, position: Int, _ name: String, _ type: String?,
                       disposition: String = "attachment", contentID: String? = nil, _ bytes: [UInt8]) async throws {
        let base64 = Data(bytes).base64EncodedString()
        try await harness.session.execute("""
            INSERT INTO tidings.outbox_attachments (outbox_id, position, filename, content_type, disposition, content_id, content)
            VALUES (\(id), \(position), \(name), coalesce(\(type)::text, 'application/octet-stream'), \(disposition), \(contentID),
                    decode(\(base64), 'base64'))
            """)
    }

    @Test func filesReachTheServerByteForByteAndAreListed() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["cfo"])
        let (pdf, png, xlsx) = try await Self.files()
        let name = "Proposta revisão nº 2 — Açores.pdf"
        let id = try #require(try await harness.email(deal: deal, subject: "Proposta com anexos",
                                                      html: #"<p>Segue a proposta.</p><p><img src="cid:logo@atlantico" alt="Atlântico"></p>"#))
        try await Self.attach(harness, id, position: 1, name, "application/pdf", pdf)
        try await Self.attach(harness, id, position: 2, "logo.png", "image/png", disposition: "inline", contentID: "logo@atlantico", png)
        try await Self.attach(harness, id, position: 3, "Preçário.xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx)
        // Stored badly by a CRM: no file name; a cid: nothing answers; files over the limit.
        let nameless = try #require(try await harness.email(deal: deal, subject: "Sem nome"))
        try await Self.attach(harness, nameless, position: 1, "  ", "text/plain", [0x41])
        let missingImage = try #require(try await harness.email(deal: deal, subject: "Sem imagem", html: #"<img src="cid:nada">"#))
        let tooLarge = try #require(try await harness.email(deal: deal, subject: "Grande"))
        try await Self.attach(harness, tooLarge, position: 1, "Grande.bin", nil, [UInt8](repeating: 1, count: 150_000))

        let environment = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))",
            extra: ["TIDINGS_CONFIG": try DaemonTesting.configFile(DaemonTesting.daemonYAML + "mail:\n  max_message_bytes: 100000\n")])
        let preview = try await DaemonTesting.run(["preview", "outbox", "--id", String(id)], environment: environment)
        #expect(preview.status == 0, "\(preview.stderrText)")
        #expect(preview.stderrText.contains("parts: multipart/mixed\n"), "\(preview.stderrText)")
        #expect(preview.stderrText.contains("parts:     image/png inline \"logo.png\" \(png.count) bytes"), "\(preview.stderrText)")
        #expect(preview.stderrText.contains("parts:   application/pdf attachment \"\(name)\" \(pdf.count) bytes"))
        let raw = try await DaemonTesting.run(["preview", "outbox", "--id", String(id), "--raw"], environment: environment)
        #expect(raw.status == 0 && raw.stderrText.isEmpty, "\(raw.stderrText)")
        #expect(raw.stdout.count == Int(preview.stderrText.split(separator: "\n").first { $0.hasPrefix("size: ") }?
            .dropFirst(6).split(separator: " ").first ?? "") ?? -1, "--raw is the message, exactly as large as the preview says")

        let run = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(run.status == 1, "three rows fail alone: \(run.stdoutText) \(run.stderrText)")
        #expect(run.stdoutText.contains("outbox: 4 done, 3 failed"), "\(run.stdoutText)")
        #expect(try await harness.row(id).status == "sent")
        #expect(try await harness.row(nameless).lastError == "outbox row \(nameless): attachment 1 of 1 has an empty file name (outbox_attachments.filename)")
        #expect(try await harness.row(missingImage).lastError == "outbox row \(missingImage): body_html shows cid:nada but no inline attachment has that content_id")
        let large = try await harness.row(tooLarge).lastError ?? ""
        #expect(large.contains("over the limit of 100000 bytes (mail.max_message_bytes); the largest attachment is Grande.bin (150000 bytes)"), "\(large)")

        let message = try #require(try await harness.spooled(count: 1).first)
        let parsed = try await OutboxHarness.parse(message.raw)
        #expect(parsed.isClean, "\(parsed.defects) \(parsed.wire_problems)")
        let files = parsed.parts.filter { $0.disposition != nil }
        #expect(files.map(\.filename) == ["logo.png", name, "Preçário.xlsx"])
        #expect(files.map(\.sha256) == [Self.sha256(png), Self.sha256(pdf), Self.sha256(xlsx)])
        #expect(files.map(\.disposition) == ["inline", "attachment", "attachment"])

        let change = try #require(try await harness.emailSentChanges(deal: deal).first)
        #expect(change.payload["attachments"] == .array([
            .object(["name": .string(name), "bytes": .number(Double(pdf.count))]),
            .object(["name": .string("logo.png"), "bytes": .number(Double(png.count))]),
            .object(["name": .string("Preçário.xlsx"), "bytes": .number(Double(xlsx.count))]),
        ]))
        await harness.close()
    }

    /// A file larger than the slices it is read in (`OutboxStore.attachmentSliceBytes`), of a
    /// size no slice divides, arrives whole, byte for byte.
    @Test func aFileReadInSeveralSlicesArrivesWhole() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let size = OutboxStore.attachmentSliceBytes * 5 / 2 + 7
        var generator = SystemRandomNumberGenerator()
        let file = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let id = try #require(try await harness.email(deal: deal, subject: "Catálogo"))
        try await Self.attach(harness, id, position: 1, "Catálogo 2027.pdf", "application/pdf", file)
        let environment = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        let run = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(try await harness.row(id).status == "sent")
        let message = try #require(try await harness.spooled(count: 1).first)
        let parsed = try await OutboxHarness.parse(message.raw)
        let files = parsed.parts.filter { $0.disposition != nil }
        #expect(files.map(\.size) == [size] && files.map(\.sha256) == [Self.sha256(file)])
        await harness.close()
    }

    /// Through Postfix's real smtpd, into Dovecot, read back over IMAP: what a customer's
    /// mailbox holds has every file byte for byte, with its name.
    @Test func filesArriveIntactThroughPostfixIntoAMailbox() async throws {
        let box = try await TestMailbox.make("att")
        let harness = try await OutboxHarness.make()
        let (pdf, png, xlsx) = try await Self.files()
        let buyer = try await harness.contact("Bruno Costa", email: box.address(tag: "buyer", domain: "cliente.example"))
        let deal = try await harness.deal(primary: buyer)
        let id = try #require(try await harness.email(deal: deal, subject: "Proposta pelo Postfix",
                                                      html: #"<p>Segue.</p><img src="cid:logo">"#))
        let name = "Proposta revisão nº 2 — Açores.pdf"
        try await Self.attach(harness, id, position: 1, name, "application/pdf", pdf)
        try await Self.attach(harness, id, position: 2, "logo.png", "image/png", disposition: "inline", contentID: "logo", png)
        try await Self.attach(harness, id, position: 3, "Preçário.xlsx", "application/vnd.ms-excel", xlsx)
        let postfix = try TestEnvironment.port("TIDINGS_TEST_POSTFIX_SMTP_PORT")
        let environment = try DaemonTesting.environment(databaseURL: harness.database.url, smtpURL: "smtp://127.0.0.1:\(postfix)")
        let run = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(try await harness.row(id).status == "sent")

        let imap = try IMAPSession(settings: box.settings)
        let arrived = try await poll(timeout: .seconds(30)) { try await imap.search().count == 1 }
        let maillog = try TestEnvironment.value("TIDINGS_TEST_POSTFIX_MAILLOG")
        #expect(arrived, "see \(maillog)")
        let uid = try #require(try await imap.search().first)
        let fetched = try #require(try await imap.fetch(uid: uid, maxBytes: 1 << 22))
        await imap.close()
        let parsed = try await OutboxHarness.parse(fetched.bytes)
        #expect(parsed.isClean, "\(parsed.defects) \(parsed.wire_problems)")
        let files = parsed.parts.filter { $0.disposition != nil }
        #expect(files.map(\.filename) == ["logo.png", name, "Preçário.xlsx"])
        #expect(files.map(\.sha256) == [Self.sha256(png), Self.sha256(pdf), Self.sha256(xlsx)])
        // A reader's client lists every file by its name.
        let listed = try await MuttAttachments.list(fetched.bytes)
        for file in ["logo.png", name, "Preçário.xlsx"] {
            #expect(listed.contains { $0.name == file }, "mutt lists \(listed)")
        }
        await harness.close()
    }

    /// Postfix announcing a small SIZE in its EHLO reply: a message over it is not presented
    /// at all (no MAIL FROM: nothing for Postfix to refuse), and the row fails at once (no
    /// retry) with a reason naming the server's limit and the largest attachment; a smaller
    /// email on the same connection still goes through into the mailbox. (A server that
    /// refuses the declared SIZE at MAIL FROM, 552 5.3.4, is classified the same way:
    /// SMTPErrorClassificationTests.)
    @Test func theServersSizeLimitFailsTheRowAtOnceNamingTheLargestFile() async throws {
        let box = try await TestMailbox.make("size")
        let harness = try await OutboxHarness.make()
        let buyer = try await harness.contact("Bruno Costa", email: box.address(tag: "buyer", domain: "cliente.example"))
        let deal = try await harness.deal(primary: buyer)
        let limit = try TestEnvironment.port("TIDINGS_TEST_POSTFIX_SMALL_SIZE_LIMIT")
        let contract = (0..<(limit * 3 / 4)).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        let note = Array("ver contrato".utf8)
        let port = try TestEnvironment.port("TIDINGS_TEST_POSTFIX_SMALL_SMTP_PORT")
        let environment = try DaemonTesting.environment(databaseURL: harness.database.url, smtpURL: "smtp://127.0.0.1:\(port)")
        let expected = "over the server's limit of \(limit) bytes (SIZE)"
        let largest = "the largest attachment is Contrato assinado.pdf (\(contract.count) bytes)"

        // Alone.
        let large = try #require(try await harness.email(deal: deal, subject: "Contrato"))
        try await Self.attach(harness, large, position: 1, "nota.txt", "text/plain", note)
        try await Self.attach(harness, large, position: 2, "Contrato assinado.pdf", "application/pdf", contract)
        let first = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(first.status == 1, "\(first.stdoutText) \(first.stderrText)")
        let failed = try await harness.row(large)
        #expect(failed.status == "failed" && failed.attempts == 1, "failed at once, not retried: \(failed)")
        let reason = failed.lastError ?? ""
        #expect(reason.contains(expected) && reason.contains(largest), "\(reason)")

        // With a smaller email on the same connection: whichever goes first, the large one
        // fails with the same reason and the small one is delivered.
        let small = try #require(try await harness.email(deal: deal, subject: "Nota"))
        try await Self.attach(harness, small, position: 1, "nota.txt", "text/plain", note)
        let again = try #require(try await harness.email(deal: deal, subject: "Contrato outra vez"))
        try await Self.attach(harness, again, position: 1, "Contrato assinado.pdf", "application/pdf", contract)
        let second = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(second.status == 1, "the large row fails alone: \(second.stdoutText) \(second.stderrText)")
        #expect(try await harness.row(small).status == "sent")
        let refused = try await harness.row(again)
        #expect(refused.status == "failed" && refused.attempts == 1, "\(refused)")
        #expect((refused.lastError ?? "").contains(expected) && (refused.lastError ?? "").contains(largest), "\(refused)")

        let imap = try IMAPSession(settings: box.settings)
        let arrived = try await poll(timeout: .seconds(30)) { try await imap.search().count == 1 }
        #expect(arrived, "the small email reaches the mailbox")
        await imap.close()
        await harness.close()
    }
}
