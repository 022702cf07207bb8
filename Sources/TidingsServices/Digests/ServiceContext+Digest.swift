import TidingsCore

extension MailSettings {
    /// The part of the mail settings digests are built with, and the planner's `options`.
    public func digest(options: DigestOptions, links: LinkIssuer? = nil) -> DigestSettings {
        DigestSettings(sender: sender, messageIDDomain: messageIDDomain, listID: listID, maxMessageBytes: maxMessageBytes,
                       options: options, links: links)
    }
}

extension ServiceContext {
    /// The `digests.*`, `mail.*` and `http.*` settings digests are planned and composed with
    /// (with the listener configured, its signed links replace `mail.unsubscribe_url`). The values
    /// were range-checked at load, so the clamps below are never reached in practice.
    public var digestSettings: DigestSettings {
        let digests = configuration.digests
        return mail.digest(options: DigestOptions(
            commentMaxLength: max(1, digests.commentMaxLength),
            maxItems: max(1, digests.maxItems),
            manageURL: mail.manageURL,
            unsubscribeURLTemplate: mail.unsubscribeURLTemplate,
            catchUpChanges: max(0, digests.catchUpChanges)
        ), links: configuration.http?.links?.linkIssuer)
    }

    /// The digest composer of this configuration: what the digest worker sends and what
    /// `tidings preview digest` prints.
    public var digestComposer: DigestComposer {
        DigestComposer(settings: digestSettings, templates: templates)
    }

    /// When users who chose nothing get their digests (`digests.default_*`,
    /// `digests.immediate_window_seconds`).
    public var digestScheduleDefaults: ScheduleDefaults {
        let digests = configuration.digests
        let time = LocalTime(hour: digests.defaultDeliveryTime.hour, minute: digests.defaultDeliveryTime.minute)
            ?? LocalTime(hour: 8, minute: 0)!
        return ScheduleDefaults(
            cadence: Cadence(parsing: digests.defaultCadence) ?? .daily,
            timeOfDay: time,
            weekday: (1...7).contains(digests.defaultWeekday) ? digests.defaultWeekday : 1,
            immediateWindow: digests.immediateWindow
        )
    }
}
