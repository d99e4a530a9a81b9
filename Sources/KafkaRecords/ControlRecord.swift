import NIOCore

/// Which way a transaction ended, as a control record's key says (Kafka's `ControlRecordType`).
public enum ControlRecordType: Int16, Hashable, Sendable {
    case abort = 0
    case commit = 1
}

/// A transaction marker: the single record of a control batch that a transaction coordinator
/// has written into every partition of a transaction when it ends (Kafka's
/// `EndTransactionMarker`). Key: version (int16, 0) and type (int16); value: version (int16, 0)
/// and the coordinator epoch (int32).
public struct ControlRecord: Hashable, Sendable {
    public var type: ControlRecordType
    public var coordinatorEpoch: Int32

    static let currentVersion: Int16 = 0

    public init(type: ControlRecordType, coordinatorEpoch: Int32) {
        self.type = type
        self.coordinatorEpoch = coordinatorEpoch
    }

    /// Reads a marker from a control record. Only the key's type is required to be known; a value
    /// from a newer version still starts with the coordinator epoch after its version.
    public init(key: ByteBuffer?, value: ByteBuffer?) throws(RecordBatchError) {
        guard var key, key.readableBytes >= 4, key.readInteger(as: Int16.self)! >= 0 else {
            throw RecordBatchError(.invalidRecord, "a control record needs a key of version and type")
        }
        let rawType = key.readInteger(as: Int16.self)!
        guard let type = ControlRecordType(rawValue: rawType) else {
            throw RecordBatchError(.invalidRecord, "unknown control record type \(rawType)")
        }
        guard var value, value.readableBytes >= 6 else {
            throw RecordBatchError(.invalidRecord, "a transaction marker needs a value of version and coordinator epoch")
        }
        value.moveReaderIndex(forwardBy: 2)
        self.init(type: type, coordinatorEpoch: value.readInteger(as: Int32.self)!)
    }

    /// Reads the marker of a control batch, which holds exactly one record.
    public init(batch: RecordBatch) throws(RecordBatchError) {
        guard batch.header.attributes.isControl else {
            throw RecordBatchError(.invalidRecord, "batch \(batch.header.baseOffset) is not a control batch")
        }
        let records = try batch.records()
        guard records.count == 1 else {
            throw RecordBatchError(.invalidRecord, "a control batch holds \(records.count) records, not 1")
        }
        try self.init(key: records[0].key, value: records[0].value)
    }

    public var key: ByteBuffer {
        var key = ByteBuffer()
        key.writeInteger(Self.currentVersion)
        key.writeInteger(type.rawValue)
        return key
    }

    public var value: ByteBuffer {
        var value = ByteBuffer()
        value.writeInteger(Self.currentVersion)
        value.writeInteger(coordinatorEpoch)
        return value
    }

    /// The control batch carrying this marker for the producer whose transaction it ends: the
    /// transactional and control attributes set, no sequence (markers are not deduplicated).
    public func batch(producerId: Int64, producerEpoch: Int16, timestamp: Int64) throws(RecordBatchError) -> ByteBuffer {
        var builder = RecordBatchBuilder(producerId: producerId, producerEpoch: producerEpoch, baseSequence: -1)
        builder.isTransactional = true
        builder.isControl = true
        builder.append(timestamp: timestamp, key: key, value: value)
        return try builder.build()
    }
}
