// swift-tools-version: 6.1
// libFuzzer targets for Samsa's decoders, a package of its own beside the tests so that the normal
// `swift build` and `swift test` of the root package never build them. Each target is built alone
// with the fuzzer and address sanitizers (`make fuzz` in the root, see README.md): a whole-package
// sanitized build fails, because libFuzzer brings its own `main`.
import PackageDescription

let package = Package(
    name: "samsa-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "samsa", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "KafkaProtocol", package: "samsa"),
                .product(name: "KafkaRecords", package: "samsa"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "FuzzRequestDecoder",
            dependencies: [
                "FuzzSupport", .product(name: "KafkaProtocol", package: "samsa"), .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "FuzzRecordBatchReader",
            dependencies: [
                "FuzzSupport", .product(name: "KafkaRecords", package: "samsa"), .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "FuzzSegmentRecovery",
            dependencies: [
                "FuzzSupport",
                .product(name: "KafkaRecords", package: "samsa"),
                .product(name: "KafkaStorage", package: "samsa"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "FuzzSecurityMessages",
            dependencies: [
                "FuzzSupport",
                .product(name: "KafkaBroker", package: "samsa"),
                .product(name: "KafkaProtocol", package: "samsa"),
                .product(name: "KafkaScram", package: "samsa"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)
