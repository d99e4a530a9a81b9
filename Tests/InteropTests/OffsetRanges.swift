/// The offsets of one partition that a consumer group has read, as sorted disjoint ranges: records
/// arrive in offset order, so a group's reading stays a handful of ranges however many records it
/// reads, and members' readings (including a confluent-kafka member's JSON report) merge cheaply.
struct OffsetRanges: Equatable {
    private(set) var ranges: [Range<Int64>] = []

    mutating func insert(_ offset: Int64) {
        if let last = ranges.last, last.upperBound == offset {
            ranges[ranges.count - 1] = last.lowerBound..<(offset + 1)
        } else {
            insert(offset..<(offset + 1))
        }
    }

    mutating func insert(_ range: Range<Int64>) {
        guard !range.isEmpty else { return }
        var merged: [Range<Int64>] = []
        var pending = range
        var placed = false
        for existing in ranges {
            if existing.upperBound < pending.lowerBound {
                merged.append(existing)
            } else if pending.upperBound < existing.lowerBound {
                if !placed {
                    merged.append(pending)
                    placed = true
                }
                merged.append(existing)
            } else {
                pending = min(existing.lowerBound, pending.lowerBound)..<max(existing.upperBound, pending.upperBound)
            }
        }
        if !placed { merged.append(pending) }
        ranges = merged
    }

    mutating func formUnion(_ other: OffsetRanges) {
        for range in other.ranges { insert(range) }
    }

    /// Whether every offset below `end` was read.
    func covers(upTo end: Int64) -> Bool {
        end == 0 || ranges.first.map { $0.lowerBound == 0 && $0.upperBound >= end } == true
    }

    /// How many offsets below `end` were not read.
    func missing(upTo end: Int64) -> Int64 {
        end - ranges.reduce(0) { $0 + max(0, min($1.upperBound, end) - min($1.lowerBound, end)) }
    }
}
