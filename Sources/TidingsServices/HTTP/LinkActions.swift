import Foundation
import Logging
import TidingsCore

/// What a digest link does: a GET shows the confirmation page and changes nothing (mail
/// scanners and link previews fetch every link), a POST acts and shows the result with an undo
/// button, a POST with `List-Unsubscribe=One-Click` acts and answers 200 with no page. A token
/// that does not verify — tampered, signed with an unknown key, older than
/// `http.link_max_age_days`, or for another action than its path says — changes nothing and
/// gets the same plain 404 page.
///
/// Each request stands alone: a failure (the database away, a bad token) answers that request
/// and nothing else. The log names the action and the user, never a token or a key.
struct LinkActions: Sendable {
    let issuer: LinkIssuer
    let store: PreferencesStore
    /// `digests.default_cadence`, checked on the cadence page of a user who never chose.
    let defaultCadence: String
    let clock: TidingsClock
    let logger: Logger

    /// The answer to `GET /<action>/<token>`.
    func show(_ action: LinkAction, token: String) async -> LinkAnswer {
        guard let link = verified(action, token: token) else { return Self.notFound }
        do {
            let facts = try await store.pageFacts(userID: link.userID, dealID: link.dealID)
            let strings = LinkStrings.forLocale(LocaleTag(normalizing: facts.locale))
            return .page(LinkPage.confirmation(link, strings: strings, dealTitle: facts.dealTitle, postURL: issuer.url(link),
                                               currentCadence: facts.cadence ?? defaultCadence))
        } catch {
            logger.warning("link page not shown: database unavailable", metadata: ["action": "\(action)", "user": "\(link.userID)"])
            return .unavailable
        }
    }

    /// The answer to `POST /<action>/<token>` with `form`.
    func act(_ action: LinkAction, token: String, form: LinkForm) async -> LinkAnswer {
        guard let link = verified(action, token: token) else { return Self.notFound }
        let today = LinkToken.day(of: clock.now())
        do {
            let facts = try await store.pageFacts(userID: link.userID, dealID: link.dealID)
            let strings = LinkStrings.forLocale(LocaleTag(normalizing: facts.locale))
            var applied: String?
            let undo: LinkToken
            switch link.action {
            case .mute, .unmute:
                guard let dealID = link.dealID else { return Self.notFound }
                let mute = link.action == .mute
                try await store.setMuted(mute, userID: link.userID, dealID: dealID)
                undo = LinkToken(action: mute ? .unmute : .mute, userID: link.userID, dealID: dealID, issuedDay: today)
            case .unsubscribe:
                let previous = try await store.setCadence("off", userID: link.userID)
                applied = "off"
                undo = LinkToken(action: .cadence, userID: link.userID, value: previous ?? "default", issuedDay: today)
            case .cadence:
                guard let chosen = link.value ?? form.cadence,
                      chosen == "default" || LinkPage.choosableCadences.contains(chosen) else {
                    return .page(LinkPage.confirmation(link, strings: strings, dealTitle: facts.dealTitle, postURL: issuer.url(link),
                                                       currentCadence: facts.cadence ?? defaultCadence), status: 400)
                }
                let previous = try await store.setCadence(chosen == "default" ? nil : chosen, userID: link.userID)
                applied = chosen
                undo = LinkToken(action: .cadence, userID: link.userID, value: previous ?? "default", issuedDay: today)
            }
            logger.notice("digest link used", metadata: [
                "action": "\(link.action)", "user": "\(link.userID)", "oneClick": "\(form.isOneClick)",
            ])
            if form.isOneClick && link.action == .unsubscribe { return .oneClickDone }
            return .page(LinkPage.done(link, strings: strings, dealTitle: facts.dealTitle, cadence: applied,
                                       undoURL: issuer.url(undo)))
        } catch {
            logger.warning("digest link not applied: database unavailable", metadata: [
                "action": "\(link.action)", "user": "\(link.userID)", "error": "\(error)",
            ])
            return .unavailable
        }
    }

    /// The link of `token` when it verifies today and is for `action`; logs why not otherwise.
    private func verified(_ action: LinkAction, token: String) -> LinkToken? {
        switch issuer.signer.verify(token, today: LinkToken.day(of: clock.now())) {
        case .success(let link) where link.action == action:
            return link
        case .success:
            logger.notice("digest link refused", metadata: ["action": "\(action)", "reason": "token for another action"])
        case .failure(let refusal):
            logger.notice("digest link refused", metadata: ["action": "\(action)", "reason": "\(refusal)"])
        }
        return nil
    }

    /// The page of every link that does not verify.
    static let notFound = LinkAnswer.page(LinkPage.invalid(strings: .english), status: 404)
}
