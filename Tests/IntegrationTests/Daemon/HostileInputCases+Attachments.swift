import Crypto
import Foundation
import TestSupport

/// Hostile files on deal emails (issue 13): names and types a CRM stores carelessly or an
/// attacker chooses, a 0-byte file and a thousand files. Each stays inside its own part, the
/// message parses without a defect, and every other row of the run is unaffected.
extension HostileCase {
    static let attachments: [HostileCase] = [
        email("attachment: CR, LF and quotes in the file name", .sent { d in
            let files = d.message.parts.filter { $0.disposition != nil }
            let raw = String(decoding: d.spooled.raw, as: UTF8.self)
            return problems((files.map(\.filename) == ["Proposta__X-Injected: yes \"final\".pdf"], "names \(files.map(\.filename))"),
                            (!raw.contains("\r\nX-Injected"), "a header was injected"),
                            (files.first?.sha256 == hostileSHA256(Array("%PDF-1.4".utf8)), "content \(files)"))
        }) { e, _, _ in
            e.afterInsert = { world, id in
                try await world.attach(id, position: 1, filename: "Proposta\r\nX-Injected: yes \"final\".pdf",
                                       contentType: "application/pdf", Array("%PDF-1.4".utf8))
            }
        },
        email("attachment: path separators in the file name", .sent { d in
            let files = d.message.parts.filter { $0.disposition != nil }
            return problems((files.map(\.filename) == [".._.._etc_passwd"], "names \(files.map(\.filename))"))
        }) { e, _, _ in
            e.afterInsert = { world, id in
                try await world.attach(id, position: 1, filename: "../../etc/passwd", contentType: nil, Array("root".utf8))
            }
        },
        email("attachment: a 0-byte file", .sent { d in
            let files = d.message.parts.filter { $0.disposition != nil }
            return problems((files.map(\.filename) == ["vazio.txt"], "names \(files.map(\.filename))"),
                            (files.first?.size == 0 && files.first?.sha256 == hostileSHA256([]), "content \(files)"))
        }) { e, _, _ in
            e.afterInsert = { world, id in
                try await world.attach(id, position: 1, filename: "vazio.txt", contentType: "text/plain", [])
            }
        },
        email("attachment: parameters and a header injected in content_type", .sent { d in
            let files = d.message.parts.filter { $0.disposition != nil }
            let raw = String(decoding: d.spooled.raw, as: UTF8.self)
            return problems((files.map(\.content_type) == ["text/plain", "application/octet-stream"], "types \(files.map(\.content_type))"),
                            (files.map(\.filename) == ["nota.txt", "dados.bin"], "names \(files.map(\.filename))"),
                            (!raw.contains("evil.exe") && !raw.contains("\r\nX-Injected"), "the injected parameter or header was sent"))
        }) { e, _, _ in
            e.afterInsert = { world, id in
                try await world.attach(id, position: 1, filename: "nota.txt", contentType: "text/plain; name=\"evil.exe\"; charset=utf-8",
                                       Array("nota".utf8))
                try await world.attach(id, position: 2, filename: "dados.bin", contentType: "text/plain\r\nX-Injected: 1",
                                       Array("dados".utf8))
            }
        },
        email("attachment: 1,000 files", .sent { d in
            let files = d.message.parts.filter { $0.disposition == "attachment" }
            return problems((files.count == 1000, "\(files.count) files"),
                            (files.first?.filename == "file-0001.txt" && files.last?.filename == "file-1000.txt",
                             "order \(files.first?.filename ?? "-") … \(files.last?.filename ?? "-")"))
        }) { e, _, _ in
            e.afterInsert = { world, id in
                try await world.session.execute("""
                    INSERT INTO tidings.outbox_attachments (outbox_id, position, filename, content_type, content)
                    SELECT \(id), n, 'file-' || lpad(n::text, 4, '0') || '.txt', 'text/plain', convert_to('file ' || n, 'UTF8')
                    FROM generate_series(1, 1000) AS n
                    """)
            }
        },
    ]
}

/// SHA-256 (hex) of `bytes`, as the MIME check reports a part's payload.
func hostileSHA256(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}
