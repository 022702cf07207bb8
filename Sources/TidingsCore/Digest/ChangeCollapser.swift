import Foundation

/// Folds repeated edits of one field of one deal into their net change.
///
/// - `stage` edits collapse together, and `field` edits per field name: stage A→B then B→C is
///   shown once as A→C; A→B then B→A cancels out and shows nothing. The net change runs from
///   the first edit's `from` to the last edit's `to`, so an edit by someone the recipient is not
///   told about (their own) still bridges the chain.
/// - The collapsed line sits at the last edit's time and names everyone who edited, each once,
///   in the order of their first edit ("Ana and Rui moved the stage from A to C").
/// - Every other kind, and edits whose payload cannot be read, pass through one line per change.
public enum ChangeCollapser {
    public struct Collapsed: Sendable {
        /// The lines to show, oldest first (ties by change id).
        public var entries: [CollapsedChange]
        /// Changes that cancelled out (A→B→A): covered by the digest but not shown.
        public var cancelledChangeIDs: [Int64]
    }

    public static func collapse(_ changes: [ChangeRecord]) -> Collapsed {
        let ordered = changes.sorted { ($0.occurredAt, $0.id) < ($1.occurredAt, $1.id) }
        var entries: [CollapsedChange] = []
        var chains: [ChainKey: CollapsedChange] = [:]
        var chainOrder: [ChainKey] = []

        for change in ordered {
            let details = ChangeDetails(kind: change.kind, payload: change.payload)
            guard let key = ChainKey(dealID: change.dealID, details: details) else {
                entries.append(CollapsedChange(change, details: details))
                continue
            }
            guard var chain = chains[key] else {
                chains[key] = CollapsedChange(change, details: details)
                chainOrder.append(key)
                continue
            }
            chain.details = merged(chain.details, details)
            let actor = ChangeActor(id: change.actorID, name: change.actorName)
            if !chain.actors.contains(where: { $0.sameUser(as: actor) }) { chain.actors.append(actor) }
            chain.occurredAt = change.occurredAt
            chain.summary = change.summary
            chain.changeIDs.append(change.id)
            chains[key] = chain
        }

        var cancelled: [Int64] = []
        for key in chainOrder {
            let chain = chains[key]!
            if chain.details.isNoOp {
                cancelled.append(contentsOf: chain.changeIDs)
            } else {
                entries.append(chain)
            }
        }
        entries.sort { ($0.occurredAt, $0.changeIDs.last!) < ($1.occurredAt, $1.changeIDs.last!) }
        return Collapsed(entries: entries, cancelledChangeIDs: cancelled.sorted())
    }

    /// The net change of an earlier and a later edit of the same chain.
    private static func merged(_ earlier: ChangeDetails, _ later: ChangeDetails) -> ChangeDetails {
        switch (earlier, later) {
        case (.stage(let from, _), .stage(_, let to)):
            return .stage(from: from, to: to)
        case (.field(let key, _, let from, _, let oldCurrency, let fromName, _), .field(_, let label, _, let to, let currency, _, let toName)):
            return .field(key: key, label: label, from: from, to: to, currency: currency ?? oldCurrency,
                          fromName: fromName, toName: toName)
        default:
            return later
        }
    }

    /// Which edits collapse together: the stage of a deal, or one field of a deal.
    private struct ChainKey: Hashable {
        var dealID: String
        var field: String?

        init?(dealID: String, details: ChangeDetails) {
            switch details {
            case .stage: self.dealID = dealID; self.field = nil
            case .field(let key, _, _, _, _, _, _): self.dealID = dealID; self.field = key
            default: return nil
            }
        }
    }
}

extension ChangeDetails {
    /// True for an edit that ends where it started.
    var isNoOp: Bool {
        switch self {
        case .stage(let from, let to): return from == to
        case .field(_, _, let from, let to, _, _, _): return from == to
        default: return false
        }
    }
}

extension ChangeActor {
    /// The same user: by id when there is one, else by name (the system has neither).
    func sameUser(as other: ChangeActor) -> Bool {
        if id != nil || other.id != nil { return id == other.id }
        return name == other.name
    }
}
