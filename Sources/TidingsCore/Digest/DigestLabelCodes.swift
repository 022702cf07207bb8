/// Which of the CRM's codes a digest may show by label: the stages, fields and option values in
/// its changes, and the deals' current stages. The store loads the labels of these alone, so
/// what it holds follows the digests' size, not the size of the CRM's label table.
public enum DigestLabelCodes {
    public static func needed(changes: some Sequence<ChangeRecord>, stages: some Sequence<String>) -> Set<LabelKey> {
        var keys: Set<LabelKey> = []
        for stage in stages { insertStage(stage, into: &keys) }
        for change in changes {
            switch ChangeDetails(kind: change.kind, payload: change.payload) {
            case .stage(let from, let to):
                if let from { insertStage(from, into: &keys) }
                insertStage(to, into: &keys)
            case .field(let field, _, let from, let to, _, let fromName, let toName):
                keys.insert(LabelKey(.field, field))
                // Values shown by the CRM's names of people need no option label.
                if fromName == nil { insertOptions(from, field: field, into: &keys) }
                if toName == nil { insertOptions(to, field: field, into: &keys) }
            default:
                break
            }
        }
        return keys
    }

    private static func insertStage(_ stage: String, into keys: inout Set<LabelKey>) {
        let code = TextShaping.singleLine(stage)
        if !code.isEmpty { keys.insert(LabelKey(.stage, code)) }
    }

    /// A text value, or each text of a list, as the qualified and the bare option code.
    private static func insertOptions(_ value: JSONValue?, field: String, into keys: inout Set<LabelKey>) {
        switch value {
        case .string(let text)?:
            keys.insert(.option(field: field, value: text))
            keys.insert(LabelKey(.option, text))
        case .array(let elements)?:
            for element in elements { insertOptions(element, field: field, into: &keys) }
        default:
            break
        }
    }
}
