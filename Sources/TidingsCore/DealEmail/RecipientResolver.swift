/// Decides who a deal email goes to, from the deal's people and the outbox row's overrides.
///
/// Rules: To is `to_addresses` when it holds any address, else the deal's primary contact.
/// Cc is the other participants (when `include_participants`) then `cc_addresses`. Bcc is
/// `bcc_addresses`, envelope only. Each address appears once across all three, compared
/// case-insensitively; the first role wins (To over Cc over Bcc). A participant without a
/// valid email is skipped and reported. A To that cannot be formed, or an invalid entry the
/// author typed in any override, fails the row with a reason naming the deal, contact or entry.
/// Blank override entries (empty form fields) are ignored.
public enum RecipientResolver {
    public static func resolve(_ input: RecipientInput) -> Result<ResolvedRecipients, RecipientFailure> {
        do throws(RecipientFailure) {
            var collector = Collector()
            let explicitTo = try overrides(input.toAddresses ?? [], field: "to_addresses", kind: .invalidToAddress, dealID: input.dealID)
            if explicitTo.isEmpty {
                collector.add(try primaryContactMailbox(input), to: \.to)
            } else {
                for mailbox in explicitTo { collector.add(mailbox, to: \.to) }
            }
            if input.includeParticipants {
                for participant in input.participants {
                    switch contactMailbox(participant) {
                    case .success(let mailbox): collector.add(mailbox, to: \.cc)
                    case .failure(let reason): collector.result.skipped.append(SkippedRecipient(contact: participant, reason: reason))
                    }
                }
            }
            for mailbox in try overrides(input.ccAddresses, field: "cc_addresses", kind: .invalidCcAddress, dealID: input.dealID) {
                collector.add(mailbox, to: \.cc)
            }
            for mailbox in try overrides(input.bccAddresses, field: "bcc_addresses", kind: .invalidBccAddress, dealID: input.dealID) {
                collector.add(mailbox, to: \.bcc)
            }
            return .success(collector.result)
        } catch {
            return .failure(error)
        }
    }

    /// Keeps each address once, in the first list it was added to.
    private struct Collector {
        var result = ResolvedRecipients(to: [], cc: [], bcc: [], skipped: [])
        var seen = Set<String>()

        mutating func add(_ mailbox: Mailbox, to list: WritableKeyPath<ResolvedRecipients, [Mailbox]>) {
            if seen.insert(mailbox.address.normalizedKey).inserted { result[keyPath: list].append(mailbox) }
        }
    }

    private static func primaryContactMailbox(_ input: RecipientInput) throws(RecipientFailure) -> Mailbox {
        let deal = AddressError.printable(input.dealID)
        guard let contact = input.primaryContact else {
            throw RecipientFailure(.noPrimaryContact, dealID: input.dealID, "deal \(deal) has no primary contact")
        }
        switch contactMailbox(contact) {
        case .success(let mailbox):
            return mailbox
        case .failure(.noEmailAddress):
            throw RecipientFailure(.primaryContactWithoutEmail, dealID: input.dealID,
                                   "primary contact \(contact.label) of deal \(deal) has no email address")
        case .failure(.invalidEmailAddress(let error)):
            throw RecipientFailure(.primaryContactInvalidEmail, dealID: input.dealID,
                                   "primary contact \(contact.label) of deal \(deal) has an invalid email address '\(error.address)': \(error.reason)")
        }
    }

    /// A contact's mailbox: the directory's display name (else the one in the email column)
    /// and the parsed address.
    static func contactMailbox(_ contact: DealContact) -> Result<Mailbox, SkippedRecipient.Reason> {
        guard let email = contact.email, email.contains(where: { !$0.isWhitespace }) else {
            return .failure(.noEmailAddress)
        }
        do throws(AddressError) {
            let parsed = try Mailbox(parsing: email)
            let name = HeaderText.displayName(contact.displayName) ?? parsed.displayName
            return .success(Mailbox(displayName: name, address: parsed.address))
        } catch {
            return .failure(.invalidEmailAddress(error))
        }
    }

    private static func overrides(
        _ entries: [String], field: String, kind: RecipientFailure.Kind, dealID: String
    ) throws(RecipientFailure) -> [Mailbox] {
        var mailboxes: [Mailbox] = []
        for entry in entries where entry.contains(where: { !$0.isWhitespace }) {
            do throws(AddressError) {
                mailboxes.append(try Mailbox(parsing: entry))
            } catch {
                throw RecipientFailure(kind, dealID: dealID, "\(field) entry '\(error.address)' is invalid: \(error.reason)")
            }
        }
        return mailboxes
    }
}
