import Foundation

/// What mutt, a reader's mail client nobody here wrote, lists as a message's parts: the
/// message is put in an mbox of its own, mutt opens it in a tmux pane (its own server socket,
/// stopped afterwards) and shows the attachment menu, and the pane's text is read back.
public enum MuttAttachments {
    /// One line of mutt's attachment menu.
    public struct Entry: Sendable, Equatable, CustomStringConvertible {
        /// The file name mutt shows (or the part's description, `<no description>` for none).
        public var name: String
        /// mutt's `[type/subtype, encoding, size]`, its type abbreviated to the column.
        public var details: String
        public var description: String { "\(name) [\(details)]" }
    }

    /// The attachment menu of `message` (RFC 5322 bytes), in mutt's order.
    public static func list(_ message: [UInt8]) async throws -> [Entry] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-mutt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mbox = folder.appendingPathComponent("message.mbox")
        try Data(mboxEntry(message)).write(to: mbox)
        let socket = "tidings-mutt-\(UUID().uuidString.prefix(8))"
        let command = "env LANG=C.UTF-8 TERM=xterm HOME=\(folder.path) mutt -n -F /dev/null -R -f \(mbox.path) "
            + "-e 'set charset=utf-8 folder=\(folder.path)' -e 'push <display-message><view-attachments>'"
        // The tmux server outlives the command that starts it, so it must hold none of this
        // process's descriptors: not the pipes `runProcess` reads to their end (here or in a
        // test running beside this one), nor a lock. Python's subprocess closes every
        // descriptor but the three it is given.
        let start = "import subprocess, sys; subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, "
            + "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)"
        _ = try await offThePool {
            try runProcess("python3", ["-c", start, "tmux", "-L", socket, "new-session", "-d", "-x", "200", "-y", "60", command])
        }
        defer { _ = try? runProcess("tmux", ["-L", socket, "kill-server"], checked: false) }
        var screen = ""
        let shown = try await poll(timeout: .seconds(20)) {
            screen = try await offThePool {
                try runProcess("tmux", ["-L", socket, "capture-pane", "-p", "-J"], checked: false).stdoutText
            }
            return screen.contains("-- Mutt: Attachments")
        }
        guard shown else { throw MuttFailed(screen: screen) }
        return entries(screen)
    }

    /// The menu's lines: `  A     2 Proposta.pdf      [applica/pdf, base64, 0.1K]`, a nested
    /// part's name after tree characters (`├─>logo.png`).
    static func entries(_ screen: String) -> [Entry] {
        let pattern = /^\s*[A-Z]?\s+\d+\s+(?<name>.*?)\s+\[(?<details>[^\]]*)\]\s*$/
        return screen.split(separator: "\n").compactMap { line in
            guard let match = try? pattern.wholeMatch(in: line) else { return nil }
            let name = match.output.name.drop { "├└─>│ ".contains($0) }
            return Entry(name: String(name), details: String(match.output.details))
        }
    }

    /// `message` as one mbox entry: a `From ` line, LF line ends, body lines starting with
    /// "From " quoted (mboxrd).
    static func mboxEntry(_ message: [UInt8]) -> [UInt8] {
        let text = String(decoding: message, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let quoted = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("From ") || $0.hasPrefix(">From ") ? ">" + $0 : String($0) }
        return Array(("From tidings@test.invalid Thu Jan  1 00:00:00 2026\n" + quoted.joined(separator: "\n") + "\n").utf8)
    }
}

/// mutt did not show its attachment menu; the pane's last screen says why.
public struct MuttFailed: Error, CustomStringConvertible {
    public var screen: String
    public var description: String { "mutt showed no attachment menu; its screen:\n\(screen)" }
}
