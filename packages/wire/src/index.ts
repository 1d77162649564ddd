export {
  ALL_INDEX_EVENTS,
  HEADERS,
  HEARTBEAT_SUBJECT,
  indexEventSubject,
  policySubject,
  querySubject,
  shardQueue,
  shardSubject,
  type PolicyAdminMethod,
  type PolicyOperation,
  type QueryOperation,
  type ShardOperation,
} from './wire-catalogue.js';
