import TidingsCore

extension TidingsConfiguration {
    /// The `http.*` keys, validated; nil when `http.listen` is unset (no listener, no signed
    /// links, and the other keys are not read). The links need both `http.public_url` and
    /// `http.link_key_file`; with neither, the listener serves health, readiness and metrics
    /// alone. Errors name the key; a key file's content never appears.
    static func http(_ read: ConfigurationReader, readFile: (String) throws -> String) throws -> HTTP? {
        guard let listenText = try read.optionalString("http.listen") else { return nil }
        let listen: HTTPListenAddress
        do {
            listen = try HTTPListenAddress(parsing: listenText)
        } catch {
            throw ConfigurationError(key: error.key, source: read.values["http.listen"]?.source, problem: error.problem)
        }
        let publicURL = try read.optionalString("http.public_url")
        let keyFile = try read.optionalPath("http.link_key_file")
        guard publicURL != nil || keyFile != nil else { return HTTP(listen: listen, links: nil) }
        guard let publicURL else {
            throw ConfigurationError(key: "http.public_url",
                                     problem: "is required with http.link_key_file: the address people's mail clients reach the listener at (e.g. https://tidings.example.com)")
        }
        try checkPublicURL(publicURL, source: read.values["http.public_url"]?.source)
        guard let keyFile else {
            throw ConfigurationError(key: "http.link_key_file",
                                     problem: "is required with http.public_url (set it or TIDINGS_HTTP_LINK_KEY_FILE): the links are signed with its key")
        }
        let key = try linkKey(file: keyFile, key: "http.link_key_file", readFile: readFile)
        let previousFile = try read.optionalPath("http.previous_link_key_file")
        let previousKey = try previousFile.map { try linkKey(file: $0, key: "http.previous_link_key_file", readFile: readFile) }
        return HTTP(listen: listen, links: HTTP.Links(
            publicURL: publicURL, linkKeyFile: keyFile, linkKey: key, previousLinkKeyFile: previousFile,
            previousLinkKey: previousKey, linkMaxAgeDays: try read.integer("http.link_max_age_days")))
    }

    /// An `https` or `http` URL without a query or fragment (tokens are appended as a path),
    /// printable ASCII, as it goes into every digest and its `List-Unsubscribe` header.
    private static func checkPublicURL(_ url: String, source: String?) throws {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), LinkPolicy.href(for: url) == url else {
            throw ConfigurationError(key: "http.public_url", source: source, problem: "must be an https (or http) URL")
        }
        guard url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>\"?#".unicodeScalars.contains($0) }) else {
            throw ConfigurationError(key: "http.public_url", source: source,
                                     problem: "must be printable ASCII without spaces, quotes, angle brackets, a query or a fragment")
        }
        let host = url.drop(while: { $0 != "/" }).dropFirst(2).prefix(while: { $0 != "/" })
        guard !host.isEmpty else {
            throw ConfigurationError(key: "http.public_url", source: source, problem: "names no host")
        }
    }

    /// A link key from its file: one line of at least `HMACKey.minimumLength` characters.
    private static func linkKey(file: String, key: String, readFile: (String) throws -> String) throws -> HMACKey {
        guard let secret = try secret(fromFile: file, key: key, readFile: readFile) else {
            throw ConfigurationError(key: key, source: file, problem: SecretFileText.Problem.empty.explanation)
        }
        guard let linkKey = HMACKey(secret: secret) else {
            throw ConfigurationError(key: key, source: file,
                                     problem: "the key is \(secret.utf8.count) characters; it must have at least \(HMACKey.minimumLength) (e.g. `openssl rand -hex 32`)")
        }
        return linkKey
    }
}

extension TidingsConfiguration.HTTP.Links {
    /// The signed links of this configuration, for digests and the listener's undo buttons.
    public var linkIssuer: LinkIssuer {
        LinkIssuer(publicURL: publicURL,
                   signer: LinkSigner(key: linkKey, previousKey: previousLinkKey, maxAgeDays: linkMaxAgeDays))
    }
}
