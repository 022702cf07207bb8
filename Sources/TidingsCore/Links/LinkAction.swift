/// What a signed digest link lets its holder do, and the path letter it is served under
/// (`/m/TOKEN`): short, so a link stays readable in a plain-text digest.
public enum LinkAction: String, Sendable, Hashable, CaseIterable {
    /// Stop hearing about one deal (`deal_preferences.muted = true`).
    case mute = "m"
    /// The undo of `mute`.
    case unmute = "a"
    /// Choose the digests' cadence (`user_preferences.cadence`); the page offers the cadences,
    /// or, when the token names one (an undo), sets that one.
    case cadence = "c"
    /// Digests off (`user_preferences.cadence = 'off'`), also the RFC 8058 one-click target.
    case unsubscribe = "u"

    /// Whether the action is about one deal, so its token must name one.
    public var needsDeal: Bool { self == .mute || self == .unmute }
}
