// The types of other modules that appear in KafkaClient's public API, re-exported so that an
// application importing only KafkaClient can name them (`let bytes: ByteBuffer`,
// `error.errorCode == ErrorCode.topicAlreadyExists`) without declaring swift-nio, swift-log or
// swift-service-lifecycle itself.
@_exported import struct KafkaProtocol.ErrorCode
@_exported import struct KafkaProtocol.KafkaUUID
@_exported import struct Logging.Logger
@_exported import struct NIOCore.ByteBuffer
@_exported import protocol NIOCore.EventLoopGroup
@_exported import class NIOPosix.MultiThreadedEventLoopGroup
@_exported import protocol ServiceLifecycle.Service
