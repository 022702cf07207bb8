import Testing
@testable import TidingsCore

@Suite("Recipient resolution for deal emails")
struct DealEmailRecipientResolverTests {
    static let maria = DealContact(id: "C-1", displayName: "Maria Silva", email: "maria@example.pt")
    static let rui = DealContact(id: "C-2", displayName: "Rui Costa", email: "Rui.Costa@Example.pt")
    static let joana = DealContact(id: "C-4", displayName: "Joana", email: "Joana Reis <joana@example.pt>")

    private func resolve(_ input: RecipientInput) throws -> ResolvedRecipients {
        try RecipientResolver.resolve(input).get()
    }

    private func failure(_ input: RecipientInput) -> RecipientFailure? {
        if case .failure(let failure) = RecipientResolver.resolve(input) { return failure }
        return nil
    }

    private func addresses(_ mailboxes: [Mailbox]) -> [String] { mailboxes.map(\.address.addrSpec) }

    @Test func toIsThePrimaryContactAndCcTheOtherParticipants() throws {
        let result = try resolve(RecipientInput(dealID: "D-42", primaryContact: Self.maria, participants: [Self.rui, Self.joana]))
        #expect(result.to == [Mailbox(displayName: "Maria Silva", address: try EmailAddress(parsing: "maria@example.pt"))])
        #expect(addresses(result.cc) == ["Rui.Costa@example.pt", "joana@example.pt"])
        // The directory's name wins over a name inside the email column.
        #expect(result.cc.map(\.displayName) == ["Rui Costa", "Joana"])
        #expect(result.bcc.isEmpty && result.skipped.isEmpty)
    }

    @Test func toAddressesReplaceThePrimaryContact() throws {
        let result = try resolve(RecipientInput(
            dealID: "D-42", primaryContact: Self.maria, participants: [Self.rui],
            toAddresses: ["Legal <legal@example.pt>", "  "], ccAddresses: ["\"Costa, Ana\" <ana@example.pt>"]))
        #expect(addresses(result.to) == ["legal@example.pt"])
        #expect(result.to[0].displayName == "Legal")
        #expect(addresses(result.cc) == ["Rui.Costa@example.pt", "ana@example.pt"])
        #expect(result.cc[1].displayName == "Costa, Ana")
    }

    @Test func blankToAddressesFallBackToThePrimaryContact() throws {
        let result = try resolve(RecipientInput(dealID: "D-42", primaryContact: Self.maria, toAddresses: ["", " "]))
        #expect(addresses(result.to) == ["maria@example.pt"])
    }

    @Test func participantsCanBeLeftOut() throws {
        let result = try resolve(RecipientInput(
            dealID: "D-42", primaryContact: Self.maria, participants: [Self.rui, DealContact(id: "C-9", displayName: nil, email: nil)],
            ccAddresses: ["extra@example.pt"], includeParticipants: false))
        #expect(addresses(result.cc) == ["extra@example.pt"])
        #expect(result.skipped.isEmpty)
    }

    @Test func bccIsKeptSeparate() throws {
        let result = try resolve(RecipientInput(dealID: "D-42", primaryContact: Self.maria, bccAddresses: ["audit@crm.example.com"]))
        #expect(addresses(result.bcc) == ["audit@crm.example.com"])
    }

    @Test func eachAddressAppearsOnceAndTheFirstRoleWins() throws {
        let result = try resolve(RecipientInput(
            dealID: "D-42", primaryContact: Self.maria,
            participants: [Self.rui, DealContact(id: "C-5", displayName: "Maria again", email: "MARIA@example.PT"), Self.rui],
            ccAddresses: ["rui.costa@example.pt", "new@example.pt", "New@Example.pt"],
            bccAddresses: ["maria@example.pt", "NEW@example.pt", "audit@example.pt", "audit@example.pt"]))
        #expect(addresses(result.to) == ["maria@example.pt"])
        #expect(addresses(result.cc) == ["Rui.Costa@example.pt", "new@example.pt"])
        #expect(addresses(result.bcc) == ["audit@example.pt"])
    }

    @Test func participantsWithoutAValidEmailAreSkippedAndReported() throws {
        let result = try resolve(RecipientInput(
            dealID: "D-42", primaryContact: Self.maria,
            participants: [
                DealContact(id: "C-7", displayName: "Maria Silva", email: nil),
                DealContact(id: "C-8", displayName: nil, email: "   "),
                DealContact(id: "C-9", displayName: nil, email: "foo@"),
                DealContact(id: "C-10", displayName: "João", email: "joão@example.pt"),
                Self.rui,
            ]))
        #expect(addresses(result.cc) == ["joão@example.pt", "Rui.Costa@example.pt"], "a UTF-8 local part is an address (SMTPUTF8)")
        #expect(result.skipped.map(\.contactID) == ["C-7", "C-8", "C-9"])
        #expect(result.skipped.map(\.description) == [
            "participant C-7 (Maria Silva) has no email address",
            "participant C-8 has no email address",
            "participant C-9 has an invalid email address 'foo@': missing domain",
        ])
        #expect(result.skipped[0].reason == .noEmailAddress)
    }

    @Test func aDealWithoutPrimaryContactFails() {
        let failure = failure(RecipientInput(dealID: "D-42", primaryContact: nil, participants: [Self.rui]))
        #expect(failure?.kind == .noPrimaryContact)
        #expect(failure?.dealID == "D-42")
        #expect(failure?.description == "deal D-42 has no primary contact")
    }

    @Test func aPrimaryContactWithoutEmailFails() {
        let failure = failure(RecipientInput(dealID: "D-42", primaryContact: DealContact(id: "C-3", displayName: "João", email: nil)))
        #expect(failure?.kind == .primaryContactWithoutEmail)
        #expect(failure?.description == "primary contact C-3 (João) of deal D-42 has no email address")
    }

    @Test func aPrimaryContactWithAnInvalidEmailFails() {
        let failure = failure(RecipientInput(dealID: "D-42", primaryContact: DealContact(id: "C-3", displayName: nil, email: "joao at example")))
        #expect(failure?.kind == .primaryContactInvalidEmail)
        #expect(failure?.description == "primary contact C-3 of deal D-42 has an invalid email address 'joao at example': missing @")
    }

    @Test func invalidOverrideEntriesFailNamingTheEntry() {
        let to = failure(RecipientInput(dealID: "D-42", primaryContact: Self.maria, toAddresses: ["x"]))
        #expect(to?.kind == .invalidToAddress)
        #expect(to?.description == "to_addresses entry 'x' is invalid: missing @")
        let cc = failure(RecipientInput(dealID: "D-42", primaryContact: Self.maria, ccAddresses: ["ok@example.pt", "bad@x y.pt"]))
        #expect(cc?.kind == .invalidCcAddress)
        #expect(cc?.description == "cc_addresses entry 'bad@x y.pt' is invalid: invalid domain label 'x y'")
        let bcc = failure(RecipientInput(dealID: "D-42", primaryContact: Self.maria, bccAddresses: ["a@b.pt\r\nRCPT TO:<x@y>"]))
        #expect(bcc?.kind == .invalidBccAddress)
        #expect(bcc?.description.contains("\r") == false)
        #expect(bcc?.description.contains("\n") == false)
    }

    @Test func anInvalidToEntryFailsEvenWhenThePrimaryContactIsFine() {
        #expect(failure(RecipientInput(dealID: "D-42", primaryContact: Self.maria, toAddresses: ["ok@example.pt", "@nope"]))?.kind == .invalidToAddress)
    }

    @Test func namesWithLineBreaksAreCleaned() throws {
        let result = try resolve(RecipientInput(
            dealID: "D-42", primaryContact: DealContact(id: "C-1", displayName: "Maria\r\nBcc: x@evil.example", email: "maria@example.pt")))
        #expect(result.to[0].displayName == "Maria Bcc: x@evil.example")
    }
}
