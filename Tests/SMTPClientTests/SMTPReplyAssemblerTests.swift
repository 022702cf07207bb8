import Testing
@testable import SMTPClient

/// Reply bytes as the network delivers them: split anywhere, several replies in one read.
@Suite struct SMTPReplyAssemblerTests {
    private func replies(_ chunks: [[UInt8]]) -> [SMTPReply] {
        var assembler = SMTPReplyAssembler()
        var replies: [SMTPReply] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { raw in
                var rest = raw
                while let reply = assembler.take(&rest) { replies.append(reply) }
                #expect(rest.isEmpty, "every byte is consumed or buffered")
            }
        }
        return replies
    }

    private let pipelinedReplies = Array(
        "250 2.1.0 Ok\r\n550-5.1.1 <b@x.com>: Recipient address rejected:\r\n550 5.1.1 User unknown\r\n354 End data with <CR><LF>.<CR><LF>\r\n".utf8)

    private var expected: [SMTPReply] {
        [SMTPReply(code: 250, enhanced: "2.1.0", text: "Ok"),
         SMTPReply(code: 550, enhanced: "5.1.1", text: "<b@x.com>: Recipient address rejected:\nUser unknown"),
         SMTPReply(code: 354, text: "End data with <CR><LF>.<CR><LF>")]
    }

    @Test func severalRepliesInOneReadComeOutInOrder() {
        #expect(replies([pipelinedReplies]) == expected)
    }

    @Test func everySplitIntoTwoReadsGivesTheSameReplies() {
        for cut in 0...pipelinedReplies.count {
            #expect(replies([Array(pipelinedReplies[..<cut]), Array(pipelinedReplies[cut...])]) == expected, "cut at \(cut)")
        }
    }

    @Test func oneByteAtATimeGivesTheSameReplies() {
        #expect(replies(pipelinedReplies.map { [$0] }) == expected)
    }

    /// A line without a reply code is not a reply; a bare LF line end is taken as a lenient
    /// client would; an unfinished reply is reported as such.
    @Test func linesThatAreNotRepliesAreSkipped() {
        #expect(replies([Array("garbage\r\n250 Ok\n".utf8)]) == [SMTPReply(code: 250, text: "Ok")])
        var assembler = SMTPReplyAssembler()
        Array("250-first\r\n250 sec".utf8).withUnsafeBytes { raw in
            var rest = raw
            #expect(assembler.take(&rest) == nil)
        }
        #expect(assembler.hasPartialReply)
    }
}
