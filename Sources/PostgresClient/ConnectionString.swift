import CLibPQ
import Foundation

/// Helpers for libpq connection strings (`host=... password=...` or `postgresql://user:pw@host/db`).
///
/// The daemon logs where it connects; these make sure a password never reaches a log line.
public enum ConnectionString {
    /// The connection string with its password replaced by `***`, in either syntax: the
    /// `user:PASSWORD@` part and a `password=` query parameter of a URI, or the `password = ...`
    /// pair (quoted or not) of a key/value string. Everything else is kept, so the host, port,
    /// database and user still show.
    public static func redacted(_ connectionString: String) -> String {
        if isURI(connectionString) {
            return redactURI(connectionString)
        }
        return redactKeyValue(connectionString)
    }

    static func isURI(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The password libpq would use from this string, if it names one, or the parse failure.
    static func parsePassword(_ connectionString: String) -> Result<String?, PostgresError> {
        // A plain word is a database name to libpq, not a connection string.
        guard isURI(connectionString) || connectionString.contains("=") else { return .success(nil) }
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            var text = "the connection string could not be parsed"
            if let errorMessage {
                text += ": " + scrubParseError(trimmedLibpqMessage(String(cString: errorMessage)))
                PQfreemem(errorMessage)
            }
            return .failure(PostgresError(code: .invalidConnectionString, message: text))
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                return .success(String(cString: value))
            }
            option += 1
        }
        return .success(nil)
    }

    /// Replaces each secret, and anything shaped like a password in a connection string, in a
    /// message libpq or the server wrote.
    static func scrub(_ message: String, secrets: [String]) -> String {
        var text = message
        for secret in secrets where !secret.isEmpty {
            text = text.replacingAll(secret, with: "***")
        }
        return redactEmbeddedCredentials(text)
    }

    /// libpq's own parse errors quote the offending token, which can be part of a password
    /// (`missing "=" after "hunter2"`). Keep only the ones that quote an option name.
    static func scrubParseError(_ message: String) -> String {
        if message.hasPrefix("invalid connection option") || message.hasPrefix("invalid URI query parameter") {
            return message
        }
        var result = ""
        var inQuote = false
        for character in message {
            if character == "\"" {
                result.append(character)
                if !inQuote { result += "…" }
                inQuote.toggle()
            } else if !inQuote {
                result.append(character)
            }
        }
        return result
    }
}

extension ConnectionString {
    private static func redactURI(_ uri: String) -> String {
        let characters = Array(uri)
        guard let schemeEnd = uri.range(of: "://") else { return uri }
        let authorityStart = uri.distance(from: uri.startIndex, to: schemeEnd.upperBound)
        var authorityEnd = authorityStart
        while authorityEnd < characters.count, characters[authorityEnd] != "/", characters[authorityEnd] != "?" {
            authorityEnd += 1
        }
        var result = String(characters[..<authorityStart])
        let authority = characters[authorityStart..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            let userInfo = characters[authorityStart..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += String(characters[authorityStart...colon]) + "***"
            } else {
                result += String(userInfo)
            }
            result += String(characters[at..<authorityEnd])
        } else {
            result += String(authority)
        }
        let rest = String(characters[authorityEnd...])
        guard let question = rest.firstIndex(of: "?") else { return result + rest }
        result += rest[...question]
        let parameters = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false)
        result += parameters.map { parameter -> String in
            let key = parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return key.lowercased() == "password" ? "password=***" : String(parameter)
        }.joined(separator: "&")
        return result
    }

    /// Key/value syntax: `key = value` pairs separated by whitespace; a value is either
    /// single-quoted (with `\'` and `\\` escapes) or runs to the next whitespace.
    private static func redactKeyValue(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        var index = 0
        func copyWhitespace() {
            while index < characters.count, characters[index].isWhitespace {
                result.append(characters[index])
                index += 1
            }
        }
        while index < characters.count {
            copyWhitespace()
            let keyStart = index
            while index < characters.count, characters[index] != "=", !characters[index].isWhitespace {
                index += 1
            }
            let key = String(characters[keyStart..<index])
            result += key
            copyWhitespace()
            guard index < characters.count, characters[index] == "=" else { continue }
            result.append("=")
            index += 1
            copyWhitespace()
            let valueStart = index
            if index < characters.count, characters[index] == "'" {
                index += 1
                while index < characters.count {
                    if characters[index] == "\\" { index += 2; continue }
                    index += 1
                    if characters[index - 1] == "'" { break }
                }
            } else {
                while index < characters.count, !characters[index].isWhitespace {
                    index += characters[index] == "\\" ? 2 : 1
                }
            }
            index = min(index, characters.count)
            result += key.lowercased() == "password" ? "***" : String(characters[valueStart..<index])
        }
        return result
    }

    /// Scrubs `password=...` runs and `scheme://user:PASSWORD@` in free text.
    static func redactEmbeddedCredentials(_ text: String) -> String {
        var characters = Array(text)
        let marker = Array("password=")
        var index = 0
        while index + marker.count <= characters.count {
            let window = characters[index..<(index + marker.count)]
            guard window.map({ Character($0.lowercased()) }) == marker else { index += 1; continue }
            var end = index + marker.count
            while end < characters.count, !characters[end].isWhitespace, characters[end] != "&" { end += 1 }
            characters.replaceSubrange((index + marker.count)..<end, with: Array("***"))
            index += marker.count + 3
        }
        let separator = Array("://")
        index = 0
        while index + separator.count <= characters.count {
            guard Array(characters[index..<(index + separator.count)]) == separator else { index += 1; continue }
            let authorityStart = index + separator.count
            var authorityEnd = authorityStart
            while authorityEnd < characters.count, !"/? \t\r\n".contains(characters[authorityEnd]) { authorityEnd += 1 }
            if let at = characters[authorityStart..<authorityEnd].lastIndex(of: "@"),
               let colon = characters[authorityStart..<at].firstIndex(of: ":") {
                characters.replaceSubrange((colon + 1)..<at, with: Array("***"))
            }
            index = authorityStart
        }
        return String(characters)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

/// libpq messages end in a newline and sometimes span lines; logs want one line.
func trimmedLibpqMessage(_ message: String) -> String {
    message.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: " \t") }
        .filter { !$0.isEmpty }
        .joined(separator: " ")
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
