// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "samsa",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "KafkaProtocol", targets: ["KafkaProtocol"]),
        .library(name: "KafkaRecords", targets: ["KafkaRecords"]),
        .executable(name: "protocol-generator", targets: ["ProtocolGenerator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
        .executableTarget(
            name: "ProtocolGenerator",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(
            name: "KafkaStorage",
            dependencies: [
                "KafkaRecords",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KafkaProtocolTests",
            dependencies: ["KafkaProtocol", "ProtocolGenerator", .product(name: "NIOEmbedded", package: "swift-nio")],
            exclude: ["GoldenFrames"]
        ),
        .testTarget(name: "KafkaRecordsTests", dependencies: ["KafkaRecords"]),
        .testTarget(name: "KafkaStorageTests", dependencies: ["KafkaStorage"]),
    ]
)
