/// One partition log as the console and the state gauges show it.
public struct PartitionOverview: Sendable, Equatable {
    public var partition: Int32
    /// The first offset that can still be read.
    public var logStartOffset: Int64
    /// The offset up to which consumers may read (the log end offset on a single broker).
    public var highWatermark: Int64
    /// Bytes of the segment files.
    public var sizeInBytes: Int64
    public var segmentCount: Int

    public init(partition: Int32, logStartOffset: Int64, highWatermark: Int64, sizeInBytes: Int64, segmentCount: Int) {
        self.partition = partition
        self.logStartOffset = logStartOffset
        self.highWatermark = highWatermark
        self.sizeInBytes = sizeInBytes
        self.segmentCount = segmentCount
    }

    /// Records between the log start and the high watermark. Compaction can leave fewer, since it
    /// keeps offsets and removes records.
    public var messageCount: Int64 { highWatermark - logStartOffset }
}
