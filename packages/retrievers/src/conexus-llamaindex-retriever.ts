import { BaseRetriever, TextNode, type NodeWithScore, type QueryBundle } from 'llamaindex';
import { connectGateway, type GatewayClient } from '@conexus/client';
import { codeMetadata, resultId, searchRequest, type ConexusRetrieverOptions } from './search-options.js';

/** A LlamaIndex.TS retriever: each query becomes a Conexus search; each result a scored TextNode. */
export class ConexusLlamaIndexRetriever extends BaseRetriever {
  private readonly gateway: GatewayClient;

  constructor(private readonly options: ConexusRetrieverOptions) {
    super();
    this.gateway = connectGateway(options.url, options.token);
  }

  /** Searches the gateway; LlamaIndex's `retrieve` calls this. */
  async _retrieve(params: QueryBundle): Promise<NodeWithScore[]> {
    const response = await this.gateway.context.search(searchRequest(this.options, queryText(params.query)));
    return response.results.map((result) => ({
      node: new TextNode({ id_: resultId(result), text: result.text, metadata: codeMetadata(result) }),
      score: result.score,
    }));
  }
}

function queryText(query: QueryBundle['query']): string {
  if (typeof query === 'string') return query;
  return query
    .map((part: { type: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : ''))
    .join(' ');
}
