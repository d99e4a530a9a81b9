// swift-tools-version: 6.1
// A package of its own, so that users of the SDK never resolve the benchmark dependency.
// Run: `cd Benchmarks && swift package benchmark` (release build, then every benchmark).
import PackageDescription

let package = Package(
    name: "samsa-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "samsa", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "SamsaMicroBenchmarks",
            dependencies: [
                .product(name: "KafkaProtocol", package: "samsa"),
                .product(name: "KafkaRecords", package: "samsa"),
                .product(name: "KafkaStorage", package: "samsa"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Micro",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SamsaConsoleBenchmarks",
            dependencies: [
                .product(name: "KafkaBroker", package: "samsa"),
                .product(name: "KafkaClient", package: "samsa"),
                .product(name: "KafkaProtocol", package: "samsa"),
                .product(name: "KafkaRecords", package: "samsa"),
                .product(name: "SamsaConsole", package: "samsa"),
                .product(name: "SamsaTestSupport", package: "samsa"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Console",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
