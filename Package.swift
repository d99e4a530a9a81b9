// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "samsa",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "KafkaProtocol", targets: ["KafkaProtocol"]),
        .library(name: "KafkaRecords", targets: ["KafkaRecords"]),
        .library(name: "KafkaStorage", targets: ["KafkaStorage"]),
        .library(name: "KafkaScram", targets: ["KafkaScram"]),
        .library(name: "KafkaBroker", targets: ["KafkaBroker"]),
        .library(name: "KafkaClient", targets: ["KafkaClient"]),
        // For the benchmarks package; applications that embed the broker need not link it.
        .library(name: "SamsaConsole", targets: ["SamsaConsole"]),
        // The brokers, connections and test tiers every test target and the benchmarks share.
        .library(name: "SamsaTestSupport", targets: ["SamsaTestSupport"]),
        .executable(name: "samsa", targets: ["samsa"]),
        .executable(name: "protocol-generator", targets: ["ProtocolGenerator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // HMAC, SHA-2 and PBKDF2 for SASL/SCRAM.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // No default traits: the console needs neither swift-configuration nor full Foundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .target(
            name: "KafkaProtocol",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(name: "CCRC32C"),
        .target(
            name: "KafkaRecords",
            dependencies: [
                "KafkaProtocol",
                "CCRC32C",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .target(
            name: "KafkaStorage",
            dependencies: [
                "KafkaRecords",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The properties-file reader the broker and the client tools share; depends on nothing.
        .target(name: "KafkaProperties"),
        // SCRAM's hash functions and its client side: the broker and the SDK both authenticate with them.
        .target(
            name: "KafkaScram",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "KafkaBroker",
            dependencies: [
                "KafkaProperties",
                "KafkaScram",
                "KafkaProtocol",
                "KafkaRecords",
                "KafkaStorage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The web stack stays out of the broker library and the SDK: only `samsa` links this.
        .target(
            name: "SamsaConsole",
            dependencies: [
                "KafkaBroker",
                "KafkaProtocol",
                "KafkaRecords",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "KafkaClient",
            dependencies: [
                "KafkaProtocol",
                "KafkaRecords",
                "KafkaScram",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SamsaTestSupport",
            dependencies: [
                "KafkaBroker",
                "KafkaProtocol",
                "KafkaRecords",
                "KafkaScram",
                "SamsaConsole",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/SamsaTestSupport"
        ),
        .testTarget(name: "KafkaClientTests", dependencies: ["KafkaClient", "KafkaBroker", "KafkaScram", "SamsaTestSupport"]),
        .testTarget(name: "TestTierTests", dependencies: ["SamsaTestSupport"]),
        .executableTarget(
            name: "example-producer",
            dependencies: ["KafkaClient", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/example-producer"
        ),
        .executableTarget(
            name: "exactly-once",
            dependencies: ["KafkaClient", "KafkaProtocol", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/exactly-once"
        ),
        .executableTarget(
            name: "example-consumer",
            dependencies: ["KafkaClient", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/example-consumer"
        ),
        .executableTarget(
            name: "samsa",
            dependencies: [
                "KafkaBroker",
                "KafkaProperties",
                "KafkaClient",
                "KafkaProtocol",
                "SamsaConsole",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "ProtocolGenerator",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .systemLibrary(name: "CPython", path: "Interop/CPython", providers: [.apt(["python3-dev"])]),
        .target(name: "PythonInterop", dependencies: ["CPython"], path: "Interop/PythonInterop"),
        .testTarget(
            name: "KafkaProtocolTests",
            dependencies: ["KafkaProtocol", "ProtocolGenerator", "SamsaTestSupport", .product(name: "NIOEmbedded", package: "swift-nio")],
            exclude: ["GoldenFrames"]
        ),
        .testTarget(name: "KafkaRecordsTests", dependencies: ["KafkaRecords", "SamsaTestSupport"]),
        .testTarget(name: "KafkaStorageTests", dependencies: ["KafkaStorage", "SamsaTestSupport"]),
        .testTarget(
            name: "KafkaBrokerTests",
            dependencies: [
                "SamsaTestSupport",
                "KafkaBroker",
                "KafkaProperties",
                "KafkaProtocol",
                "KafkaRecords",
                "KafkaScram",
                "KafkaStorage",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "SamsaConsoleTests",
            dependencies: [
                "SamsaTestSupport",
                "SamsaConsole",
                "KafkaBroker",
                "KafkaProtocol",
                "KafkaRecords",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "SamsaTestSupport",
                "PythonInterop",
                "KafkaBroker",
                "KafkaClient",
                "KafkaProperties",
                "KafkaRecords",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)

// Habits the compiler enforces on every target of this package (dependencies keep their own):
// no warnings, `any` spelled out for existentials, and imports that name every module whose
// members a file uses.
for target in package.targets where target.type != .system {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .treatAllWarnings(as: .error),
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("MemberImportVisibility"),
        ]
}
