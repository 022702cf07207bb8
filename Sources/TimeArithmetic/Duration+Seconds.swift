extension Duration {
    /// The duration as a number of seconds, fractions included: what SQL intervals, `Date`
    /// arithmetic and backoff formulas take.
    @inlinable
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
