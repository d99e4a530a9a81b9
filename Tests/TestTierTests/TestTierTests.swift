import Foundation
import SamsaTestSupport
import Testing

/// Every suite names its tier, and `make test-fast` skips exactly the integration suites: the
/// tags and the Makefile's name list cannot drift apart unnoticed, since `swift test` filters by
/// name only.
@Suite(.tags(.pure))
struct TestTierTests {
    struct SuiteDeclaration {
        var name: String
        var tiers: [String]
        var place: String
    }

    static let tiers = ["pure", "component", "integration"]

    /// The test sources of every test target (not the fuzzers, a package of their own).
    static func testSources() throws -> [(path: String, lines: [Substring])] {
        let folder = TestPrerequisites.packageRoot.appendingPathComponent("Tests")
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
        return try enumerator.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("Fuzz/") && !$0.hasPrefix("SamsaTestSupport/") }
            .sorted()
            .map {
                (
                    $0,
                    try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8).split(
                        separator: "\n", omittingEmptySubsequences: false)
                )
            }
    }

    /// The suites declared at the top level of a file, with the tier tags their `@Suite` carries.
    static func topLevelSuites() throws -> [SuiteDeclaration] {
        try testSources().flatMap { path, lines in
            lines.indices.compactMap { index -> SuiteDeclaration? in
                guard lines[index].hasPrefix("@Suite") else { return nil }
                let declaration = (lines[index] + " " + (lines.indices.contains(index + 1) ? lines[index + 1] : ""))
                guard let match = declaration.firstMatch(of: #/(?:struct|enum|final class|class) (\w+)/#) else { return nil }
                let tiers = tiers.filter { lines[index].contains(".tags(.\($0))") }
                return SuiteDeclaration(name: String(match.1), tiers: tiers, place: "\(path):\(index + 1)")
            }
        }
    }

    @Test func everySuiteNamesExactlyOneTier() throws {
        let suites = try Self.topLevelSuites()
        #expect(!suites.isEmpty)
        for suite in suites {
            #expect(suite.tiers.count == 1, "\(suite.place): \(suite.name) is tagged \(suite.tiers), not with exactly one tier")
        }
        // Tests outside a top-level suite take their tier from the suite they extend.
        let tiered = Set(suites.map(\.name))
        for (path, lines) in try Self.testSources() where lines.contains(where: { $0.contains("@Test") }) {
            #expect(!lines.contains { $0.hasPrefix("@Test") }, "\(path): a @Test outside any suite has no tier")
            let extended = lines.compactMap { $0.firstMatch(of: #/^extension (\w+)/#).map { String($0.1) } }
            let declaresSuite = lines.contains { $0.hasPrefix("@Suite") }
            #expect(declaresSuite || extended.contains(where: tiered.contains), "\(path): its tests are in no tiered suite")
        }
    }

    @Test func makeTestFastSkipsExactlyTheIntegrationSuites() throws {
        let makefile = try String(contentsOf: TestPrerequisites.packageRoot.appendingPathComponent("Makefile"), encoding: .utf8)
        let line = try #require(makefile.split(separator: "\n").first { $0.hasPrefix("INTEGRATION_SUITES :=") })
        let skipped = Set(
            line.dropFirst("INTEGRATION_SUITES :=".count).trimmingCharacters(in: .whitespaces).split(separator: "|").map(String.init))
        let integration = Set(try Self.topLevelSuites().filter { $0.tiers == ["integration"] }.map(\.name))
        #expect(skipped == integration)
    }
}
