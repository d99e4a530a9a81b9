import Foundation

/// Writes a fuzz target's seed corpus and exits, when the target runs with `SAMSA_FUZZ_SEEDS`
/// (the corpus folder to fill) and `SAMSA_GOLDEN_FRAMES` (the golden frames folder) set. Call it
/// from `LLVMFuzzerInitialize`, which libFuzzer runs before it reads the corpus.
public enum SeedWriter {
    public static func writeSeedsIfAsked(_ seeds: (GoldenFrames) -> [(name: String, bytes: [UInt8])]) {
        let environment = ProcessInfo.processInfo.environment
        guard let corpus = environment["SAMSA_FUZZ_SEEDS"], let golden = environment["SAMSA_GOLDEN_FRAMES"] else { return }
        do {
            try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
            let written = seeds(try GoldenFrames(folder: golden))
            for (name, bytes) in written {
                try Data(bytes).write(to: URL(fileURLWithPath: corpus + "/seed-" + name))
            }
            print("Wrote \(written.count) seeds to \(corpus)")
            finish(status: 0)
        } catch {
            print("Cannot write the seeds: \(error)")
            finish(status: 1)
        }
    }

    /// Exits without the exit handlers, whose leak check would report what the process still
    /// holds as leaked.
    private static func finish(status: Int32) -> Never {
        fflush(nil)
        _exit(status)
    }
}
