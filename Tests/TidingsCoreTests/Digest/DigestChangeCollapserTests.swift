import Foundation
import Testing
@testable import TidingsCore

@Suite struct DigestChangeCollapserTests {
    typealias F = Fixtures

    @Test func stageChainShowsNetChangeAtLastEdit() {
        let result = ChangeCollapser.collapse([
            F.change(1, "stage", at: "2026-05-04T09:00:00Z", #"{"from":"A","to":"B"}"#),
            F.change(2, "stage", at: "2026-05-04T10:00:00Z", #"{"from":"B","to":"C"}"#),
        ])
        #expect(result.entries.count == 1)
        #expect(result.entries[0].details == .stage(from: "A", to: "C"))
        #expect(result.entries[0].occurredAt == utc("2026-05-04T10:00:00Z"))
        #expect(result.entries[0].changeIDs == [1, 2])
        #expect(result.cancelledChangeIDs.isEmpty)
    }

    @Test func stageThereAndBackShowsNothing() {
        let result = ChangeCollapser.collapse([
            F.change(1, "stage", at: "2026-05-04T09:00:00Z", #"{"from":"A","to":"B"}"#),
            F.change(2, "stage", at: "2026-05-04T10:00:00Z", #"{"from":"B","to":"A"}"#),
            F.change(3, "comment", at: "2026-05-04T10:30:00Z", #"{"comment":"hi"}"#),
        ])
        #expect(result.entries.map(\.kind) == [.comment])
        #expect(result.cancelledChangeIDs == [1, 2])
    }

    @Test func inputOrderDoesNotMatter() {
        let result = ChangeCollapser.collapse([
            F.change(2, "stage", at: "2026-05-04T10:00:00Z", #"{"from":"B","to":"C"}"#),
            F.change(1, "stage", at: "2026-05-04T09:00:00Z", #"{"from":"A","to":"B"}"#),
        ])
        #expect(result.entries.map(\.details) == [.stage(from: "A", to: "C")])
    }

    @Test func interleavedFieldsCollapseSeparately() {
        let result = ChangeCollapser.collapse([
            F.change(1, "stage", at: "2026-05-04T09:00:00Z", #"{"from":"A","to":"B"}"#),
            F.change(2, "field", at: "2026-05-04T09:10:00Z", #"{"field":"amount","label":"Amount","from":1000,"to":2000}"#),
            F.change(3, "field", at: "2026-05-04T09:20:00Z", #"{"field":"close_date","from":"2026-06-01","to":"2026-06-15"}"#),
            F.change(4, "stage", at: "2026-05-04T09:30:00Z", #"{"from":"B","to":"C"}"#),
            F.change(5, "field", at: "2026-05-04T09:40:00Z", #"{"field":"amount","label":"Amount","from":2000,"to":1000}"#),
            F.change(6, "field", at: "2026-05-04T09:50:00Z", #"{"field":"close_date","from":"2026-06-15","to":"2026-06-30"}"#),
        ])
        // Amount went 1000 → 2000 → 1000: gone. Stage A→C at 09:30, close date at 09:50.
        #expect(result.entries.map(\.details) == [
            .stage(from: "A", to: "C"),
            .field(key: "close_date", label: "close_date", from: .string("2026-06-01"), to: .string("2026-06-30"), currency: nil),
        ])
        #expect(result.entries.map(\.changeIDs) == [[1, 4], [3, 6]])
        #expect(result.cancelledChangeIDs == [2, 5])
    }

    @Test func sameFieldOnDifferentDealsDoesNotCollapse() {
        let result = ChangeCollapser.collapse([
            F.change(1, deal: "101", "stage", at: "2026-05-04T09:00:00Z", #"{"from":"A","to":"B"}"#),
            F.change(2, deal: "102", "stage", at: "2026-05-04T10:00:00Z", #"{"from":"B","to":"A"}"#),
        ])
        #expect(result.entries.count == 2)
    }

    @Test func mixedActorsAreAllNamedOnce() {
        let result = ChangeCollapser.collapse([
            F.change(1, "stage", actor: "u1", name: "Ana Costa", at: "2026-05-04T09:00:00Z", #"{"from":"A","to":"B"}"#),
            F.change(2, "stage", actor: "u2", name: "Rui Lopes", at: "2026-05-04T09:10:00Z", #"{"from":"B","to":"C"}"#),
            F.change(3, "stage", actor: "u1", name: "Ana Costa", at: "2026-05-04T09:20:00Z", #"{"from":"C","to":"D"}"#),
            F.change(4, "stage", actor: nil, at: "2026-05-04T09:30:00Z", #"{"from":"D","to":"E"}"#),
        ])
        #expect(result.entries.count == 1)
        #expect(result.entries[0].actors == [ChangeActor(id: "u1", name: "Ana Costa"), ChangeActor(id: "u2", name: "Rui Lopes"),
                                            ChangeActor(id: nil, name: nil)])
        #expect(result.entries[0].details == .stage(from: "A", to: "E"))
    }

    @Test func wrongShapePayloadsPassThroughWithoutCollapsing() {
        let result = ChangeCollapser.collapse([
            F.change(1, "stage", at: "2026-05-04T09:00:00Z", summary: "Stage changed", #"{"from":"A"}"#),
            F.change(2, "stage", at: "2026-05-04T09:10:00Z", #"{"to": 7}"#),
            F.change(3, "field", at: "2026-05-04T09:20:00Z", #"{"to": "x"}"#),
            F.change(4, "stage", at: "2026-05-04T09:30:00Z", #"[1,2]"#),
            F.change(5, "stage", at: "2026-05-04T09:40:00Z", #"{"from":"A","to":"B"}"#),
        ])
        #expect(result.entries.map(\.details) == [.unrecognized, .unrecognized, .unrecognized, .unrecognized,
                                                 .stage(from: "A", to: "B")])
        #expect(result.entries[0].summary == "Stage changed")
    }

    @Test func otherKindsAreKeptOnePerChange() {
        let result = ChangeCollapser.collapse([
            F.change(1, "comment", at: "2026-05-04T09:00:00Z", #"{"comment":"one"}"#),
            F.change(2, "comment", at: "2026-05-04T09:00:00Z", #"{"comment":"two"}"#),
            F.change(3, "contract_signed", at: "2026-05-04T08:00:00Z", summary: "Contract signed"),
        ])
        #expect(result.entries.map(\.changeIDs) == [[3], [1], [2]])
        #expect(result.entries[0].kind == .other("contract_signed"))
    }

    @Test func editThatChangesNothingIsDropped() {
        let result = ChangeCollapser.collapse([
            F.change(1, "field", at: "2026-05-04T09:00:00Z", #"{"field":"owner","from":null,"to":""}"#),
        ])
        #expect(result.entries.isEmpty)
        #expect(result.cancelledChangeIDs == [1])
    }
}
