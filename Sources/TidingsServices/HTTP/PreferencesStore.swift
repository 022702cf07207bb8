import PostgresClient

/// The SQL of the digest links: what their pages show (the reader's locale, the deal's title,
/// the cadence in effect) and what their POSTs change (`deal_preferences.muted`,
/// `user_preferences.cadence`). Every call runs on the listener's database session, an actor on
/// a thread of its own, so no blocking libpq call reaches Swift's cooperative pool.
struct PreferencesStore: Sendable {
    let session: PostgresSession

    /// What a link's page says about its user and deal.
    struct PageFacts: Sendable {
        /// `directory_users.locale` as the CRM writes it; nil for a user it no longer lists.
        var locale: String?
        var dealTitle: String?
        /// `user_preferences.cadence`; nil when the user never chose (the configured default).
        var cadence: String?
    }

    func pageFacts(userID: String, dealID: String?) async throws -> PageFacts {
        let rows = try await session.query("""
            SELECT (SELECT u.locale FROM tidings.directory_users u WHERE u.id = \(userID) LIMIT 1) AS locale,
                   (SELECT d.title FROM tidings.directory_deals d WHERE d.id = \(dealID) LIMIT 1) AS title,
                   (SELECT p.cadence FROM tidings.user_preferences p WHERE p.user_id = \(userID)) AS cadence
            """)
        let row = try rows.single()
        return PageFacts(locale: try row.decode("locale"), dealTitle: try row.decode("title"), cadence: try row.decode("cadence"))
    }

    /// Mutes (or unmutes) `dealID` for `userID`; the deal's own cadence, if any, is kept.
    func setMuted(_ muted: Bool, userID: String, dealID: String) async throws {
        try await session.execute("""
            INSERT INTO tidings.deal_preferences (user_id, deal_id, muted) VALUES (\(userID), \(dealID), \(muted))
            ON CONFLICT (user_id, deal_id) DO UPDATE SET muted = EXCLUDED.muted, updated_at = now()
            """)
    }

    /// Sets the user's cadence (nil: back to the configured default) and returns the one it
    /// replaces (nil: the default), for the undo button. `off` also turns off the per-deal
    /// cadences the user has, so an unsubscribe stops every digest, as RFC 8058 expects.
    func setCadence(_ cadence: String?, userID: String) async throws -> String? {
        try await session.transaction { connection in
            let previous = try connection.query("""
                SELECT cadence FROM tidings.user_preferences WHERE user_id = \(userID) FOR UPDATE
                """).first.flatMap { try $0.decode("cadence", as: String?.self) }
            try connection.execute("""
                INSERT INTO tidings.user_preferences (user_id, cadence) VALUES (\(userID), \(cadence))
                ON CONFLICT (user_id) DO UPDATE SET cadence = EXCLUDED.cadence, updated_at = now()
                """)
            if cadence == "off" {
                try connection.execute("""
                    UPDATE tidings.deal_preferences SET cadence = 'off', updated_at = now()
                    WHERE user_id = \(userID) AND cadence IS NOT NULL AND cadence <> 'off'
                    """)
            }
            return previous
        }
    }

    /// Whether the database answers, for `/readyz`.
    func ping() async throws {
        _ = try await session.query("SELECT 1")
    }
}
