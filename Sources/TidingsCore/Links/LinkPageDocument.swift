/// The HTML document around every page of the link listener: small, self-contained (no
/// script, no external resource), valid HTML5, and every value escaped by `HTMLEscaping`.
enum LinkPageDocument {
    /// A page in `locale` with `title` as its heading and `body` (already escaped HTML) under it.
    static func html(locale: LocaleTag, title: String, body: String) -> String {
        let title = HTMLEscaping.escape(title)
        return """
            <!DOCTYPE html>
            <html lang="\(locale.identifier)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow">
            <meta name="referrer" content="no-referrer">
            <title>\(title)</title>
            <style>
            body { margin: 0; padding: 48px 16px; background: #f2f4f7; color: #111827; font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
            main { max-width: 520px; margin: 0 auto; padding: 28px 32px; background: #ffffff; border: 1px solid #e3e7ed; border-radius: 10px; }
            h1 { margin: 0 0 12px 0; font-size: 22px; line-height: 28px; }
            p { margin: 0 0 20px 0; color: #374151; }
            fieldset { margin: 0 0 20px 0; padding: 0; border: 0; }
            label { display: block; padding: 4px 0; }
            button { padding: 10px 18px; border: 0; border-radius: 6px; background: #1d4ed8; color: #ffffff; font: inherit; font-weight: 600; cursor: pointer; }
            @media (prefers-color-scheme: dark) {
              body { background: #111318; color: #e7e9ec; }
              main { background: #1b1e24; border-color: #2d323b; }
              p { color: #d3d7dd; }
              button { background: #3b6fd8; }
            }
            </style>
            </head>
            <body>
            <main>
            <h1>\(title)</h1>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// A paragraph of escaped `text`.
    static func paragraph(_ text: String) -> String {
        "<p>" + HTMLEscaping.escape(text) + "</p>"
    }

    /// A form that POSTs to `action` (a full URL, so it works behind a proxy's path prefix) with
    /// `fields` (escaped HTML) and one button.
    static func form(action: String, button: String, fields: String = "") -> String {
        "<form method=\"post\" action=\"\(HTMLEscaping.escape(action))\">\n" + fields
            + "<button type=\"submit\">\(HTMLEscaping.escape(button))</button>\n</form>"
    }
}
