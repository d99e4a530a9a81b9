import Hummingbird

/// Turns the router's plain 404 for an address without a route into the console's 404 page.
struct NotFoundPageMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return HTMLResponse.notFound("There is no page at \(request.uri.path).")
        }
    }
}
