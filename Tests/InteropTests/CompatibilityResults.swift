import Foundation

/// `Interop/compatibility/results.json` as `run_matrix.py` writes it: per client column, per
/// feature, whether the cell passed.
struct CompatibilityResults: Decodable {
    struct Client: Decodable {
        var id: String
        var name: String
        var version: String
    }

    struct Cell: Decodable {
        /// "pass", "fail" or "unsupported".
        var status: String
        var reason: String?
    }

    var date: String
    var clients: [Client]
    /// Client column id → feature id → cell.
    var cells: [String: [String: Cell]]

    init(contentsOfFile path: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// (client, feature) of every cell that passes.
    var passingCells: [(client: String, feature: String)] {
        cells.sorted { $0.key < $1.key }.flatMap { client, features in
            features.filter { $0.value.status == "pass" }.keys.sorted().map { (client, $0) }
        }
    }
}
