import NIOCore

/// Compressed streams written by the Python clients' codec functions, all of
/// `PythonCodecVectors.plain`. Generated with `/usr/bin/python3` and the packages pinned in
/// Interop/requirements.txt (kafka-python 3.0.12 `kafka.codec`, aiokafka 0.14.0 `aiokafka.codec`,
/// lz4 4.4.5, zstandard 0.25.0, python-snappy 0.7.3, cramjam 2.14.0); hex is `bytes.hex()`.
enum PythonCodecVectors {
    /// `b"Samsa speaks Kafka. " * 10`
    static let plain = ByteBuffer(string: String(repeating: "Samsa speaks Kafka. ", count: 10))

    /// `kafka.codec.lz4_encode(plain)`: lz4.frame with independent blocks and the content size.
    static let kafkaPythonLZ4 = ByteBuffer(
        hex: """
            04224d186840c800000000000000d41f000000ff0553616d736120737065616b73204b61666b612e2014009c\
            50666b612e2000000000
            """)

    /// `aiokafka.codec.lz4_encode(plain)`: cramjam's frame, with block checksums.
    static let aiokafkaLZ4 = ByteBuffer(
        hex: """
            04224d187040ad1f000000ff0553616d736120737065616b73204b61666b612e2014009c50666b612e209d2d\
            ee2f00000000
            """)

    /// `kafka.codec.zstd_encode(plain)` (zstandard); `aiokafka.codec.zstd_encode` writes the same bytes.
    static let kafkaPythonZstd = ByteBuffer(
        hex: """
            28b52ffd20c8dd0000a053616d736120737065616b73204b61666b612e20010062474d26
            """)

    /// `c = zstandard.ZstdCompressor().compressobj(); c.compress(plain) + c.flush()`: a streamed
    /// frame with no content size, as Java's zstd-jni stream writes.
    static let streamedZstd = ByteBuffer(
        hex: """
            28b52ffd0058dd0000a053616d736120737065616b73204b61666b612e20010062474d26
            """)

    /// `kafka.codec.snappy_encode(plain)`: xerial framing (aiokafka writes the same bytes).
    static let kafkaPythonXerialSnappy = ByteBuffer(
        hex: """
            82534e4150505900000000010000000100000020c8014c53616d736120737065616b73204b61666b612e20fe\
            1400fe1400ce1400
            """)

    /// `kafka.codec.snappy_encode(plain, xerial_compatible=False)`: one raw block, as librdkafka writes.
    static let rawSnappy = ByteBuffer(
        hex: """
            c8014c53616d736120737065616b73204b61666b612e20fe1400fe1400ce1400
            """)
}
