import Foundation

/// Parses `--add-config k1=v1,k2=[v1,v2],k3=v3` the way kafka-configs.sh does: commas inside
/// square brackets belong to the value, and the brackets are dropped.
enum ConfigAssignments {
    static func parse(_ text: String) throws(CommandFailure) -> [String: String] {
        var assignments: [String: String] = [:]
        for item in splitOutsideBrackets(text) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .standardError(
                    "requirement failed: Invalid entity config: all configs to be added must be in the format \"key=val\" or \"key=[val1,val2]\"."
                )
            }
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("[") && value.hasSuffix("]") { value = String(value.dropFirst().dropLast()) }
            assignments[parts[0].trimmingCharacters(in: .whitespaces)] = value
        }
        return assignments
    }

    private static func splitOutsideBrackets(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "[": depth += 1
            case "]": depth = max(0, depth - 1)
            case "," where depth == 0:
                items.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        items.append(current)
        return items
    }
}
