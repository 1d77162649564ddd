import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import {
  Code,
  ConnectError,
  createConnectRouter,
  createContextValues,
  type ConnectRouter,
  type ConnectRouterOptions,
  type ContextValues,
  type Interceptor,
} from '@connectrpc/connect';
import type { UniversalServerResponse } from '@connectrpc/connect/protocol';
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from '@connectrpc/connect-node';
import { readBodyLingering } from '../http/read-body-lingering.js';
import { answerUnsendableStatus, isUnsendableStatus } from './answer-unsendable-status.js';
import { recodeDecodingFailure } from './recode-decoding-failure.js';

/** What the Connect edge serves: the routes and the router's options (interceptors, limits, JSON options). */
export interface ServeConnectOptions extends ConnectRouterOptions {
  readonly routes: (router: ConnectRouter) => void;
}

/** A Node.js request handler for both HTTP versions. */
export type ConnectNodeHandler = (
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
) => void;

/**
 * Serves the routes over Connect, gRPC and gRPC-Web like connect-node's adapter, except that a request the protocol
 * layer could not decode (bad protobuf bytes, a truncated gzip body, a compressed frame with no encoding, bad base64)
 * is answered `invalid_argument`: connect-es reports those as `internal`, though the client sent them.
 */
export function serveConnect(options: ServeConnectOptions): ConnectNodeHandler {
  // why: a request whose handler ran was decoded; an internal failure of any other request is a decoding failure.
  const decoded = new WeakSet<ContextValues>();
  const markDecoded: Interceptor = (next) => (request) => {
    if (!request.stream) {
      decoded.add(request.contextValues);
      return next(request);
    }
    // why: a stream's messages are decoded as the handler reads them; it counts as decoded once one arrives or it ends.
    const messages = request.message;
    const counted = async function* () {
      for await (const message of messages) {
        decoded.add(request.contextValues);
        yield message;
      }
      decoded.add(request.contextValues);
    };
    return next({ ...request, message: counted() });
  };
  const router = createConnectRouter({
    acceptCompression: [compressionGzip, compressionBrotli],
    ...options,
    interceptors: [markDecoded, ...(options.interceptors ?? [])],
  });
  options.routes(router);
  const handlers = new Map(router.handlers.map((handler) => [handler.requestPath, handler]));
  return (request, response) => {
    const handler = handlers.get((request.url ?? '').split('?', 2)[0] ?? '');
    if (!handler) {
      response.writeHead(404);
      response.end();
      return;
    }
    const values = createContextValues();
    const universal = {
      ...universalRequestFromNodeRequest(request, response, undefined, values),
      body: readBodyLingering(request),
    };
    handler(universal)
      .then((answer: UniversalServerResponse) =>
        universalResponseToNodeResponse(
          recodeDecodingFailure(answer, () => !decoded.has(values)),
          response,
        ),
      )
      .catch((reason: unknown) => {
        // why: the client went away mid-answer; there is nobody left to tell.
        if (ConnectError.from(reason).code === Code.Aborted) return;
        if (isUnsendableStatus(reason, response))
          return answerUnsendableStatus(request.headers['content-type'] ?? '', response, decoded.has(values));
        response.destroy();
      });
  };
}
