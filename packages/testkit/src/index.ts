export { FAST, startCluster, type Cluster, type ClusterAccess, type ClusterOptions } from './cluster.js';
export { eventually, freePort, ROOT, startProcess, type ServiceProcess } from './service-process.js';
export { issueTestCertificates, type CertificateSubject, type TestCertificates } from './issue-test-certificates.js';
export { startGitHttpsServer, type GitHttpsServer } from './start-git-https-server.js';
export { startNatsServer, type NatsServer } from './start-nats-server.js';
export { useNatsServer } from './use-nats-server.js';
export {
  startOidcProvider,
  type AccessTokenRequest,
  type IdTokenRequest,
  type OidcProvider,
  type OidcProviderOptions,
} from './start-oidc-provider.js';
