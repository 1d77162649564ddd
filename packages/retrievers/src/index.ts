export { ConexusRetriever } from './conexus-langchain-retriever.js';
export { ConexusLlamaIndexRetriever } from './conexus-llamaindex-retriever.js';
export type { CodeMetadata, ConexusRetrieverOptions } from './search-options.js';
