/// What an unknown topic, group or address gets: a page that says what was not found, with the
/// way back, and status 404.
struct NotFoundPage {
    var message: String

    func render() -> String {
        ConsoleLayout.page(
            title: "Not found", section: nil, refreshes: false,
            body: """
                <p>\(HTMLText.escape(message))</p>
                <p><a href="/">Overview</a> · <a href="/topics">Topics</a> · <a href="/groups">Consumer groups</a></p>
                """)
    }
}
