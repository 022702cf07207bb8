/// How far the digests assembled for a user can hold notifications by one id range instead of
/// a stamp on each (`tidings.digests.covers_after`/`covers_through`), so that assembling a
/// digest writes a constant number of rows however many notifications it holds.
///
/// A range holds every unstamped notification of the user in it, so it may only reach as far
/// as every notification on its way is taken now: put in a digest, or suppressed (suppressed
/// ones are stamped with their cancelled digest, which takes them out of the range). The first
/// one that stays pending (due later, or not pending yet at a replayed `now`) ends it; what is
/// taken beyond is stamped instead.
public struct DigestCoverage<ID: Hashable & Sendable>: Sendable {
    /// The last id the range covers; nil: no range (the first notification stays pending).
    public var through: ID?
    /// The ids inside the range, in order.
    public var covered: [ID]

    /// - Parameters:
    ///   - ids: the user's unstamped notifications above the covered mark that were never given
    ///     back, in id order (the order a range covers them).
    ///   - taken: those this assembly puts in a digest or suppresses.
    public init(ids: [ID], taken: Set<ID>) {
        let end = ids.firstIndex { !taken.contains($0) } ?? ids.endIndex
        covered = Array(ids[..<end])
        through = covered.last
    }
}
