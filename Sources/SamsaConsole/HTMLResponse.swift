import Hummingbird
import NIOCore

/// Responses of the console: HTML pages and the Prometheus text exposition.
enum HTMLResponse {
    static func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func notFound(_ message: String) -> Response {
        page(NotFoundPage(message: message).render(), status: .notFound)
    }
}
