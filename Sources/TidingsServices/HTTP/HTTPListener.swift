import Hummingbird
import Logging
import PostgresClient
import ServiceLifecycle
import TidingsCore

/// The daemon's small HTTP listener (`http.listen`, Hummingbird 2): the signed digest links
/// (`/m/`, `/a/`, `/c/`, `/u/` + token, GET shows, POST acts), RFC 8058 one-click unsubscribe,
/// `/healthz`, `/readyz`, and the routes other parts add (`extraRoutes`: `/metrics`).
///
/// It runs as one more service of the daemon's `ServiceGroup`, so SIGTERM stops it with the
/// loops: Hummingbird stops accepting, finishes the requests in hand, and returns. It is meant
/// to sit behind the company's reverse proxy on a loopback address; it logs no request URL, so
/// tokens stay out of the journal.
public struct HTTPListener: Sendable {
    public let configuration: TidingsConfiguration.HTTP
    public let context: ServiceContext
    public let extraRoutes: [HTTPExtraRoute]

    public init(configuration: TidingsConfiguration.HTTP, context: ServiceContext, extraRoutes: [HTTPExtraRoute] = []) {
        self.configuration = configuration
        self.context = context
        self.extraRoutes = extraRoutes
    }

    /// The largest request body read: a form of one field, or the one-click body.
    static let maxBodyBytes = 4_096

    /// The service to add to the daemon's group. `session` is the listener's own database
    /// session (a thread of its own), used by one request at a time; it should give up after
    /// one failed connect, so a request while PostgreSQL is away fails (503) instead of waiting.
    public func service(session: PostgresSession) -> some Service {
        let store = PreferencesStore(session: session)
        let readiness = Readiness(store: store, health: context.health)
        let router = Router()
        router.get("healthz") { _, _ in Self.text("ok\n") }
        router.get("readyz") { _, _ in
            let problems = await readiness.problems()
            return Self.text(problems.isEmpty ? "ready\n" : problems.joined(separator: "\n") + "\n",
                             status: problems.isEmpty ? .ok : .serviceUnavailable)
        }
        for route in extraRoutes {
            router.get(RouterPath(route.path)) { _, _ in
                Response(status: .ok, headers: [.contentType: route.contentType],
                         body: ResponseBody(byteBuffer: ByteBuffer(string: await route.body())))
            }
        }
        // The links only when they are configured; without them the listener is the
        // operator's window alone (health, readiness, metrics).
        if let links = configuration.links {
            let actions = LinkActions(issuer: links.linkIssuer, store: store,
                                      defaultCadence: context.configuration.digests.defaultCadence,
                                      clock: context.clock, logger: context.logger)
            for action in LinkAction.allCases {
                let path = RouterPath(action.rawValue + "/:token")
                router.get(path) { _, context in
                    Self.response(await actions.show(action, token: context.parameters.get("token") ?? ""))
                }
                router.post(path) { request, context in
                    var request = request
                    guard let body = try? await request.collectBody(upTo: Self.maxBodyBytes) else {
                        return Self.text("request body too large\n", status: .contentTooLarge)
                    }
                    let form = (try? URLEncodedFormDecoder().decode(LinkForm.self, from: String(buffer: body))) ?? LinkForm()
                    return Self.response(await actions.act(action, token: context.parameters.get("token") ?? "", form: form))
                }
            }
        }
        let listen = configuration.listen
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: nil),
            logger: context.logger
        )
    }

    /// A page, or an empty body (one-click), never cached or framed, loading nothing from elsewhere.
    static func response(_ answer: LinkAnswer) -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        var body = ResponseBody()
        if let html = answer.html {
            headers[.contentType] = "text/html; charset=utf-8"
            body = ResponseBody(byteBuffer: ByteBuffer(string: html))
        } else if answer.status == 503 {
            headers[.contentType] = "text/plain; charset=utf-8"
            body = ResponseBody(byteBuffer: ByteBuffer(string: "temporarily unavailable; try again in a moment\n"))
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers, body: body)
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
