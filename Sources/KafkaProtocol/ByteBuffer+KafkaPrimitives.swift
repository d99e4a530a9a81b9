import NIOCore

// Kafka's primitive types (https://kafka.apache.org/protocol#protocol_types), read and written on
// ByteBuffer. Every read checks the remaining length before it allocates or moves, and throws
// `ProtocolDecodingError` instead of trapping; lengths and counts are checked against the bytes that
// are actually left, so a hostile length never causes a large allocation.

// MARK: - Fixed-width integers

extension ByteBuffer {
    @inlinable
    public mutating func readKafkaInteger<T: FixedWidthInteger>(as type: T.Type = T.self) throws -> T {
        guard let value = self.readInteger(endianness: .big, as: T.self) else {
            throw ProtocolDecodingError(.truncated, "\(T.self)", offset: self.readerIndex)
        }
        return value
    }

    @inlinable
    public mutating func readKafkaBool() throws -> Bool {
        try self.readKafkaInteger(as: Int8.self) != 0
    }

    @inlinable
    public mutating func writeKafkaBool(_ value: Bool) {
        self.writeInteger(value ? 1 : 0, as: Int8.self)
    }

    @inlinable
    public mutating func readKafkaFloat64() throws -> Double {
        Double(bitPattern: try self.readKafkaInteger(as: UInt64.self))
    }

    @inlinable
    public mutating func writeKafkaFloat64(_ value: Double) {
        self.writeInteger(value.bitPattern, as: UInt64.self)
    }

    @inlinable
    public mutating func readKafkaUUID() throws -> KafkaUUID {
        let high = try self.readKafkaInteger(as: UInt64.self)
        let low = try self.readKafkaInteger(as: UInt64.self)
        return KafkaUUID(high: high, low: low)
    }

    @inlinable
    public mutating func writeKafkaUUID(_ value: KafkaUUID) {
        self.writeInteger(value.high)
        self.writeInteger(value.low)
    }
}

// MARK: - Variable-length integers

extension ByteBuffer {
    /// Reads an unsigned LEB128 varint of at most `maxBytes` bytes.
    @inlinable
    mutating func readLEB128(maxBytes: Int) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for _ in 0..<maxBytes {
            guard let byte = self.readInteger(as: UInt8.self) else {
                throw ProtocolDecodingError(.truncated, "varint", offset: self.readerIndex)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw ProtocolDecodingError(.invalidVarint, "varint longer than \(maxBytes) bytes", offset: self.readerIndex)
    }

    @inlinable
    mutating func writeLEB128(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            self.writeInteger(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        self.writeInteger(UInt8(truncatingIfNeeded: remaining))
    }

    @inlinable
    public mutating func readUnsignedVarint() throws -> UInt32 {
        let value = try self.readLEB128(maxBytes: 5)
        guard value <= UInt32.max else {
            throw ProtocolDecodingError(.invalidVarint, "unsigned varint above 2^32", offset: self.readerIndex)
        }
        return UInt32(value)
    }

    @inlinable
    public mutating func writeUnsignedVarint(_ value: UInt32) {
        self.writeLEB128(UInt64(value))
    }

    /// A zig-zag encoded signed 32-bit varint, as in record fields.
    @inlinable
    public mutating func readVarint() throws -> Int32 {
        let raw = try self.readUnsignedVarint()
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable
    public mutating func writeVarint(_ value: Int32) {
        self.writeUnsignedVarint(UInt32(bitPattern: (value << 1) ^ (value >> 31)))
    }

    /// A zig-zag encoded signed 64-bit varint, as in record timestamps.
    @inlinable
    public mutating func readVarlong() throws -> Int64 {
        let raw = try self.readLEB128(maxBytes: 10)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable
    public mutating func writeVarlong(_ value: Int64) {
        self.writeLEB128(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }
}

/// The number of bytes a value takes as a varint (zig-zag for the signed forms).
public enum VarintSize {
    @inlinable
    public static func unsigned(_ value: UInt64) -> Int {
        var size = 1
        var remaining = value >> 7
        while remaining != 0 {
            size += 1
            remaining >>= 7
        }
        return size
    }

    @inlinable
    public static func varint(_ value: Int32) -> Int {
        unsigned(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    @inlinable
    public static func varlong(_ value: Int64) -> Int {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }
}

// MARK: - Lengths, strings, bytes and arrays

extension ByteBuffer {
    /// Reads a length prefix: int16/int32 in classic versions, unsigned varint N+1 in compact ones.
    /// Returns nil for the null marker (-1, or 0 in compact form).
    @inlinable
    mutating func readKafkaLength(compact: Bool, wide: Bool) throws -> Int? {
        let start = self.readerIndex
        let length: Int
        if compact {
            length = Int(try self.readUnsignedVarint()) - 1
        } else if wide {
            length = Int(try self.readKafkaInteger(as: Int32.self))
        } else {
            length = Int(try self.readKafkaInteger(as: Int16.self))
        }
        if length == -1 { return nil }
        guard length >= 0, length <= self.readableBytes else {
            throw ProtocolDecodingError(
                .invalidLength, "length \(length) with \(self.readableBytes) bytes left", offset: start)
        }
        return length
    }

    @inlinable
    mutating func writeKafkaLength(_ length: Int?, compact: Bool, wide: Bool) {
        if compact {
            self.writeUnsignedVarint(UInt32(length.map { $0 + 1 } ?? 0))
        } else if wide {
            self.writeInteger(Int32(length ?? -1))
        } else {
            self.writeInteger(Int16(length ?? -1))
        }
    }

    @inlinable
    public mutating func readKafkaNullableString(compact: Bool) throws -> String? {
        guard let length = try self.readKafkaLength(compact: compact, wide: false) else { return nil }
        let start = self.readerIndex
        do {
            if let string = try self.readUTF8ValidatedString(length: length) { return string }
        } catch {
            self.moveReaderIndex(to: start)
            throw ProtocolDecodingError(.invalidUTF8, offset: start)
        }
        throw ProtocolDecodingError(.truncated, "string", offset: start)
    }

    @inlinable
    public mutating func readKafkaString(compact: Bool) throws -> String {
        let start = self.readerIndex
        guard let string = try self.readKafkaNullableString(compact: compact) else {
            throw ProtocolDecodingError(.unexpectedNull, "string", offset: start)
        }
        return string
    }

    @inlinable
    public mutating func writeKafkaNullableString(_ value: String?, compact: Bool) {
        guard let value else {
            self.writeKafkaLength(nil, compact: compact, wide: false)
            return
        }
        self.writeKafkaLength(value.utf8.count, compact: compact, wide: false)
        self.writeString(value)
    }

    @inlinable
    public mutating func writeKafkaString(_ value: String, compact: Bool) {
        self.writeKafkaNullableString(value, compact: compact)
    }

    /// Bytes are returned as a slice of this buffer: no copy.
    @inlinable
    public mutating func readKafkaNullableBytes(compact: Bool) throws -> ByteBuffer? {
        guard let length = try self.readKafkaLength(compact: compact, wide: true) else { return nil }
        return self.readSlice(length: length)
    }

    @inlinable
    public mutating func readKafkaBytes(compact: Bool) throws -> ByteBuffer {
        let start = self.readerIndex
        guard let bytes = try self.readKafkaNullableBytes(compact: compact) else {
            throw ProtocolDecodingError(.unexpectedNull, "bytes", offset: start)
        }
        return bytes
    }

    @inlinable
    public mutating func writeKafkaNullableBytes(_ value: ByteBuffer?, compact: Bool) {
        guard let value else {
            self.writeKafkaLength(nil, compact: compact, wide: true)
            return
        }
        self.writeKafkaLength(value.readableBytes, compact: compact, wide: true)
        self.writeImmutableBuffer(value)
    }

    @inlinable
    public mutating func writeKafkaBytes(_ value: ByteBuffer, compact: Bool) {
        self.writeKafkaNullableBytes(value, compact: compact)
    }

    /// Reads an array; `nil` for a null array. Every element takes at least one byte on the wire,
    /// so a count above the remaining bytes is rejected before anything is allocated.
    @inlinable
    public mutating func readKafkaNullableArray<Element>(
        compact: Bool, _ readElement: (inout ByteBuffer) throws -> Element
    ) throws -> [Element]? {
        guard let count = try self.readKafkaLength(compact: compact, wide: true) else { return nil }
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try readElement(&self))
        }
        return elements
    }

    @inlinable
    public mutating func readKafkaArray<Element>(
        compact: Bool, _ readElement: (inout ByteBuffer) throws -> Element
    ) throws -> [Element] {
        let start = self.readerIndex
        guard let elements = try self.readKafkaNullableArray(compact: compact, readElement) else {
            throw ProtocolDecodingError(.unexpectedNull, "array", offset: start)
        }
        return elements
    }

    @inlinable
    public mutating func writeKafkaNullableArray<Element>(
        _ elements: [Element]?, compact: Bool, _ writeElement: (inout ByteBuffer, Element) -> Void
    ) {
        guard let elements else {
            self.writeKafkaLength(nil, compact: compact, wide: true)
            return
        }
        self.writeKafkaLength(elements.count, compact: compact, wide: true)
        for element in elements {
            writeElement(&self, element)
        }
    }

    @inlinable
    public mutating func writeKafkaArray<Element>(
        _ elements: [Element], compact: Bool, _ writeElement: (inout ByteBuffer, Element) -> Void
    ) {
        self.writeKafkaNullableArray(elements, compact: compact, writeElement)
    }
}

// MARK: - Tagged fields

/// A tagged field this library does not know (or not at the decoded version), kept as raw bytes
/// so that it survives a decode/encode round trip.
public struct UnknownTaggedField: Hashable, Sendable {
    public var tag: UInt32
    public var data: ByteBuffer

    public init(tag: UInt32, data: ByteBuffer) {
        self.tag = tag
        self.data = data
    }
}

extension ByteBuffer {
    /// Reads a tagged-field section, handing each field's bytes to `readKnown`; fields it does not
    /// claim (it returns false) are returned as unknown.
    @inlinable
    public mutating func readKafkaTaggedFields(
        _ readKnown: (UInt32, inout ByteBuffer) throws -> Bool
    ) throws -> [UnknownTaggedField] {
        let count = try self.readUnsignedVarint()
        guard count <= self.readableBytes else {
            throw ProtocolDecodingError(.invalidLength, "\(count) tagged fields", offset: self.readerIndex)
        }
        var unknown: [UnknownTaggedField] = []
        for _ in 0..<count {
            let tag = try self.readUnsignedVarint()
            let sizeOffset = self.readerIndex
            let size = Int(try self.readUnsignedVarint())
            guard size <= self.readableBytes, var field = self.readSlice(length: size) else {
                throw ProtocolDecodingError(.invalidLength, "tagged field \(tag) of \(size) bytes", offset: sizeOffset)
            }
            if try !readKnown(tag, &field) {
                unknown.append(UnknownTaggedField(tag: tag, data: field))
            }
        }
        return unknown
    }

    /// Writes a tagged-field section: the known fields that differ from their defaults (already
    /// encoded, with their tags) merged with the unknown ones, in ascending tag order.
    @inlinable
    public mutating func writeKafkaTaggedFields(known: [UnknownTaggedField], unknown: [UnknownTaggedField]) {
        var fields = known
        fields.append(contentsOf: unknown)
        if fields.count > 1 {
            fields.sort { $0.tag < $1.tag }
        }
        self.writeUnsignedVarint(UInt32(fields.count))
        for field in fields {
            self.writeUnsignedVarint(field.tag)
            self.writeUnsignedVarint(UInt32(field.data.readableBytes))
            self.writeImmutableBuffer(field.data)
        }
    }
}
