/// A template problem, found when templates load (at start, or by `tidings check`) or, for a
/// name no template has, when rendering.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case directoryUnreadable = "template directory cannot be read"
        case fileUnreadable = "template file cannot be read"
        case syntax = "template syntax error"
        case missingTemplate = "required template missing"
        case missingPartial = "partial not found"
        case partialCycle = "partial cycle"
        case partialsTooDeep = "partials nested too deep"
        case setDelimiter = "set-delimiter tag not allowed"
        case contentType = "wrong content type"
        case unescapedVariable = "unescaped variable not allowed"
        case unknownTemplate = "no such template"
    }

    public var kind: Kind
    /// The file (relative to the template directory, e.g. "en/digest.html.mustache") or, for
    /// `unknownTemplate`, the template name.
    public var file: String
    public var detail: String

    public init(kind: Kind, file: String, detail: String) {
        self.kind = kind
        self.file = file
        self.detail = detail
    }

    public var description: String { "\(file): \(kind.rawValue): \(detail)" }
}
