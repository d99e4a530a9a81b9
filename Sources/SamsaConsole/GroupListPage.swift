import KafkaBroker

/// Every consumer group with its state, members and total lag.
struct GroupListPage {
    var groups: [ConsumerGroupOverview]

    func render() -> String {
        let rows = groups.map { group in
            let id = HTMLText.escape(group.groupId)
            let description = group.description
            return """
                <tr data-group="\(id)"><td><a href="/groups/\(PercentEncoding.encodePathSegment(group.groupId))">\(id)</a></td>\
                <td><span class="state">\(description.state.rawValue)</span></td>\
                <td>\(HTMLText.escape(description.protocolType))\(description.protocolName.isEmpty ? "" : " / " + HTMLText.escape(description.protocolName))</td>\
                <td class="number">\(group.members.count)</td>\
                <td class="number">\(group.offsets.count)</td>\
                <td class="number total-lag">\(DisplayFormat.count(group.totalLag))</td></tr>
                """
        }
        let table =
            groups.isEmpty
            ? #"<p class="muted">No consumer groups yet.</p>"#
            : """
            <table id="groups">
            <thead><tr><th>Group</th><th>State</th><th>Protocol</th><th class="number">Members</th><th class="number">Partitions with offsets</th><th class="number">Total lag</th></tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            """
        return ConsoleLayout.page(title: "Consumer groups", section: .groups, body: table)
    }
}
