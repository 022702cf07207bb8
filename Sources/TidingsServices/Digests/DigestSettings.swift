import TidingsCore

/// The `digests.*` and `mail.*` settings in the form the pure core takes: schedule defaults for
/// users who chose nothing, and the planner's options. Built once per work object.
public struct DigestSettings: Sendable {
    public var scheduleDefaults: ScheduleDefaults
    public var plannerOptions: DigestOptions
    /// Whether a deal's owner hears of its changes like a collaborator (`digests.notify_owner`).
    public var notifyOwner: Bool

    public init(scheduleDefaults: ScheduleDefaults, plannerOptions: DigestOptions, notifyOwner: Bool) {
        self.scheduleDefaults = scheduleDefaults
        self.plannerOptions = plannerOptions
        self.notifyOwner = notifyOwner
    }

    /// The settings of a validated configuration (its values were range-checked at load, so the
    /// fallbacks below are never reached in practice).
    public init(context: ServiceContext) {
        let digests = context.configuration.digests
        let time = LocalTime(hour: digests.defaultDeliveryTime.hour, minute: digests.defaultDeliveryTime.minute)
            ?? LocalTime(hour: 8, minute: 0)!
        self.init(
            scheduleDefaults: ScheduleDefaults(
                cadence: Cadence(parsing: digests.defaultCadence) ?? .daily,
                timeOfDay: time,
                weekday: (1...7).contains(digests.defaultWeekday) ? digests.defaultWeekday : 1,
                immediateWindow: digests.immediateWindow
            ),
            plannerOptions: DigestOptions(
                commentMaxLength: max(1, digests.commentMaxLength),
                maxItems: max(1, digests.maxItems),
                manageURL: context.mail.manageURL,
                unsubscribeURLTemplate: context.mail.unsubscribeURLTemplate
            ),
            notifyOwner: digests.notifyOwner
        )
    }
}
