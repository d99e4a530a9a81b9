import Foundation

func readTextFile(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}
