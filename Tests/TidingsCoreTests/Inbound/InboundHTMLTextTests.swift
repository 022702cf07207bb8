import Testing
@testable import TidingsCore

@Suite("Inbound HTML bodies turned to text")
struct InboundHTMLTextTests {
    @Test(arguments: [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("a<br>b<br/>c<BR >d", "a\nb\nc\nd"),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("  lots   of\n\n  blanks  ", "lots of blanks"),
        ("<pre>  keep\n    this</pre>", "keep\n    this"),
        ("<b>Jo</b>ão <i>Silva</i>", "João Silva"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("x<script>alert('<p>no</p>')</script>y<style>p{}</style>z", "xyz"),
        ("<script>never closed", ""),
        ("<head><title>t</title></head>body", "body"),
        ("<head>no closing head <p>text", "no closing head\n\ntext"),
        ("a<!-- comment <p> -->b<!DOCTYPE html>c<?xml version=\"1.0\"?>d", "abcd"),
        ("&amp; &lt;tag&gt; &quot;q&quot; &apos; &eacute; &Ccedil; &euro; &hellip; &#233; &#xE9; &#X2014;", "& <tag> \"q\" ' é Ç € … é é —"),
        ("&unknown; &amp &#; &#xZZ; &", "&unknown; &amp &#; &#xZZ; &"),
        ("a&nbsp;&nbsp;b", "a b"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
        ("<a href=\"x>y\">link</a> after", "link after"),
        ("<img src=x alt=\"pic\">text", "text"),
        ("<unclosed", "<unclosed"),
    ])
    func convertsMarkup(_ html: String, _ expected: String) {
        #expect(HTMLText.text(html) == expected)
    }

    @Test func marksBlockquotesAndQuoteDivsAsQuoted() {
        let html = """
            <div>New text</div><div class="gmail_quote"><div class="gmail_attr">On Tue, Marta wrote:<br></div>\
            <blockquote class="gmail_quote">Old <b>text</b><blockquote>older</blockquote>back</blockquote></div><div>after</div>
            """
        #expect(HTMLText.text(html) == "New text\n> On Tue, Marta wrote:\n\n> > Old text\n\n> > > older\n\n> > back\n\nafter")
    }

    @Test func unbalancedClosingTagsDoNotUnderflow() {
        #expect(HTMLText.text("</blockquote></div></pre>a<blockquote>b") == "a\n\n> b")
    }
}
