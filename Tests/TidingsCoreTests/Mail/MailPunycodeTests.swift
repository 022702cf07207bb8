import Foundation
import TestSupport
import Testing
@testable import TidingsCore

@Suite("Punycode (RFC 3492)")
struct MailPunycodeTests {
    /// RFC 3492 section 7.1 sample strings (case annotations kept as the RFC shows them).
    static let samples: [(label: String, codePoints: [UInt32], encoded: String)] = [
        ("A Arabic (Egyptian)", [0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645,
                                 0x0648, 0x0634, 0x0639, 0x0631, 0x0628, 0x064A, 0x061F], "egbpdaj6bu4bxfgehfvwxn"),
        ("B Chinese (simplified)", [0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587],
         "ihqwcrb4cv8a8dqg056pqjye"),
        ("C Chinese (traditional)", [0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587],
         "ihqwctvzc91f659drss3x8bo0yb"),
        ("D Czech", [0x50, 0x72, 0x6F, 0x10D, 0x70, 0x72, 0x6F, 0x73, 0x74, 0x11B, 0x6E, 0x65, 0x6D, 0x6C, 0x75,
                     0x76, 0xED, 0x10D, 0x65, 0x73, 0x6B, 0x79], "Proprostnemluvesky-uyb24dma41a"),
        ("E Hebrew", [0x5DC, 0x5DE, 0x5D4, 0x5D4, 0x5DD, 0x5E4, 0x5E9, 0x5D5, 0x5D8, 0x5DC, 0x5D0, 0x5DE, 0x5D3,
                      0x5D1, 0x5E8, 0x5D9, 0x5DD, 0x5E2, 0x5D1, 0x5E8, 0x5D9, 0x5EA], "4dbcagdahymbxekheh6e0a7fei0b"),
        ("I Russian", [0x43F, 0x43E, 0x447, 0x435, 0x43C, 0x443, 0x436, 0x435, 0x43E, 0x43D, 0x438, 0x43D, 0x435,
                       0x433, 0x43E, 0x432, 0x43E, 0x440, 0x44F, 0x442, 0x43F, 0x43E, 0x440, 0x443, 0x441, 0x441,
                       0x43A, 0x438], "b1abfaaepdrnnbgefbadotcwatmq2g4l"),
        ("L Japanese 3年B組金八先生", [0x33, 0x5E74, 0x42, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F], "3B-ww4c5e180e575a65lsy2b"),
        ("S ASCII only", [0x2D, 0x3E, 0x20, 0x24, 0x31, 0x2E, 0x30, 0x30, 0x20, 0x3C, 0x2D], "-> $1.00 <--"),
    ]

    @Test(arguments: samples.indices)
    func encodesAndDecodesTheRFCSamples(_ index: Int) throws {
        let sample = Self.samples[index]
        let scalars = sample.codePoints.map { Unicode.Scalar($0)! }
        #expect(Punycode.encode(scalars) == sample.encoded, "\(sample.label)")
        #expect(Punycode.decode(sample.encoded) == scalars, "\(sample.label)")
    }

    @Test func decodesDigitsCaseInsensitively() {
        #expect(Punycode.decode("bcher-KVA") == Array("bücher".unicodeScalars))
    }

    @Test func rejectsInvalidInput() {
        #expect(Punycode.decode("a-b!") == nil)            // '!' is not a digit
        #expect(Punycode.decode("kva") != nil)
        #expect(Punycode.decode("bcher-kv") == nil)        // truncated variable-length integer
        #expect(Punycode.decode("ü-kva") == nil)           // non-basic code point before the delimiter
        #expect(Punycode.decode("99999999999999") == nil)  // overflow
    }

    /// Random strings against Python's own `punycode` codec, in one Python run.
    @Test func agreesWithPythonOnRandomStrings() async throws {
        var generator = SplitMix64(seed: 3492)
        let pools: [ClosedRange<UInt32>] = [0x61...0x7A, 0xE0...0xFF, 0x400...0x44F, 0x4E00...0x9FFF, 0x1F300...0x1F64F, 0x30...0x39]
        var inputs: [[Unicode.Scalar]] = []
        for _ in 0..<200 {
            let length = Int(generator.next() % 20) + 1
            inputs.append((0..<length).map { _ in
                let pool = pools[Int(generator.next() % UInt64(pools.count))]
                return Unicode.Scalar(pool.lowerBound + UInt32(generator.next() % UInt64(pool.count)))!
            })
        }
        let strings = inputs.map { String(String.UnicodeScalarView($0)) }
        let script = "import sys, json\nfor s in json.load(sys.stdin): print(s.encode('punycode').decode())"
        let input = try JSONEncoder().encode(strings)
        let output = try await offThePool { try runProcess("python3", ["-c", script], input: input) }
        let expected = output.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(expected.count == inputs.count)
        for (scalars, python) in zip(inputs, expected) {
            #expect(Punycode.encode(scalars) == python)
            #expect(Punycode.decode(python) == scalars)
        }
    }
}
