import Foundation

/// What a digest link says, before and after signing: the action, the user, the deal where
/// there is one, an optional value (the cadence an undo sets back) and the day it was issued.
///
/// The signed text is `1|<action>|<day>|<user bytes>|<deal bytes>|<user><deal><value>`: the
/// lengths make it unambiguous whatever the CRM's ids hold (a `|`, a line break), so no two
/// tokens sign the same text. The token in a URL is `<payload>.<mac>`, both base64url without
/// padding (RFC 4648 §5), safe in a path and in a `<…>` header value.
public struct LinkToken: Sendable, Hashable {
    public var action: LinkAction
    public var userID: String
    public var dealID: String?
    /// The cadence an undo link sets back (`LinkAction.cadence`); "default" clears the choice.
    public var value: String?
    /// Days since 1970-01-01 (UTC) when the link was made: the age that expires it.
    public var issuedDay: Int

    public init(action: LinkAction, userID: String, dealID: String? = nil, value: String? = nil, issuedDay: Int) {
        self.action = action
        self.userID = userID
        self.dealID = dealID
        self.value = value
        self.issuedDay = issuedDay
    }

    /// The UTC day number of `date`.
    public static func day(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// The bytes the MAC covers, which are also the token's payload.
    var signedText: [UInt8] {
        let user = Array(userID.utf8), deal = Array((dealID ?? "").utf8)
        var text = Array("1|\(action.rawValue)|\(issuedDay)|\(user.count)|\(deal.count)|".utf8)
        text += user
        text += deal
        text += Array((value ?? "").utf8)
        return text
    }

    /// The token a signed text describes; nil when it is not one (the MAC was already checked,
    /// so this only fails for a key that signed something else).
    init?(signedText bytes: [UInt8]) {
        let fields = bytes.split(separator: UInt8(ascii: "|"), maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0].elementsEqual("1".utf8),
              let action = LinkAction(rawValue: String(decoding: fields[1], as: UTF8.self)),
              let day = Int(String(decoding: fields[2], as: UTF8.self)),
              let userLength = Int(String(decoding: fields[3], as: UTF8.self)),
              let dealLength = Int(String(decoding: fields[4], as: UTF8.self)),
              userLength > 0, dealLength >= 0, fields[5].count >= userLength + dealLength
        else { return nil }
        let rest = Array(fields[5])
        guard let user = String(validating: rest[0..<userLength], as: UTF8.self),
              let deal = String(validating: rest[userLength..<(userLength + dealLength)], as: UTF8.self),
              let value = String(validating: rest[(userLength + dealLength)...], as: UTF8.self)
        else { return nil }
        guard action.needsDeal == (dealLength > 0) else { return nil }
        self.init(action: action, userID: user, dealID: deal.isEmpty ? nil : deal, value: value.isEmpty ? nil : value,
                  issuedDay: day)
    }
}
