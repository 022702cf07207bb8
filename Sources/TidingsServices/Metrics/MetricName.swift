/// Every metric Tidings exposes, by its Prometheus name (README "Metrics" describes each). Kept
/// in one place so the names, the histogram buckets (`MetricsExposition`) and the docs agree.
/// Labels are bounded sets (`kind`, `state`, `refusal`): never a user, an address or an id.
enum MetricName {
    static let messagesSent = "tidings_messages_sent_total"
    static let messagesFailed = "tidings_messages_failed_total"
    static let messagesRetried = "tidings_messages_retried_total"
    static let messagesHeld = "tidings_messages_held_total"
    static let recipientsRefused = "tidings_recipients_refused_total"
    static let sendDuration = "tidings_send_duration_seconds"
    static let assemblyDuration = "tidings_digest_assembly_duration_seconds"
    static let digestsAssembled = "tidings_digests_assembled_total"
    static let inboundMessages = "tidings_inbound_messages_total"
    static let inboundSkipped = "tidings_inbound_skipped_total"
    static let queueDepth = "tidings_queue_depth"
    static let notificationsPending = "tidings_notifications_pending"
    static let changesPendingFanout = "tidings_changes_pending_fanout"
    static let fanoutLag = "tidings_fanout_lag_seconds"
}
