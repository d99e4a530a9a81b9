import NIOCore

/// Kafka's 128-bit UUID (topic ids, directory ids). Printed like Kafka's `Uuid.toString()`:
/// URL-safe base64 without padding.
public struct KafkaUUID: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static let zero = KafkaUUID(high: 0, low: 0)

    /// A random version-4 UUID. Kafka never hands out the zero UUID or one whose text starts with
    /// '-', so neither is returned.
    public static func random() -> KafkaUUID {
        var generator = SystemRandomNumberGenerator()
        while true {
            let randomHigh: UInt64 = generator.next()
            let randomLow: UInt64 = generator.next()
            let high = (randomHigh & ~0xF000) | 0x4000
            let low = (randomLow & ~0xC000_0000_0000_0000) | 0x8000_0000_0000_0000
            let uuid = KafkaUUID(high: high, low: low)
            if !uuid.description.hasPrefix("-") { return uuid }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        var text: [UInt8] = []
        text.reserveCapacity(22)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << UInt32(16 - 8 * offset) }
            let characters = chunk.count + 1
            for position in 0..<characters {
                text.append(Self.alphabet[Int((value >> UInt32(18 - 6 * position)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses Kafka's text form (22 characters of URL-safe base64).
    public init?(_ text: String) {
        let characters = Array(text.utf8)
        guard characters.count == 22 else { return nil }
        var bits: [UInt8] = []
        var accumulator: UInt32 = 0
        var count = 0
        for character in characters {
            guard let value = Self.alphabet.firstIndex(of: character) else { return nil }
            accumulator = (accumulator << 6) | UInt32(value)
            count += 6
            if count >= 8 {
                count -= 8
                bits.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(count)))
            }
        }
        guard bits.count == 16 else { return nil }
        self.high = bits[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        self.low = bits[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
