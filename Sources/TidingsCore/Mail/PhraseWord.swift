/// One word of a display name as the address parser met it.
struct PhraseWord {
    var text: String
    var quoted: Bool
    /// Whether blanks or a comment separated it from the previous word.
    var spaced: Bool

    /// Joins the words of a phrase into a display name: words separated by blanks get one
    /// space, RFC 2047 encoded-words are decoded, and the blanks between two adjacent
    /// encoded-words are dropped as RFC 2047 section 6.2 requires.
    static func displayName(_ words: [PhraseWord]) -> String? {
        var result = ""
        var previousWasEncoded = false
        for (position, word) in words.enumerated() {
            if !word.quoted, let decoded = EncodedWordDecoder.decode(word.text) {
                if position > 0 && word.spaced && !previousWasEncoded { result += " " }
                result += decoded
                previousWasEncoded = true
            } else {
                if position > 0 && word.spaced { result += " " }
                result += word.text
                previousWasEncoded = false
            }
        }
        return result
    }
}
