/// The words of the digest links and of the pages the HTTP listener shows for them, in one
/// language (`LinkStrings+English.swift`, `+PortugalPortuguese.swift`, `+BrazilianPortuguese.swift`).
/// Apart from `LocalizedStrings` so the listener's pages and the digest's link labels share one
/// wording without touching the digest lines'.
public struct LinkStrings: Sendable {
    public var locale: LocaleTag

    // In the digest.
    public var muteDeal: String
    public var changeCadence: String
    public var unsubscribe: String

    // Confirmation pages (GET): a heading, a sentence, one button.
    public var muteTitle: String
    public var muteQuestion: Phrase          // {deal}
    public var muteButton: String
    public var unmuteTitle: String
    public var unmuteQuestion: Phrase        // {deal}
    public var unmuteButton: String
    public var cadenceTitle: String
    public var cadenceQuestion: String
    public var cadenceButton: String
    /// An undo link's page: set the cadence back to one value.
    public var cadenceRestoreQuestion: Phrase // {cadence}
    public var unsubscribeTitle: String
    public var unsubscribeQuestion: String
    public var unsubscribeButton: String

    // After the POST, with an undo button.
    public var doneTitle: String
    public var mutedDone: Phrase             // {deal}
    public var unmutedDone: Phrase           // {deal}
    public var cadenceDone: Phrase           // {cadence}
    public var unsubscribedDone: String
    public var undoButton: String

    /// The cadences by name (`Cadence.rawValue`), and "default" for the configured one.
    public var cadenceNames: [String: String]

    // A link that is not (or no longer) valid.
    public var invalidTitle: String
    public var invalidText: String

    /// The deal named in a sentence when the directory no longer has its title.
    public var thisDeal: String

    public static func forLocale(_ locale: LocaleTag) -> LinkStrings {
        switch locale {
        case .en: .english
        case .ptPT: .portugalPortuguese
        case .ptBR: .brazilianPortuguese
        }
    }

    /// The name of `cadence` (a `Cadence.rawValue` or "default"), or the value as is.
    public func cadenceName(_ cadence: String) -> String {
        cadenceNames[cadence] ?? cadence
    }
}
