import Foundation

extension DigestContent {
    /// This content with the signed links of the HTTP listener: "Mute this deal" on every deal,
    /// "Change how often" and "Unsubscribe from digests" in the footer, the last replacing the
    /// configured (unsigned) unsubscribe URL. Made when the digest is composed, so a link's day
    /// is the day its email was written.
    public func withSignedLinks(_ issuer: LinkIssuer, date: Date) -> DigestContent {
        let userID = recipient.userID
        var content = self
        for index in content.groups.indices {
            content.groups[index].muteURL = issuer.muteURL(userID: userID, dealID: content.groups[index].dealID, date: date)
        }
        content.cadenceURL = issuer.cadenceURL(userID: userID, date: date)
        content.unsubscribeURL = issuer.unsubscribeURL(userID: userID, date: date)
        let strings = LinkStrings.forLocale(locale)
        content.linkLabels = DigestLinkLabels(muteDeal: strings.muteDeal, changeCadence: strings.changeCadence,
                                              unsubscribe: strings.unsubscribe)
        return content
    }
}
