import Foundation
@testable import TidingsCore

/// A deal, its people, an author and the settings the deal-email tests build on.
enum DealEmailFixtures {
    static let sender = Mailbox(displayName: "Atlântico CRM", address: try! EmailAddress(parsing: "crm@atlantico.example"))
    static let settings = DealEmailSettings(sender: sender, messageIDDomain: "crm.atlantico.example",
                                            authorDomains: [], maxMessageBytes: 10_485_760)
    static let composer = DealEmailComposer(settings: settings, templates: TemplateRenderingTests.library)

    static let maria = DealContact(id: "c-1", displayName: "Maria João Ferreira", email: "maria.ferreira@vinhosdouro.example")
    static let tiago = DealContact(id: "c-2", displayName: "Tiago Magalhães", email: "tiago.magalhaes@vinhosdouro.example")
    static let sofia = DealContact(id: "c-5", displayName: "Sofia Brandão", email: nil)
    static let deal = DealEmailDeal(id: "D-1", title: "Renovação", primaryContact: maria, participants: [tiago, sofia])

    static let ana = DealEmailAuthor(id: "u-1", displayName: "Ana Sousa", email: "ana.sousa@atlantico.example",
                                     locale: .ptPT, timeZone: "Europe/Lisbon")

    static func draft(_ id: Int64 = 17, dealID: String = "D-1", subject: String = "Proposta revista",
                      body: String = "Olá Maria João,\n\nSegue a proposta revista.\n\nCumprimentos", html: String? = nil,
                      to: [String]? = nil, cc: [String] = [], bcc: [String] = [], inReplyTo: String? = nil) -> DealEmailDraft {
        DealEmailDraft(outboxID: id, createdMicros: 1_739_455_387_123_456, dealID: dealID, authorID: "u-1", subject: subject,
                       bodyText: body, bodyHTML: html, toAddresses: to, ccAddresses: cc, bccAddresses: bcc, inReplyTo: inReplyTo)
    }

    static let date = Date(timeIntervalSince1970: 1_739_455_387)

    static func header(_ name: String, in bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let unfolded = text[..<end.lowerBound].replacingOccurrences(of: "\r\n ", with: " ")
        for line in unfolded.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func headerNames(in bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return [] }
        return text[..<end.lowerBound].components(separatedBy: "\r\n")
            .filter { !$0.hasPrefix(" ") && !$0.hasPrefix("\t") }
            .compactMap { $0.split(separator: ":", maxSplits: 1).first.map(String.init) }
    }
}
