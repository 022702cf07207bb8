import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Every `digests.*` key reaches the part that acts on it: the scheduler's defaults (assembly),
/// the planner's options (the sender's composer) and the fan-out.
@Suite struct DigestSettingsTests {
    @Test func everyDigestKeyReachesItsWork() throws {
        let configuration = try ServiceTesting.configuration(databaseURL: "postgresql://nobody@127.0.0.1:1/none", overrides: [
            "digests.default_cadence": "weekly",
            "digests.default_delivery_time": "17:45",
            "digests.default_weekday": "5",
            "digests.immediate_window_seconds": "90",
            "digests.notify_owner": "false",
            "digests.comment_max_length": "120",
            "digests.max_items": "12",
            "daemon.batch_size": "77",
            "daemon.assembly_connections": "3",
        ])
        let context = try ServiceTesting.context(configuration)

        let assembly = DigestAssemblyWork(context: context)
        #expect(assembly.defaults == ScheduleDefaults(cadence: .weekly, timeOfDay: LocalTime(hour: 17, minute: 45)!,
                                                      weekday: 5, immediateWindow: .seconds(90)))
        #expect(assembly.batchSize == 77 && assembly.connections == 3)

        let options = DigestSender(context: context).composer.planner.options
        #expect(options.commentMaxLength == 120)
        #expect(options.maxItems == 12)

        let fanout = FanoutWork(context: context)
        #expect(fanout.notifyOwner == false)
        #expect(fanout.defaultCadence == "weekly")
        #expect(fanout.batchSize == 77)
    }
}
