#!/usr/bin/env node
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { runService } from '@conexus/service-config';
import { openTenantGateways } from './adapters/gateway/tenant-gateways.js';
import { startLeaseElection } from './adapters/kube/lease-election.js';
import { openRepositoryResources } from './adapters/kube/repository-resources.js';
import { startRepositoryController, type RepositoryController } from './app/repository-controller.js';
import { readControllerConfig } from './config.js';

await runService({
  name: 'controller',
  readConfig: readControllerConfig,
  health: (config) => config.health,
  start: async (config, { log }) => {
    const kube = new KubeConfig();
    // why: in a pod this is the ServiceAccount's token; elsewhere $KUBECONFIG or ~/.kube/config.
    kube.loadFromDefault();
    const gateways = openTenantGateways({
      gatewayUrl: config.gatewayUrl,
      caFile: config.gatewayCaFile || undefined,
      credentialsDir: config.credentialsDir,
    });
    let running: Promise<RepositoryController | undefined> = Promise.resolve(undefined);
    const election = startLeaseElection({
      api: kube.makeApiClient(CoordinationV1Api),
      namespace: config.namespace,
      name: config.leaseName,
      identity: config.identity,
      log,
      lead: (signal) => {
        // why: the CRD may be installed after the controller starts; watching is retried until it works or the lead ends.
        const start = async (): Promise<RepositoryController | undefined> => {
          while (!signal.aborted) {
            try {
              return await startRepositoryController({
                resources: openRepositoryResources(kube, config.namespace),
                gateways,
                log,
              });
            } catch (error) {
              log.error('the controller could not start watching', { error: String(error) });
              await new Promise((resolve) => setTimeout(resolve, 5_000));
            }
          }
          return undefined;
        };
        running = start();
        signal.addEventListener('abort', () => void running.then((controller) => controller?.stop()), { once: true });
      },
    });
    log.info('controller started', { namespace: config.namespace, lease: config.leaseName, identity: config.identity });
    return {
      ready: () => true,
      async stop() {
        await election.stop();
        await (await running)?.stop();
        gateways.close();
      },
    };
  },
});
