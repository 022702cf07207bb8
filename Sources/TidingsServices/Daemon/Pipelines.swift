/// Which works the daemon and `run --once` run, in order. One place that wires the stores of
/// the outbox, fan-out and digest pipelines into the generic loops.
public struct Pipelines: Sendable {
    /// Database-only works that follow the change table: fan-out, then digest assembly.
    public var changeWorks: [any BatchWork]
    /// Claim-and-send works, in priority order: outbox emails, then digests.
    public var sendWorks: [any SendWork]
    /// Lease reclaimers run by maintenance (and once at the start of `run --once`).
    public var reclaimers: [any BatchWork]
    /// The change works whose progress means mail to send (digest assembly): the daemon wakes a
    /// sender after them. Fan-out only writes notifications, which wait for assembly. nil: any.
    public var mailProducingWorks: Set<String>?
    /// The inbound loop, when `inbound.url` is set: its own loop in the daemon (IMAP waits must
    /// not hold up fan-out), drained first by `run --once`.
    public var inbound: InboundWork?

    public init(changeWorks: [any BatchWork], sendWorks: [any SendWork], reclaimers: [any BatchWork],
                mailProducingWorks: Set<String>? = nil, inbound: InboundWork? = nil) {
        self.changeWorks = changeWorks
        self.sendWorks = sendWorks
        self.reclaimers = reclaimers
        self.mailProducingWorks = mailProducingWorks
        self.inbound = inbound
    }

    /// The production wiring.
    public static func standard(_ context: ServiceContext) throws -> Pipelines {
        let assembly = DigestAssemblyWork(context: context)
        return Pipelines(
            changeWorks: [FanoutWork(context: context), assembly],
            sendWorks: [OutboxSender(context: context), DigestSender(context: context)],
            reclaimers: [LeaseReclaimer(.outbox, context: context), LeaseReclaimer(.digests, context: context)],
            mailProducingWorks: [assembly.name],
            inbound: try context.configuration.inbound.map { try InboundWork(context: context, inbound: $0) }
        )
    }

    /// Whether progress of the change work `name` may have produced mail to send.
    func producesMail(_ name: String) -> Bool {
        mailProducingWorks?.contains(name) ?? true
    }
}
