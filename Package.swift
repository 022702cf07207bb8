// swift-tools-version:6.1
import PackageDescription

// The layers, bottom to top (docs/ARCHITECTURE.md):
//   C shims (CLibPQ, CCurl) → one Swift wrapper per C library (PostgresClient, SMTPClient)
//   → pure domain core (TidingsCore) → services (TidingsServices) → thin CLI (tidings).
// DedicatedThreads gives the wrappers' blocking calls threads of their own, off Swift's
// cooperative pool. TimeArithmetic (calendar days, Duration in seconds) sits under both a wrapper
// and the core, which may not import each other.
let package = Package(
    name: "tidings",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tidings", targets: ["tidings"]),
        .executable(name: "tidings-bench", targets: ["TidingsBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "DedicatedThreads"),
        .target(name: "TimeArithmetic"),
        .target(name: "PostgresClient", dependencies: ["CLibPQ", "DedicatedThreads", "TimeArithmetic"]),
        .target(name: "SMTPClient", dependencies: ["CCurl", "DedicatedThreads"]),
        .target(
            name: "TidingsCore",
            dependencies: [
                "TimeArithmetic", .product(name: "Mustache", package: "swift-mustache"),
                // HMAC-SHA256 of the reply and bounce tags: pure computation, so it sits in the core.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "TidingsServices",
            dependencies: [
                "TidingsCore", "PostgresClient", "SMTPClient", "DedicatedThreads", "TimeArithmetic",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                // Counters, gauges and histograms (swift-metrics), kept in a Prometheus registry
                // and written out in its text format (swift-prometheus): `Metrics/`.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // The daemon's small HTTP listener: signed digest links, health and readiness.
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "tidings",
            dependencies: [
                "TidingsServices", "TidingsCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TidingsCoreTests", dependencies: ["TidingsCore", "TestSupport"],
                    exclude: ["Golden", "Inbound/Fixtures"]),
        .testTarget(name: "DedicatedThreadsTests", dependencies: ["DedicatedThreads"]),
        .testTarget(name: "TimeArithmeticTests", dependencies: ["TimeArithmetic"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "TestSupport"]),
        .testTarget(name: "SMTPClientTests", dependencies: ["SMTPClient", "TestSupport"]),
        .testTarget(name: "TidingsServicesTests",
                    dependencies: ["TidingsServices", "TidingsCore", "PostgresClient", "SMTPClient", "TestSupport", "ServicesTestSupport"]),
        // Tests that need the services scripts/test.sh starts (PostgreSQL, SMTP servers) or run the
        // `tidings` binary, apart from the pure unit tests above, in folders named after the source
        // folders they exercise (Tests/README.md).
        .testTarget(name: "IntegrationTests",
                    dependencies: ["TidingsServices", "TidingsCore", "PostgresClient", "SMTPClient", "TestSupport", "ServicesTestSupport"]),
        .target(name: "TestSupport", dependencies: ["DedicatedThreads"], path: "Tests/TestSupport"),
        .target(name: "ServicesTestSupport", dependencies: ["TidingsServices"], path: "Tests/ServicesTestSupport"),
        // Benchmarks beside the standard tools (scripts/bench.sh); not part of the daemon.
        .executableTarget(
            name: "TidingsBench",
            dependencies: [
                "SMTPClient", "PostgresClient", "TidingsServices", "TidingsCore", "TimeArithmetic",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
