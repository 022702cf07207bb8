/// Where one recipient of a message stands across attempts (`outbox.recipient_results[].status`),
/// as `DeliveryDecision` leaves it.
public enum RecipientStatus: String, Sendable, Codable, CaseIterable {
    /// The server took the message for this recipient: never sent to them again.
    case accepted
    /// Refused temporarily (or its attempt failed temporarily): tried again, alone, later.
    case pending
    /// The server refused this recipient for good, or refused it temporarily until the attempts ran out.
    case refused
    /// The attempt failed as a whole (the message was refused, the connection lost) for good or
    /// until the attempts ran out, without the server refusing this recipient itself.
    case notSent = "not_sent"
}
