import Foundation
import KafkaBroker
import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

/// Every console page loaded in headless Chromium from a running broker with topics, records and
/// groups in it; the DOM the browser built must show the broker's figures.
@Suite("Console pages", .serialized, .tags(.integration))
struct ConsolePagesTests {
    /// Screenshots for people to look at, in the package's build folder.
    static let screenshotFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/console-screenshots").path

    /// Two topics with records (text, a header, binary), a Stable group with lag on every partition
    /// it owns, and a group without members whose id needs escaping.
    static func fill(_ broker: InProcessBroker) async throws {
        try await RawKafkaConnection.with(port: broker.port, clientId: "billing-client") { wire in
            try await wire.createTopic("orders", partitions: 3)
            try await wire.createTopic("payments", partitions: 1)
            try await wire.produce(
                "orders", partition: 0,
                records: (1...4).map { ("order-\($0)", ByteBuffer(string: #"{"order":\#($0),"total":12.5}"#), []) })
            try await wire.produce(
                "orders", partition: 1,
                records: [
                    ("order-5", ByteBuffer(string: "express"), [RecordHeader(key: "trace", value: ByteBuffer(string: "trace-42"))]),
                    ("order-6", nil, []),
                ])
            try await wire.produce("orders", partition: 2, records: [(nil, ByteBuffer(bytes: [0x00, 0xFF, 0x10]), [])])
            try await wire.produce("payments", partition: 0, values: ["p1", "p2", "p3"])
            let member = try await wire.joinAsSoleMember(group: "billing", assignment: [("orders", [0, 1, 2])])
            try await wire.commit(
                group: "billing", memberId: member.memberId, generation: member.generation,
                [("orders", 0, 1), ("orders", 1, 2), ("orders", 2, 0)])
            try await wire.commit(group: "audit team/eu&1", [("payments", 0, 1)])
        }
    }

    /// The table row that starts with `marker` (an attribute of its `<tr>`).
    static func row(_ marker: String, in dom: String) -> Substring? {
        guard let start = dom.range(of: "<tr \(marker)") else { return nil }
        guard let end = dom[start.upperBound...].range(of: "</tr>") else { return nil }
        return dom[start.lowerBound..<end.upperBound]
    }

    @Test func everyPageShowsTheBrokersData() async throws {
        try await InProcessBroker.withConsole(sampleInterval: .milliseconds(200)) { broker, consolePort in
            try await Self.fill(broker)
            // The overview draws its chart from the first traffic reading on; until then it says it is collecting.
            let charted = try await waitUntil(timeout: .seconds(10)) {
                try await HTTPGet(port: consolePort, path: "/").body.contains(#"<svg class="chart""#)
            }
            #expect(charted, "a traffic reading within 10 s at a 200 ms sample interval")
            let base = "http://127.0.0.1:\(consolePort)"

            // One Chromium at a time: a burst of them would starve the timing-sensitive tests
            // that run beside this one on two cores.
            let overview = try await HeadlessChromium.dumpDOM(base + "/")
            let topics = try await HeadlessChromium.dumpDOM(base + "/topics")
            let orders = try await HeadlessChromium.dumpDOM(base + "/topics/orders")
            let groups = try await HeadlessChromium.dumpDOM(base + "/groups")
            let billing = try await HeadlessChromium.dumpDOM(base + "/groups/billing")
            let audit = try await HeadlessChromium.dumpDOM(base + "/groups/audit%20team%2Feu%261")
            let missing = try await HeadlessChromium.dumpDOM(base + "/topics/nope")

            #expect(overview.contains("Samsa \(SamsaVersion.current)"))
            #expect(overview.contains("PLAINTEXT://127.0.0.1:\(broker.port)"))
            #expect(overview.contains(#"<svg class="chart""#))
            #expect(overview.contains(#"<meta http-equiv="refresh" content="5">"#))

            #expect(Self.row(#"data-topic="orders""#, in: topics)?.contains(#"<td class="number partitions">3</td>"#) == true)
            #expect(Self.row(#"data-topic="payments""#, in: topics)?.contains(#"<td class="number partitions">1</td>"#) == true)
            #expect(Self.row(#"data-topic="orders""#, in: topics)?.contains(#"<td class="number">7</td>"#) == true, "7 messages")
            #expect(topics.contains("__consumer_offsets"))

            #expect(orders.contains(#"<div class="value" id="partition-count">3</div>"#))
            #expect(orders.contains("order-4"))
            #expect(orders.contains(#"{"order":4,"total":12.5}"#))
            #expect(orders.contains("trace: trace-42"))
            #expect(orders.contains(#"<span class="hex">00 ff 10</span>"#))
            #expect(orders.contains("2023-11-14 22:13:20.000 UTC"))

            let billingRow = try #require(Self.row(#"data-group="billing""#, in: groups))
            #expect(billingRow.contains("Stable"))
            #expect(billingRow.contains(#"<td class="number total-lag">4</td>"#))
            #expect(groups.contains(#"href="/groups/audit%20team%2Feu%261""#))
            #expect(groups.contains("audit team/eu&amp;1"))

            #expect(billing.contains("billing-client"))
            #expect(billing.contains("/127.0.0.1"))
            #expect(billing.contains("orders: 0, 1, 2"))
            #expect(Self.row(#"data-partition="orders-0""#, in: billing)?.contains(#"<td class="number lag">3</td>"#) == true)
            #expect(Self.row(#"data-partition="orders-1""#, in: billing)?.contains(#"<td class="number lag">0</td>"#) == true)
            #expect(Self.row(#"data-partition="orders-2""#, in: billing)?.contains(#"<td class="number lag">1</td>"#) == true)
            #expect(billing.contains(#"id="total-lag">4</div>"#))

            #expect(audit.contains("Empty"))
            #expect(Self.row(#"data-partition="payments-0""#, in: audit)?.contains(#"<td class="number lag">2</td>"#) == true)

            #expect(missing.contains("<h1>Not found</h1>"))

            try FileManager.default.createDirectory(atPath: Self.screenshotFolder, withIntermediateDirectories: true)
            try await HeadlessChromium.screenshot(base + "/", to: Self.screenshotFolder + "/overview.png")
            try await HeadlessChromium.screenshot(base + "/groups/billing", to: Self.screenshotFolder + "/group-billing.png")
        }
    }

    @Test func unknownTopicsGroupsAndPagesGetA404Page() async throws {
        try await InProcessBroker.withConsole { _, consolePort in
            let topic = try await HTTPGet(port: consolePort, path: "/topics/nope")
            #expect(topic.status == 404)
            #expect(topic.headers["content-type"] == "text/html; charset=utf-8")
            #expect(topic.body.contains("There is no topic named “nope”."))
            let group = try await HTTPGet(port: consolePort, path: "/groups/%3Cscript%3E")
            #expect(group.status == 404)
            #expect(group.body.contains("There is no consumer group “&lt;script&gt;”."))
            let badEscape = try await HTTPGet(port: consolePort, path: "/groups/%zz")
            #expect(badEscape.status == 404)
            let page = try await HTTPGet(port: consolePort, path: "/nowhere")
            #expect(page.status == 404)
            #expect(page.body.contains("There is no page at /nowhere."))
            let topicList = try await HTTPGet(port: consolePort, path: "/topics")
            #expect(topicList.status == 200, "the broker still answers")
        }
    }
}
