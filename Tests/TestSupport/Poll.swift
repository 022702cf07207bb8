/// Checks `condition` every `interval` until it holds or `timeout` passes; returns whether it
/// held (checked once more at the deadline).
public func poll(timeout: Duration, every interval: Duration = .milliseconds(200),
                 _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
