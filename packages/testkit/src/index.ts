export { FAST, startCluster, type Cluster, type ClusterOptions } from './cluster.js';
export { eventually, freePort, ROOT, startProcess, type ServiceProcess } from './service-process.js';
