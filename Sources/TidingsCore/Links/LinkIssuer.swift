import Foundation

/// The signed links of one configuration: `http.public_url` followed by the action's letter and
/// a token (`https://tidings.example.com/m/TOKEN`). Digests get them from here, and the
/// listener's pages their undo buttons.
public struct LinkIssuer: Sendable, Hashable {
    /// `http.public_url` without a trailing slash.
    public let publicURL: String
    public let signer: LinkSigner

    public init(publicURL: String, signer: LinkSigner) {
        var url = publicURL
        while url.hasSuffix("/") { url.removeLast() }
        self.publicURL = url
        self.signer = signer
    }

    /// The path of `link` under the public URL: `/m/TOKEN`.
    public func path(_ link: LinkToken) -> String {
        "/" + link.action.rawValue + "/" + signer.token(link)
    }

    public func url(_ link: LinkToken) -> String {
        publicURL + path(link)
    }

    /// "Mute this deal" for `userID` on `dealID`, issued on `date`.
    public func muteURL(userID: String, dealID: String, date: Date) -> String {
        url(LinkToken(action: .mute, userID: userID, dealID: dealID, issuedDay: LinkToken.day(of: date)))
    }

    /// "Change how often" for `userID`.
    public func cadenceURL(userID: String, date: Date) -> String {
        url(LinkToken(action: .cadence, userID: userID, issuedDay: LinkToken.day(of: date)))
    }

    /// "Unsubscribe from digests", also the `List-Unsubscribe` one-click URL.
    public func unsubscribeURL(userID: String, date: Date) -> String {
        url(LinkToken(action: .unsubscribe, userID: userID, issuedDay: LinkToken.day(of: date)))
    }
}
