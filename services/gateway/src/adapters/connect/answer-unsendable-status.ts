import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

const GRPC_INTERNAL = '13';
const GRPC_INVALID_ARGUMENT = '3';
const TRAILER_FLAG = 0x80;
const PLAIN_MESSAGE = encodeURIComponent('the request could not be decoded');

/**
 * Whether connect-es failed to put an error status on a gRPC or gRPC-Web answer: it percent-encodes the message with
 * encodeURIComponent, which throws URIError on a lone surrogate. V8 leaves one in a JSON syntax error when its
 * 10-character snippet of the body splits a pair, and a JSON key written as "\ud800" leaves one in protobuf-es' error.
 */
export function isUnsendableStatus(reason: unknown, response: ServerResponse | Http2ServerResponse): boolean {
  return reason instanceof URIError && !response.headersSent;
}

/**
 * Answers in the request's gRPC protocol with a plain message instead: `invalid_argument` when the request was never
 * decoded, else `internal`. gRPC gets a trailers-only answer, gRPC-Web a lone trailer frame.
 */
export function answerUnsendableStatus(
  contentType: string,
  response: ServerResponse | Http2ServerResponse,
  decoded: boolean,
): void {
  const status = decoded ? GRPC_INTERNAL : GRPC_INVALID_ARGUMENT;
  const web = contentType.startsWith('application/grpc-web');
  const type = `application/${web ? 'grpc-web' : 'grpc'}+${/^[^;]*\+json/.test(contentType) ? 'json' : 'proto'}`;
  if (web) {
    response.writeHead(200, { 'content-type': type });
    response.end(trailerFrame(`grpc-status: ${status}\r\ngrpc-message: ${PLAIN_MESSAGE}\r\n`));
    return;
  }
  response.writeHead(200, { 'content-type': type, 'grpc-status': status, 'grpc-message': PLAIN_MESSAGE });
  response.end();
}

function trailerFrame(block: string): Uint8Array {
  const data = new TextEncoder().encode(block);
  const frame = new Uint8Array(5 + data.length);
  frame[0] = TRAILER_FLAG;
  new DataView(frame.buffer).setUint32(1, data.length);
  frame.set(data, 5);
  return frame;
}
