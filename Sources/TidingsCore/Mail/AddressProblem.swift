/// What is wrong with one piece of an address, before we know which input to name.
/// Internal: the public entry points turn it into an `AddressError` carrying the whole input.
struct AddressProblem: Error {
    let kind: AddressError.Kind
    let reason: String

    init(_ kind: AddressError.Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    func named(_ address: String) -> AddressError {
        AddressError(kind, address: address, reason: reason)
    }
}
