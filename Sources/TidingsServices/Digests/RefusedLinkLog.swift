import Logging
import Synchronization
import TidingsCore

/// Warns once per deal (per process) that its URL was shown as text: the planner refuses every
/// link that is not https, http or mailto (`LinkPolicy`), and a deal appears in many digests,
/// so one line per deal tells the operator without flooding the log. The line names the deal
/// and the URL's scheme only, never the rest of the URL.
final class RefusedLinkLog: Sendable {
    static let shared = RefusedLinkLog()

    /// Bounds the memory of deals already warned about; past it, the set starts over.
    private static let capacity = 10_000
    private let warned = Mutex<Set<String>>([])

    func warn(_ links: [DigestPlan.RefusedLink], logger: Logger) {
        for link in links {
            let isNew = warned.withLock { warned in
                if warned.count >= Self.capacity { warned.removeAll() }
                return warned.insert(link.dealID).inserted
            }
            guard isNew else { continue }
            logger.warning("deal URL shown as text, not as a link: only https, http and mailto links are rendered",
                           metadata: ["deal": "\(link.dealID)", "url_scheme": "\(link.prefix)"])
        }
    }
}
