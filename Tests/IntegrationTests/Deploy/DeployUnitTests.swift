import Foundation
import Testing
import TestSupport

/// deploy/tidings.service as systemd reads it.
@Suite struct DeployUnitTests {
    /// The unit with its paths pointed at the built binary, as install.sh installs it.
    private func installedUnit() throws -> URL {
        let unit = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("deploy/tidings.service"), encoding: .utf8)
        let binary = try TestEnvironment.binary().path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("unit-"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("tidings.service")
        try unit.replacingOccurrences(of: "/usr/local/bin/tidings", with: binary).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// `systemd-analyze verify` exits 0 even on unknown keys, so any stderr output is a failure.
    @Test func verifiesWithoutAWord() async throws {
        let unit = try installedUnit()
        let output = try await offThePool { try runProcess("systemd-analyze", ["verify", unit.path], checked: false) }
        #expect(output.status == 0)
        #expect(output.stderrText.isEmpty, "\(output.stderrText)")
    }

    @Test func exposureScoreIsAtMostTwo() async throws {
        let unit = try installedUnit()
        let output = try await offThePool {
            try runProcess("systemd-analyze", ["security", "--offline=yes", "--no-pager", unit.path], checked: false)
        }
        let text = output.stdoutText + output.stderrText
        let line = text.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        let score = line.split(separator: ":").last.flatMap { Double($0.split(separator: " ").first ?? "") }
        #expect(score != nil, "\(text.suffix(500))")
        #expect((score ?? 10) <= 2.0, "\(line)")
    }

    @Test func typeNotifyWithWatchdogAndCredentials() throws {
        let unit = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("deploy/tidings.service"), encoding: .utf8)
        for line in ["Type=notify", "WatchdogSec=", "Restart=on-failure", "LoadCredential=database-url:", "LoadCredential=smtp-password:",
                     "LoadCredential=inbound-password:", "LoadCredential=tag-key:", "TIDINGS_MAIL_TAG_KEY_FILE=%d/tag-key",
                     "LoadCredential=link-key:", "TIDINGS_HTTP_LINK_KEY_FILE=%d/link-key",
                     "TIDINGS_INBOUND_PASSWORD_FILE=%d/inbound-password",
                     "ExecStartPre=/usr/local/bin/tidings migrate --wait", "DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes"] {
            #expect(unit.contains(line), "missing \(line)")
        }
        // Secrets never on a command line.
        for exec in unit.split(separator: "\n") where exec.hasPrefix("Exec") {
            #expect(!exec.lowercased().contains("password") && !exec.contains("postgresql://"))
        }
    }
}
