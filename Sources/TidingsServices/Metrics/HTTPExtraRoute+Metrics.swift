extension HTTPExtraRoute {
    /// `GET /metrics`: `exposition`'s text in the Prometheus format. `text()` formats what is
    /// in memory under a lock, with no database call, so the listener serves it directly.
    static func metrics(_ exposition: MetricsExposition) -> HTTPExtraRoute {
        HTTPExtraRoute(path: "/metrics", contentType: MetricsExposition.contentType) { exposition.text() }
    }
}
