import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { connectGateway, type GatewayClient } from '@conexus/client';
import {
  codeMetadata,
  resultId,
  searchRequest,
  type CodeMetadata,
  type ConexusRetrieverOptions,
} from './search-options.js';

/** A LangChain retriever: each query becomes a Conexus search; each result a Document with code metadata. */
export class ConexusRetriever extends BaseRetriever<CodeMetadata> {
  override lc_namespace = ['conexus', 'retrievers'];
  private readonly gateway: GatewayClient;

  constructor(private readonly options: ConexusRetrieverOptions & BaseRetrieverInput) {
    super(options);
    this.gateway = connectGateway(options.url, options.token);
  }

  /** Searches the gateway; LangChain's `invoke` and `batch` call this. */
  override async _getRelevantDocuments(query: string): Promise<Document<CodeMetadata>[]> {
    const response = await this.gateway.context.search(searchRequest(this.options, query));
    return response.results.map(
      (result) => new Document({ pageContent: result.text, metadata: codeMetadata(result), id: resultId(result) }),
    );
  }
}
