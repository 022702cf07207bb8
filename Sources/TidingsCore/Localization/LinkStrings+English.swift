extension LinkStrings {
    public static let english = LinkStrings(
        locale: .en,
        muteDeal: "Mute this deal",
        changeCadence: "Change how often",
        unsubscribe: "Unsubscribe from digests",
        muteTitle: "Mute this deal?",
        muteQuestion: "You will no longer receive digest updates about {deal}.",
        muteButton: "Mute this deal",
        unmuteTitle: "Unmute this deal?",
        unmuteQuestion: "You will receive digest updates about {deal} again.",
        unmuteButton: "Unmute this deal",
        cadenceTitle: "How often should we send digests?",
        cadenceQuestion: "Choose how often you receive digests of your deals.",
        cadenceButton: "Save",
        cadenceRestoreQuestion: "Set your digests back to: {cadence}.",
        unsubscribeTitle: "Unsubscribe from digests?",
        unsubscribeQuestion: "You will no longer receive digests of your deals by email.",
        unsubscribeButton: "Unsubscribe",
        doneTitle: "Done",
        mutedDone: "{deal} is muted.",
        unmutedDone: "{deal} is no longer muted.",
        cadenceDone: "Your digests are now: {cadence}.",
        unsubscribedDone: "You are unsubscribed from digests.",
        undoButton: "Undo",
        cadenceNames: [
            "immediate": "As things happen", "hourly": "Hourly", "daily": "Daily", "weekly": "Weekly",
            "off": "Off", "default": "The default",
        ],
        invalidTitle: "Link not valid",
        invalidText: "This link is not valid or has expired. Use the links in your latest digest.",
        thisDeal: "This deal"
    )
}
