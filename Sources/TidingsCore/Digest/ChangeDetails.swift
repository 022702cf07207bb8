/// A change's payload read for its kind. The shapes Tidings understands (`payload` is `jsonb`):
///
/// | kind | payload |
/// | --- | --- |
/// | `created` | anything (ignored) |
/// | `stage` | `{"from": "Qualified" or null (optional), "to": "Proposal"}` |
/// | `field` | `{"field": "amount", "label": "Amount" (optional), "from": scalar or null, "to": scalar or null, "currency": "EUR" (optional, for amounts), "from_name": "Ana Sousa", "to_name": "Rui Gonçalves" (optional: the names of ids, as an owner change writes them)}` |
/// | `comment` | `{"comment": "text"}` (`"text"` accepted too) |
/// | `note` | `{"note": "text"}` (`"text"` accepted too) |
/// | `participant_added`, `participant_removed`, `collaborator_added`, `collaborator_removed` | `{"name": "João Silva", "email": "…" (optional)}`; `"display_name"` accepted for `"name"`; email alone is enough |
/// | `email_sent` | `{"subject": "…", "to": ["João Silva", …], "cc": ["Name", …], "refused": ["Name", …]}`: `to` and `cc` name who received it, `refused` (optional) the To and Cc recipients who did not; `"cc_count": n` instead of `"cc"` and `"refused_count": n` instead of `"refused"` are accepted too (written by the outbox worker); `"attachments": [{"name": "Proposta.pdf", "bytes": 48213}, …]` (optional) the files it carried |
/// | `email_received` | `{"inbound_id": 7, "from": "joao@cliente.pt", "from_name": "João Silva" or null, "contact_id": "c-1" or null, "role": "contact", "participant" or "other", "subject": "…", "excerpt": "the new text of the reply", "message_id": "<…>"}`: written by Tidings (`actor_id` null) when a reply is recorded; the digest names the sender (`from_name`, else `from`) and quotes `excerpt`; `inbound_id`, `contact_id`, `role` and `message_id` are for the CRM |
/// | `email_bounced` | `{"outbox_id": 12, "recipient": "maria@cliente.pt", "status": "5.1.1", "diagnostic": "smtp; 550 5.1.1 user unknown"}`: written by Tidings (`actor_id` null) per recipient a delivery report says failed; `status` and `diagnostic` optional |
/// | `won` | `{"amount": 12000, "currency": "EUR"}`, both optional |
/// | `lost` | `{"reason": "…"}`, optional |
///
/// A payload of the wrong shape (a `stage` without `"to"`, a `field` without `"field"`) or an
/// unknown kind becomes `.unrecognized`: the digest shows a generic "updated this deal" line
/// with the change's `summary`, never crashes and never drops the change.
public enum ChangeDetails: Sendable, Hashable {
    case created
    case stage(from: String?, to: String)
    /// `fromName` and `toName` are the names the CRM wrote beside ids (`from_name`, `to_name`:
    /// an owner or a contact changed), shown instead of the ids; the ids still decide whether
    /// the edit cancelled out.
    case field(key: String, label: String, from: JSONValue?, to: JSONValue?, currency: String?,
               fromName: String? = nil, toName: String? = nil)
    case comment(String)
    case note(String)
    case participantAdded(name: String)
    case participantRemoved(name: String)
    case collaboratorAdded(name: String)
    case collaboratorRemoved(name: String)
    /// `to` and `ccCount` are who received it; `refusedCount` the To and Cc recipients who did not.
    case emailSent(subject: String?, to: [String], ccCount: Int, refusedCount: Int = 0, attachments: [String] = [])
    /// `from` is the sender's address, `fromName` their display name; `excerpt` the reply's new
    /// text (quoted history removed), nil when it had none.
    case emailReceived(from: String, fromName: String?, subject: String?, excerpt: String?)
    /// `status` the RFC 3463 status ("5.1.1"), `diagnostic` the server's words, either unknown.
    case emailBounced(recipient: String, status: String?, diagnostic: String?)
    case won(amount: Double?, currency: String?)
    case lost(reason: String?)
    case unrecognized

    public init(kind: ChangeKind, payload: JSONValue) {
        self = Self.read(kind: kind, payload: payload) ?? .unrecognized
    }

    private static func read(kind: ChangeKind, payload: JSONValue) -> ChangeDetails? {
        switch kind {
        case .created:
            return .created
        case .stage:
            guard let to = payload["to"]?.nonBlankString else { return nil }
            return .stage(from: payload["from"]?.nonBlankString, to: to)
        case .field:
            guard let key = payload["field"]?.nonBlankString else { return nil }
            return .field(key: key, label: payload["label"]?.nonBlankString ?? key,
                          from: scalar(payload["from"]), to: scalar(payload["to"]),
                          currency: payload["currency"]?.nonBlankString,
                          fromName: payload["from_name"]?.nonBlankString, toName: payload["to_name"]?.nonBlankString)
        case .comment:
            return text(payload, "comment").map(ChangeDetails.comment)
        case .note:
            return text(payload, "note").map(ChangeDetails.note)
        case .participantAdded:
            return person(payload).map { .participantAdded(name: $0) }
        case .participantRemoved:
            return person(payload).map { .participantRemoved(name: $0) }
        case .collaboratorAdded:
            return person(payload).map { .collaboratorAdded(name: $0) }
        case .collaboratorRemoved:
            return person(payload).map { .collaboratorRemoved(name: $0) }
        case .emailSent:
            guard payload.objectValue != nil else { return nil }
            let to = names(payload["to"])
            let ccCount = payload["cc_count"]?.intValue.map { max($0, 0) } ?? names(payload["cc"]).count
            let refusedCount = payload["refused_count"]?.intValue.map { max($0, 0) } ?? names(payload["refused"]).count
            return .emailSent(subject: payload["subject"]?.nonBlankString, to: to, ccCount: ccCount, refusedCount: refusedCount,
                              attachments: names(payload["attachments"]))
        case .emailReceived:
            let name = payload["from_name"]?.nonBlankString
            guard let from = payload["from"]?.nonBlankString ?? name else { return nil }
            let excerpt = payload["excerpt"]?.stringValue.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
            return .emailReceived(from: from, fromName: name, subject: payload["subject"]?.nonBlankString, excerpt: excerpt)
        case .emailBounced:
            guard let recipient = payload["recipient"]?.nonBlankString else { return nil }
            return .emailBounced(recipient: recipient, status: payload["status"]?.nonBlankString,
                                 diagnostic: payload["diagnostic"]?.nonBlankString)
        case .won:
            return .won(amount: payload["amount"]?.numberValue, currency: payload["currency"]?.nonBlankString)
        case .lost:
            return .lost(reason: payload["reason"]?.nonBlankString)
        case .other:
            return nil
        }
    }

    /// A field value a digest can show: a scalar, or an array of scalars; null and objects are
    /// treated as "no value" (objects have no sensible one-line form).
    private static func scalar(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case .none, .null?, .object?: return nil
        case .string(let text)? where text.trimmingWhitespace().isEmpty: return nil
        case .array(let elements)? where elements.isEmpty: return nil
        case let value?: return value
        }
    }

    private static func text(_ payload: JSONValue, _ key: String) -> String? {
        guard let raw = payload[key]?.stringValue ?? payload["text"]?.stringValue else { return nil }
        let trimmed = raw.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func person(_ payload: JSONValue) -> String? {
        payload["name"]?.nonBlankString ?? payload["display_name"]?.nonBlankString ?? payload["email"]?.nonBlankString
    }

    /// Names from an array of strings (or of `{"name", "email"}` objects), skipping blanks.
    private static func names(_ value: JSONValue?) -> [String] {
        guard let elements = value?.arrayValue else {
            return value?.nonBlankString.map { [$0] } ?? []
        }
        return elements.compactMap { element in
            element.nonBlankString ?? element["name"]?.nonBlankString ?? element["email"]?.nonBlankString
        }
    }
}
