import ArgumentParser
import Foundation
import KafkaBroker

/// `samsa settings-table README.md`: rewrites the README's table of broker settings from their
/// declarations (a test fails while the committed table differs). Without a file it prints the table.
struct SettingsTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings-table",
        abstract: "Writes the table of broker settings between the README's markers.",
        shouldDisplay: false
    )

    @Argument(help: "The README to rewrite.")
    var readme: String?

    func run() throws {
        guard let readme else {
            print(BrokerSettingsDocumentation.markdown)
            return
        }
        let text = try readTextFile(readme)
        guard let updated = BrokerSettingsDocumentation.replacingTable(in: text) else {
            throw ValidationError(
                "\(readme) has no settings table markers: add the lines\n\(BrokerSettingsDocumentation.beginMarker)\n\(BrokerSettingsDocumentation.endMarker)"
            )
        }
        try updated.write(toFile: readme, atomically: true, encoding: .utf8)
    }
}
