/// Splitting a run that does not fit one encoded-word.
extension EncodedWordWriter {
    /// The rare case: a run longer than one encoded-word, split between grapheme clusters.
    static func writeSplit(_ text: String, base64: Bool, separator: [UInt8], to writer: inout HeaderWriter) {
        var state = State(useBase64: base64, separator: separator)
        for character in text {
            let unit = character.utf8
            if state.fits(unit, writer: &writer) {
                state.add(unit)
            } else {
                // One grapheme cluster longer than a whole word (long emoji sequences,
                // stacked marks): split it between scalars. An empty word always has room
                // for one scalar (at most 12 encoded characters).
                for scalar in character.unicodeScalars {
                    let scalarBytes = String(scalar).utf8
                    _ = state.fits(scalarBytes, writer: &writer)
                    state.add(scalarBytes)
                }
            }
        }
        state.flush(to: &writer)
    }

    fileprivate struct State {
        let useBase64: Bool
        var separator: [UInt8]
        var chunk: [UInt8] = []
        var cost = 0
        var budget = 0

        init(useBase64: Bool, separator: [UInt8]) {
            self.useBase64 = useBase64
            self.separator = separator
        }

        /// Whether `unit` fits the current word; when the word is full, it is written out and
        /// a new one started, and the unit is tried against that. False only when the unit
        /// cannot fit even an empty word.
        mutating func fits(_ unit: some Collection<UInt8>, writer: inout HeaderWriter) -> Bool {
            if chunk.isEmpty { budget = room(on: &writer) }
            if cost(adding: unit) <= budget { return true }
            guard !chunk.isEmpty else { return false }
            flush(to: &writer)
            budget = room(on: &writer)
            return cost(adding: unit) <= budget
        }

        mutating func add(_ unit: some Collection<UInt8>) {
            chunk.append(contentsOf: unit)
            cost = useBase64 ? (chunk.count + 2) / 3 * 4 : cost + unit.reduce(0) { $0 + qLength($1) }
        }

        func cost(adding unit: some Collection<UInt8>) -> Int {
            useBase64 ? (chunk.count + unit.count + 2) / 3 * 4 : cost + unit.reduce(0) { $0 + qLength($1) }
        }

        /// Characters of encoded text the next word may hold, folding first if the current
        /// line has too little room left.
        func room(on writer: inout HeaderWriter) -> Int {
            var available = HeaderWriter.lineLimit - writer.column - separator.count - overhead
            if available < minimumUsefulRoom && writer.canFold {
                writer.fold()
                available = HeaderWriter.lineLimit - separator.count - overhead
            }
            // 12 holds any one scalar in either encoding; a longer line is then unavoidable.
            return max(12, min(maxWordLength - overhead, available))
        }

        mutating func flush(to writer: inout HeaderWriter) {
            guard !chunk.isEmpty else { return }
            chunk.withUnsafeBufferPointer { bytes in
                separator.withUnsafeBufferPointer { separator in
                    writeWord(bytes, base64: useBase64, cost: cost, separator: separator, to: &writer)
                }
            }
            separator = [MailBytes.space]
            chunk.removeAll(keepingCapacity: true)
            cost = 0
        }
    }
}
