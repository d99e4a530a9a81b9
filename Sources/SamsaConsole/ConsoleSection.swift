/// The console's top-level pages, for the navigation bar.
enum ConsoleSection: CaseIterable {
    case overview
    case topics
    case groups

    var title: String {
        switch self {
        case .overview: "Overview"
        case .topics: "Topics"
        case .groups: "Consumer groups"
        }
    }

    var path: String {
        switch self {
        case .overview: "/"
        case .topics: "/topics"
        case .groups: "/groups"
        }
    }
}
