/// The `--reset-offsets` target: `--to-earliest`, `--to-latest`, `--to-current`, `--to-offset N`
/// or `--shift-by N`.
enum OffsetResetScenario {
    case earliest, latest, current
    case offset(Int64)
    case shift(Int64)
}
