import Foundation

/// What Python's `email` package (policy.default), an independent parser, made of a message.
public struct ParsedMessage: Decodable, Sendable {
    public struct Part: Decodable, Sendable {
        public var content_type: String
        public var multipart: Bool?
        public var boundary: String?
        public var charset: String?
        public var transfer_encoding: String?
        public var content: String?
        /// What a client saves the part as (`get_filename()`: RFC 2231 and quoted forms).
        public var filename: String?
        /// `attachment`, `inline` or nil.
        public var disposition: String?
        public var content_id: String?
        /// SHA-256 (hex) and size of the decoded payload bytes.
        public var sha256: String?
        public var size: Int?
    }
    public var headers: [[String]]
    public var addresses: [String: [[String]]]
    public var parts: [Part]
    public var defects: [String]
    public var wire_problems: [String]

    /// Every value of a header, decoded, in order.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
    }
    public func header(_ name: String) -> String? { headerValues(name).first }
    /// (display name, address) pairs of an address header, as the parser understood it.
    public func addressList(_ name: String) -> [(name: String, address: String)] {
        (addresses[name] ?? []).map { ($0[0], $0[1]) }
    }
    public var textPart: Part? { parts.first { $0.content_type == "text/plain" } }
    public var htmlPart: Part? { parts.first { $0.content_type == "text/html" } }
    /// True when the parser found nothing wrong and the wire form is clean.
    public var isClean: Bool { defects.isEmpty && wire_problems.isEmpty }
}

/// Runs `scripts/testenv/mime_check.py` over messages.
public enum MIMECheck {
    public static func parse(_ message: [UInt8]) throws -> ParsedMessage {
        try parse([message])[0]
    }

    public static func parse(_ messages: [[UInt8]]) throws -> [ParsedMessage] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("mime-"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (index, message) in messages.enumerated() {
            let url = folder.appendingPathComponent("\(index).eml")
            try Data(message).write(to: url)
            paths.append(url.path)
        }
        return try parse(files: paths)
    }

    public static func parse(files: [String]) throws -> [ParsedMessage] {
        try run([], files)
    }

    /// Messages stored as files (Maildir): their line ends must be LF, with no CR anywhere.
    public static func parse(maildirFiles files: [String]) throws -> [ParsedMessage] {
        try run(["--lf"], files)
    }

    private static func run(_ options: [String], _ files: [String]) throws -> [ParsedMessage] {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/testenv/mime_check.py").path
        let output = try runProcess("python3", [script] + options + files)
        return try JSONDecoder().decode([ParsedMessage].self, from: output.stdout)
    }
}
