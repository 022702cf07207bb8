/// Which works the daemon and `run --once` run, in order. One place that wires the stores of
/// the outbox, fan-out and digest pipelines into the generic loops.
public struct Pipelines: Sendable {
    /// Database-only works that follow the change table: fan-out, then digest assembly.
    public var changeWorks: [any BatchWork]
    /// Claim-and-send works, in priority order: outbox emails, then digests.
    public var sendWorks: [any SendWork]
    /// Lease reclaimers run by maintenance (and once at the start of `run --once`).
    public var reclaimers: [any BatchWork]

    public init(changeWorks: [any BatchWork], sendWorks: [any SendWork], reclaimers: [any BatchWork]) {
        self.changeWorks = changeWorks
        self.sendWorks = sendWorks
        self.reclaimers = reclaimers
    }

    /// The production wiring.
    public static func standard(_ context: ServiceContext) -> Pipelines {
        Pipelines(
            changeWorks: [FanoutWork(context: context), DigestAssemblyWork(context: context)],
            sendWorks: [OutboxSender(context: context), DigestSender(context: context)],
            reclaimers: [OutboxReclaimer(context: context), DigestLeaseReclaimer(context: context)]
        )
    }
}
