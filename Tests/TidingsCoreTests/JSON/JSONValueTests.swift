import Testing
@testable import TidingsCore

@Suite struct JSONValueTests {
    @Test func parsesDocuments() throws {
        let value = try JSONValue(parsing: #"{"field":"amount","from":1000,"to":1234.5,"ok":true,"none":null,"list":["a",{"b":[]}]}"#)
        #expect(value["field"] == .string("amount"))
        #expect(value["from"]?.intValue == 1000)
        #expect(value["to"]?.numberValue == 1234.5)
        #expect(value["ok"] == .bool(true))
        #expect(value["none"]?.isNull == true)
        #expect(value["list"]?.arrayValue?.count == 2)
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["key"] == nil)
    }

    @Test func keepsBooleansApartFromNumbers() throws {
        #expect(try JSONValue(parsing: "[true, 1, 0, false]") == .array([.bool(true), .number(1), .number(0), .bool(false)]))
    }

    @Test func decodesEscapes() throws {
        #expect(try JSONValue(parsing: #""Jo\u00e3o \"JS\" \\ \n \ud83d\ude00 /\/""#) == .string("João \"JS\" \\ \n 😀 //"))
        #expect(try JSONValue(parsing: #""Ação 😀""#) == .string("Ação 😀"))
    }

    @Test(arguments: [
        ("", JSONParseError.Kind.unexpectedEnd), ("{", .unexpectedEnd), ("{\"a\" 1}", .unexpectedByte),
        ("[1,]", .unexpectedByte), ("01", .trailingData), ("1.", .invalidNumber), ("-", .invalidNumber),
        ("\"\\x\"", .invalidEscape), ("\"\\ud800\"", .invalidEscape), ("\"a\nb\"", .controlCharacterInString),
        ("tru", .unexpectedEnd), ("nul1", .unexpectedByte), ("{} {}", .trailingData),
    ])
    func rejectsInvalidJSON(text: String, kind: JSONParseError.Kind) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        do { _ = try JSONValue(parsing: text) } catch { #expect(error.kind == kind) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError(kind: .invalidUTF8, offset: 0)) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }
}
