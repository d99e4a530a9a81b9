import FuzzSupport
import KafkaProtocol
import NIOCore

/// Every generated request type by API key: a frame's body is decoded as the type its header
/// names, at the header's version as the broker does, and at every other version for coverage.
private let requestTypes: [Int16: any KafkaRequestMessage.Type] = {
    let types: [any KafkaRequestMessage.Type] = [
        ProduceRequest.self, FetchRequest.self, ListOffsetsRequest.self, MetadataRequest.self, OffsetCommitRequest.self,
        OffsetFetchRequest.self, FindCoordinatorRequest.self, JoinGroupRequest.self, HeartbeatRequest.self,
        LeaveGroupRequest.self, SyncGroupRequest.self, DescribeGroupsRequest.self, ListGroupsRequest.self,
        SaslHandshakeRequest.self, ApiVersionsRequest.self, CreateTopicsRequest.self, DeleteTopicsRequest.self,
        DeleteRecordsRequest.self, InitProducerIdRequest.self, OffsetForLeaderEpochRequest.self,
        AddPartitionsToTxnRequest.self, AddOffsetsToTxnRequest.self, EndTxnRequest.self, WriteTxnMarkersRequest.self,
        TxnOffsetCommitRequest.self, DescribeConfigsRequest.self, AlterConfigsRequest.self, DescribeLogDirsRequest.self,
        SaslAuthenticateRequest.self, CreatePartitionsRequest.self, DeleteGroupsRequest.self,
        IncrementalAlterConfigsRequest.self, OffsetDeleteRequest.self, DescribeClusterRequest.self,
        DescribeProducersRequest.self, DescribeTransactionsRequest.self, ListTransactionsRequest.self, DescribeAclsRequest.self,
        CreateAclsRequest.self, DeleteAclsRequest.self, DescribeUserScramCredentialsRequest.self,
        AlterUserScramCredentialsRequest.self,
    ]
    let byKey = Dictionary(uniqueKeysWithValues: types.map { ($0.apiKey.rawValue, $0) })
    precondition(Set(byKey.keys) == Set(ApiKey.allGenerated.map(\.rawValue)), "a generated request type is missing here")
    return byKey
}()

private func decodeEveryVersion<Message: KafkaRequestMessage>(_ type: Message.Type, _ frame: KafkaRequestFrame) {
    _ = try? frame.decodeBody(type)
    for version in Message.validVersions where version != frame.apiVersion {
        _ = try? KafkaMessageCodec.decode(type, from: frame.body, version: version)
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> Int32 {
    SeedWriter.writeSeedsIfAsked(\.sizePrefixedRequests)
    return 0
}

/// The input is a byte stream from a client: frames are split off as the broker's
/// `KafkaFrameDecoder` does (at most 16, with the default 1 MiB frame limit), and each one's
/// header and body are decoded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var stream = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    var decoder = KafkaFrameDecoder(maximumFrameSize: 1 << 20)
    for _ in 0..<16 {
        guard let frame = try? decoder.decode(buffer: &stream) else { break }
        guard let request = try? KafkaRequestFrame(frame: frame), let type = requestTypes[request.apiKey.rawValue] else { continue }
        decodeEveryVersion(type, request)
    }
    return 0
}
