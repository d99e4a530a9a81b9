import KafkaBroker
import NIOCore

/// One consumer group: its members with their assignments, and its lag per partition.
struct GroupPage {
    var group: ConsumerGroupOverview

    func render() -> String {
        let description = group.description
        let memberRows = group.members.map { member in
            let assignment: String
            if member.assignment.readableBytes == 0 {
                assignment = #"<span class="muted">none yet</span>"#
            } else if description.protocolType == "consumer", let decoded = ConsumerAssignment(member.assignment) {
                assignment = HTMLText.escape(decoded.summary)
            } else {
                assignment = RecordBytesText.html(member.assignment)
            }
            return """
                <tr><td>\(HTMLText.escape(member.memberId))</td><td>\(HTMLText.escape(member.clientId))</td>\
                <td>\(HTMLText.escape(member.clientHost))</td><td>\(member.groupInstanceId.map(HTMLText.escape) ?? "–")</td>\
                <td>\(assignment)</td></tr>
                """
        }
        let lagRows = group.offsets.map { offset in
            let lag = offset.lag.map { DisplayFormat.count($0) } ?? "partition gone"
            return """
                <tr data-partition="\(HTMLText.escape(offset.topic))-\(offset.partition)">\
                <td><a href="/topics/\(PercentEncoding.encodePathSegment(offset.topic))">\(HTMLText.escape(offset.topic))</a></td>\
                <td class="number">\(offset.partition)</td>\
                <td class="number">\(DisplayFormat.count(offset.committedOffset))</td>\
                <td class="number">\(offset.highWatermark.map { DisplayFormat.count($0) } ?? "–")</td>\
                <td class="number lag">\(lag)</td></tr>
                """
        }
        let membersHTML =
            group.members.isEmpty
            ? #"<p class="muted">No members.</p>"#
            : """
            <table id="members">
            <thead><tr><th>Member</th><th>Client id</th><th>Host</th><th>Instance id</th><th>Assignment</th></tr></thead>
            <tbody>
            \(memberRows.joined(separator: "\n"))
            </tbody>
            </table>
            """
        let lagHTML =
            group.offsets.isEmpty
            ? #"<p class="muted">No committed offsets.</p>"#
            : """
            <table id="lag">
            <thead><tr><th>Topic</th><th class="number">Partition</th><th class="number">Committed offset</th><th class="number">High watermark</th><th class="number">Lag</th></tr></thead>
            <tbody>
            \(lagRows.joined(separator: "\n"))
            </tbody>
            </table>
            """
        return ConsoleLayout.page(
            title: "Consumer group \(group.groupId)", section: .groups,
            body: """
                <div class="cards">
                <div class="card"><div class="label">State</div><div class="value" id="group-state">\(description.state.rawValue)</div></div>
                <div class="card"><div class="label">Protocol type</div><div class="value">\(HTMLText.escape(description.protocolType.isEmpty ? "–" : description.protocolType))</div></div>
                <div class="card"><div class="label">Assignor</div><div class="value">\(HTMLText.escape(description.protocolName.isEmpty ? "–" : description.protocolName))</div></div>
                <div class="card"><div class="label">Members</div><div class="value">\(group.members.count)</div></div>
                <div class="card"><div class="label">Total lag</div><div class="value lag" id="total-lag">\(DisplayFormat.count(group.totalLag))</div></div>
                </div>
                <h2>Members</h2>
                \(membersHTML)
                <h2>Lag per partition</h2>
                \(lagHTML)
                """)
    }
}
