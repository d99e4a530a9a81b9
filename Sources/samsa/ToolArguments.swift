import ArgumentParser

/// Spellings Kafka's option parser accepts that ArgumentParser does not, rewritten before parsing.
enum ToolArguments {
    /// Options whose value Kafka lets you leave out, with the value it then uses.
    private static let optionalValues = ["--compression-codec": "gzip"]

    /// Options that take numbers which may be negative (`--throughput -1`, `--shift-by -2`);
    /// ArgumentParser would read the number as an option, so they are joined as `--option=-1`.
    private static let signedNumberOptions: Set<String> = ["--throughput", "--shift-by", "--to-offset", "--offset"]

    static func normalized(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            if signedNumberOptions.contains(argument), let next, next.hasPrefix("-"), Double(next) != nil {
                result.append("\(argument)=\(next)")
                index += 2
                continue
            }
            result.append(argument)
            if let implied = optionalValues[argument], next == nil || next!.hasPrefix("-") { result.append(implied) }
            index += 1
        }
        return result
    }

    /// The tool named on the command line, for the `--help` hint after an error.
    static func subcommandName(in arguments: [String]) -> String? {
        let names = Samsa.configuration.subcommands.map { $0._commandName }
        guard let first = arguments.first, names.contains(first) else { return nil }
        if first == PerfCommand._commandName, arguments.count > 1,
            PerfCommand.configuration.subcommands.map({ $0._commandName }).contains(arguments[1])
        {
            return "\(first) \(arguments[1])"
        }
        return first
    }
}
