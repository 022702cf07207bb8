import Foundation

/// Reads the template directory: `<directory>/<locale>/<name>.mustache`.
enum TemplateFiles {
    static let fileExtension = ".mustache"

    static func relativePath(locale: LocaleTag, name: String) -> String {
        locale.identifier + "/" + name + fileExtension
    }

    static func read(directory: String) throws(TemplateError) -> (sources: [LocaleTag: [String: String]], ignored: [String]) {
        let fileManager = FileManager.default
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let entries: [String]
        do {
            entries = try fileManager.contentsOfDirectory(atPath: root.path).sorted()
        } catch {
            throw TemplateError(kind: .directoryUnreadable, file: directory, detail: describe(error))
        }
        var sources: [LocaleTag: [String: String]] = [:]
        var ignored: [String] = []
        for entry in entries where !entry.hasPrefix(".") {
            guard let locale = LocaleTag(rawValue: entry), isDirectory(root.appendingPathComponent(entry).path) else {
                ignored.append(entry)
                continue
            }
            let folder = root.appendingPathComponent(entry, isDirectory: true)
            let files: [String]
            do {
                files = try fileManager.contentsOfDirectory(atPath: folder.path).sorted()
            } catch {
                throw TemplateError(kind: .directoryUnreadable, file: entry, detail: describe(error))
            }
            for file in files where !file.hasPrefix(".") {
                guard file.hasSuffix(fileExtension), !isDirectory(folder.appendingPathComponent(file).path) else {
                    ignored.append(entry + "/" + file)
                    continue
                }
                let relative = entry + "/" + file
                guard let data = fileManager.contents(atPath: folder.appendingPathComponent(file).path) else {
                    throw TemplateError(kind: .fileUnreadable, file: relative, detail: "cannot read the file")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw TemplateError(kind: .fileUnreadable, file: relative, detail: "not valid UTF-8")
                }
                sources[locale, default: [:]][String(file.dropLast(fileExtension.count))] = text
            }
        }
        return (sources, ignored)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}
