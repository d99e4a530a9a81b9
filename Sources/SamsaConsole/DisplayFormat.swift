/// How the console writes sizes, counts, durations and times: short, human, and the same on
/// every page.
enum DisplayFormat {
    /// 1023 B, 1.5 KiB, 12.0 MiB …
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(count)
        var unit = 0
        while abs(value) >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : "\(oneDecimal(value)) \(units[unit])"
    }

    /// 1234567 → "1,234,567".
    static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    static func rate(_ perSecond: Double) -> String {
        perSecond < 10 ? oneDecimal(perSecond) : count(Int64(perSecond.rounded()))
    }

    /// "3 d 4 h", "5 h 2 min", "42 s".
    static func duration(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3_600 { return "\(seconds / 60) min \(seconds % 60) s" }
        if seconds < 86_400 { return "\(seconds / 3_600) h \(seconds % 3_600 / 60) min" }
        return "\(seconds / 86_400) d \(seconds % 86_400 / 3_600) h"
    }

    /// "12.3 ms", for short durations such as start-up recovery.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(oneDecimal(Double(seconds) * 1_000 + Double(attoseconds) / 1e15)) ms"
    }

    /// A retention setting in Kafka's milliseconds; -1 means forever.
    static func retention(ms: Int64) -> String {
        guard ms >= 0 else { return "forever" }
        if ms % 86_400_000 == 0 { return "\(ms / 86_400_000) d" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000) h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000) min" }
        return "\(ms) ms"
    }

    /// Milliseconds since the epoch as `2024-05-01 12:34:56.789 UTC`; "–" for Kafka's -1 (none).
    static func timestamp(ms: Int64) -> String {
        guard ms >= 0 else { return "–" }
        let days = ms / 86_400_000
        let dayMs = ms % 86_400_000
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return "\(year)-\(pad(month, 2))-\(pad(day, 2)) \(pad(dayMs / 3_600_000, 2)):\(pad(dayMs / 60_000 % 60, 2)):"
            + "\(pad(dayMs / 1_000 % 60, 2)).\(pad(dayMs % 1_000, 3)) UTC"
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
