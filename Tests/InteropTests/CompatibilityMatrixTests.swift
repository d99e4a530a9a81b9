import Foundation
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// The client compatibility matrix (`Interop/compatibility/run_matrix.py`: kafka-python 3 and 2,
    /// aiokafka, confluent-kafka and kcat against the built `samsa` executable) must not lose a cell:
    /// whatever passes in the committed results.json (from which COMPATIBILITY.md was written) passes.
    @Suite("Client compatibility matrix", .serialized)
    struct CompatibilityMatrixTests {
        @Test(.timeLimit(.minutes(15)))
        func noCellThatPassesInTheCommittedMatrixFails() async throws {
            // Kept when a cell fails: the broker's and every driver's log are in it.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-matrix-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            _ = try await PythonSubprocess.runScenario(
                path: InteropPaths.compatibilityFolder + "/run_matrix.py",
                arguments: [
                    "samsa": try TestPrerequisites.samsaExecutable(),
                    "results": folder + "/results.json",
                    "markdown": folder + "/COMPATIBILITY.md",
                    "logs": folder + "/logs",
                ],
                pythonPath: [], timeout: .seconds(840))
            let committed = try CompatibilityResults(contentsOfFile: InteropPaths.compatibilityFolder + "/results.json")
            let current = try CompatibilityResults(contentsOfFile: folder + "/results.json")
            #expect(!committed.passingCells.isEmpty, "the committed matrix has passing cells")
            let regressions = committed.passingCells.filter { current.cells[$0.client]?[$0.feature]?.status != "pass" }
            for (client, feature) in regressions {
                let cell = current.cells[client]?[feature]
                Issue.record(
                    "\(client) \(feature) passes in the committed matrix, now \(cell?.status ?? "missing"): \(cell?.reason ?? "") (logs in \(folder)/logs)"
                )
            }
            if regressions.isEmpty { try? FileManager.default.removeItem(atPath: folder) }
        }
    }
}
