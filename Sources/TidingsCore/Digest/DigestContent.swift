import Foundation

/// Everything one digest email says, as ready, localized strings: the templates only lay it
/// out (logic-less Mustache), so the wording lives in Swift where it is typed and tested.
public struct DigestContent: Sendable, Hashable {
    public var recipient: DigestRecipient
    public var locale: LocaleTag
    public var subject: String
    /// The hidden first line mail clients show next to the subject.
    public var preheader: String
    public var groups: [DigestGroup]
    /// Deals left out entirely by the size cap: "and 7 more updates on 3 other deals".
    public var moreLine: String?
    /// Lines after collapsing, shown or not.
    public var itemCount: Int
    public var shownItemCount: Int
    /// Deals with at least one line, shown or not.
    public var dealCount: Int
    /// Every change this digest accounts for, including those collapsed away: the notifications
    /// to mark as delivered when it is sent.
    public var changeIDs: [Int64]
    /// Per-deal digests thread under their deal's root; nil for a combined digest.
    public var thread: DealThread?
    /// The recipient's time zone as shown in the footer ("Europe/Lisbon", "America/Sao Paulo").
    public var timeZoneName: String
    public var readMoreLabel: String
    /// The CRM's notification settings page, if configured.
    public var manageURL: String?
    /// This recipient's unsubscribe link, if configured: the signed one when the HTTP listener is.
    public var unsubscribeURL: String?
    /// The signed "Change how often" link; nil without the HTTP listener (`withSignedLinks`).
    public var cadenceURL: String? = nil
    /// The words of the signed links in the recipient's language; nil without them.
    public var linkLabels: DigestLinkLabels? = nil
}

/// The labels of a digest's signed links (`LinkStrings`), as the templates show them.
public struct DigestLinkLabels: Sendable, Hashable {
    public var muteDeal: String
    public var changeCadence: String
    public var unsubscribe: String
}

/// One deal's part of a digest.
public struct DigestGroup: Sendable, Hashable {
    public var dealID: String
    public var title: String
    public var kind: DealKind
    public var kindLabel: String
    public var stage: String?
    public var url: String?
    /// Why the recipient hears about this deal: "You collaborate on this opportunity."
    public var reasonLine: String
    /// For a reader just added to the deal: where it stands and what happened before.
    public var catchUp: DigestCatchUpBlock? = nil
    public var items: [DigestItem]
    /// Older lines of this deal left out by the size cap: "and 3 earlier updates".
    public var moreLine: String?
    /// The most recent activity, which orders the groups.
    public var lastActivity: Date
    /// The signed "Mute this deal" link; nil without the HTTP listener.
    public var muteURL: String? = nil
}

/// One line of a deal group: who did what, when.
public struct DigestItem: Sendable, Hashable {
    /// The change kind's name ("stage", "comment", …), for templates that style by kind.
    public var kind: String
    /// Who did it: "Ana Costa", "Ana Costa and Rui Lopes".
    public var actor: String
    /// What they did, without the actor: "moved the stage from Proposal to Negotiation".
    public var action: String
    /// Further text: a comment (perhaps cut), an email's subject, a reason.
    public var detail: String?
    /// True when `detail` is the user's own words (a comment or note), shown as a quote.
    public var detailIsQuote: Bool
    /// Link to the full text when `detail` was cut.
    public var readMoreURL: String?
    /// When, on the recipient's wall clock: "27 Nov 2026, 14:05".
    public var time: String
    public var occurredAt: Date
    public var changeIDs: [Int64]
}
