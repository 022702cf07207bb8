/// The value of a secret file (a password, a database URL): one line of text.
///
/// Editors and `echo` end the line; Windows editors and some secret stores end it with CRLF,
/// and an old Mac editor with a lone CR. Exactly one trailing line ending of any of these kinds
/// is not part of the secret. Anything else that ends a line — a second line, a CR left in the
/// middle, a NUL — means the file does not hold one secret, and it is refused rather than
/// guessed at: a stray CR would otherwise reach libpq (`database "x\r" does not exist`) or the
/// SMTP AUTH exchange ("rejected the username or password"), where the cause is invisible.
///
/// Works on Unicode scalars, not `Character`s: in Swift "\r\n" is one `Character`, equal to
/// neither "\r" nor "\n", which is how a CRLF used to slip through.
public enum SecretFileText {
    public enum Problem: Error, Equatable, Sendable {
        /// The file holds nothing but (at most) a line ending.
        case empty
        /// More than one line, or a NUL.
        case multipleLines

        /// A sentence about the file, never its content.
        public var explanation: String {
            switch self {
            case .empty: "the file is empty"
            case .multipleLines: "the file must hold the secret on a single line (it has more than one line, or a NUL)"
            }
        }
    }

    /// The secret in `text`: one trailing `\n`, `\r\n` or `\r` removed, nothing else changed.
    public static func singleLine(_ text: String) throws(Problem) -> String {
        var scalars = Substring(text).unicodeScalars
        if scalars.last == "\n" { scalars.removeLast() }
        if scalars.last == "\r" { scalars.removeLast() }
        guard !scalars.isEmpty else { throw .empty }
        guard !scalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else { throw .multipleLines }
        return String(scalars)
    }
}
