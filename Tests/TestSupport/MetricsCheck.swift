import Foundation

/// What `prometheus_client`'s parser (an independent reader) made of a Prometheus text
/// exposition: its families and their samples.
public struct ParsedMetrics: Decodable, Sendable {
    public struct Family: Decodable, Sendable {
        public var name: String
        public var type: String
        public var help: String
        public var samples: [Sample]
    }

    public struct Sample: Decodable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double?
    }

    public var families: [Family]

    /// The value of the sample `name` whose labels are exactly `labels`; nil when there is none.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.lazy.flatMap(\.samples).first { $0.name == name && $0.labels == labels }?.value
    }

    /// The type the exposition declares for the family `name` (a counter's family is named
    /// without `_total`, a histogram's without `_bucket`, `_sum`, `_count`).
    public func type(of name: String) -> String? {
        families.first { $0.name == name }?.type
    }

    /// Every sample name, for messages.
    public var sampleNames: [String] { families.flatMap { $0.samples.map(\.name) } }
}

/// Runs `scripts/testenv/metrics_check.py` (prometheus_client, installed by
/// scripts/testenv/install-deps.sh) over an exposition; throws with the parser's complaint when
/// the text is not valid.
public enum MetricsCheck {
    public static func parse(_ text: String) throws -> ParsedMetrics {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("metrics-") + ".prom")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try parse(file: file.path)
    }

    public static func parse(file: String) throws -> ParsedMetrics {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/testenv/metrics_check.py").path
        let output = try runProcess("python3", [script, file])
        return try JSONDecoder().decode(ParsedMetrics.self, from: output.stdout)
    }
}
