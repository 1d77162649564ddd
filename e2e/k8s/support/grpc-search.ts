import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { credentials, Client, Metadata, type ServiceError } from '@grpc/grpc-js';
import { SearchRequestSchema, SearchResponseSchema, type SearchResponse } from '@conexus/api';

/** Where a gRPC client connects: an address, the name its certificate carries, and the CA that signed it. */
export interface GrpcTarget {
  readonly address: string;
  readonly serverName: string;
  readonly ca: Buffer;
}

/** One Search over gRPC with TLS (@grpc/grpc-js, as internal platforms call the gateway), bearer `token`. */
export async function grpcSearch(target: GrpcTarget, token: string, query: string): Promise<SearchResponse> {
  const client = new Client(target.address, credentials.createSsl(target.ca), {
    'grpc.ssl_target_name_override': target.serverName,
    'grpc.default_authority': target.serverName,
  });
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  try {
    return await new Promise<SearchResponse>((resolve, reject) => {
      client.makeUnaryRequest(
        '/conexus.v1.ContextService/Search',
        (request: ReturnType<typeof create<typeof SearchRequestSchema>>) =>
          Buffer.from(toBinary(SearchRequestSchema, request)),
        (bytes: Buffer) => fromBinary(SearchResponseSchema, bytes),
        create(SearchRequestSchema, { query, topK: 5 }),
        metadata,
        { deadline: Date.now() + 20_000 },
        (error: ServiceError | null, response?: SearchResponse) =>
          error || !response ? reject(error ?? new Error('no response')) : resolve(response),
      );
    });
  } finally {
    client.close();
  }
}
