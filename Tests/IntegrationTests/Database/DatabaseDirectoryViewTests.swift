import PostgresClient
import TestSupport
import Testing
import TidingsServices

@Suite("Directory view check")
struct DatabaseDirectoryViewTests {
    @Test func reportsAllFiveMissingOnAFreshSchema() async throws {
        let database = try await DatabaseTesting.migratedDatabase("views")
        let report = try await DatabaseTesting.onConnection(database.url) { try DirectoryViewCheck.run(on: $0) }
        #expect(report.missingViews.sorted() == DirectoryViewCheck.requiredViews.map(\.name).sorted())
        #expect(!report.isComplete)
        #expect(report.description.contains("tidings.directory_deals is missing"))
        #expect(report.labels == .absent)
    }

    @Test func reportsAMissingColumnAndANonTextID() async throws {
        let database = try await DatabaseTesting.migratedDatabase("views")
        try await database.runPSQL("""
            CREATE VIEW tidings.directory_users AS
                SELECT 'u-1'::text AS id, 'a@example.com'::text AS email, 'A'::text AS display_name,
                       'en'::text AS locale, 'UTC'::text AS time_zone;
            CREATE VIEW tidings.directory_contacts AS
                SELECT 1::bigint AS id, 'c@example.com'::text AS email, 'C'::text AS display_name, 'Org'::text AS organization;
            CREATE VIEW tidings.directory_deals AS
                SELECT 'D-1'::text AS id, 'lead'::text AS kind, 'T'::text AS title, 'new'::text AS stage,
                       'u-1'::text AS owner_id, 'c-1'::varchar AS primary_contact_id;
            CREATE TABLE tidings.directory_participants (deal_id text, contact_id text);
            CREATE MATERIALIZED VIEW tidings.directory_collaborators AS SELECT 'D-1'::text AS deal_id, 'u-1'::text AS user_id;
            """)
        let report = try await DatabaseTesting.onConnection(database.url) { try DirectoryViewCheck.run(on: $0) }
        #expect(report.problems == [
            .idNotText(view: "directory_contacts", column: "id", type: "bigint"),
            .missingColumn(view: "directory_deals", column: "url"),
        ])
        #expect(report.description.contains("tidings.directory_deals lacks the column url"))
        #expect(report.description.contains("tidings.directory_contacts.id is bigint, not text"))
    }

    @Test func referenceCRMDefinesAllFiveAndItsLabels() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let report = try await DatabaseTesting.onConnection(database.url) { try DirectoryViewCheck.run(on: $0) }
        #expect(report.isComplete, "\(report)")
        #expect(report.labels == .present(labelCount: 57), "19 codes in en, pt-PT and pt-BR")
        #expect(report.description.contains("tidings.directory_labels has 57 labels"))
    }

    /// The optional sixth view: absent is fine, present it must be readable as text.
    @Test func aLabelsViewWithoutItsColumnsIsAProblem() async throws {
        let database = try await DatabaseTesting.migratedDatabase("views")
        try await database.runPSQL("""
            CREATE VIEW tidings.directory_labels AS
                SELECT 'stage'::text AS kind, 1 AS code, 'en'::text AS locale, 'New'::text AS name;
            """)
        let report = try await DatabaseTesting.onConnection(database.url) { try DirectoryViewCheck.run(on: $0) }
        #expect(report.labels == .unusable([
            .missingColumn(view: "directory_labels", column: "label"),
            .idNotText(view: "directory_labels", column: "code", type: "integer"),
        ]) || report.labels == .unusable([
            .idNotText(view: "directory_labels", column: "code", type: "integer"),
            .missingColumn(view: "directory_labels", column: "label"),
        ]), "\(report.labels)")
        #expect(report.description.contains("tidings.directory_labels lacks the column label"))
    }

    /// A labels view that fails when read is its own problem: the check still runs to the end.
    @Test func aLabelsViewThatFailsWhenReadIsAProblemAlone() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        try await database.runPSQL("""
            CREATE OR REPLACE VIEW tidings.directory_labels AS
                SELECT kind, code, locale, label FROM crm.labels WHERE 1 / (length(label) - length(label)) = 0;
            """)
        let report = try await DatabaseTesting.onConnection(database.url) { try DirectoryViewCheck.run(on: $0) }
        #expect(report.problems == [.unreadable(view: "directory_labels", reason: "division by zero")], "\(report)")
        #expect(report.description.contains("tidings.directory_labels cannot be read: division by zero"))
    }
}
