import {
  ApiException,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { REPOSITORY_RESOURCE, type ConexusRepository } from '../../domain/conexus-repository.js';
import type { RepositoryResources } from '../../ports/repository-resources.js';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Reads and writes ConexusRepository objects in `namespace` through the Kubernetes API. */
export function openRepositoryResources(config: KubeConfig, namespace: string): RepositoryResources {
  const api = config.makeApiClient(CustomObjectsApi);
  const { group, version, plural } = REPOSITORY_RESOURCE;
  const path = `/apis/${group}/${version}/namespaces/${namespace}/${plural}`;
  const informer = makeInformer<KubernetesObject>(config, path, () =>
    api.listNamespacedCustomObject({ group, version, namespace, plural }),
  );
  let stopped = false;
  const patch = async (name: string, body: object, subresource: 'status' | 'main'): Promise<void> => {
    const request = { group, version, namespace, plural, name, body };
    try {
      if (subresource === 'status') await api.patchNamespacedCustomObjectStatus(request, MERGE_PATCH);
      else await api.patchNamespacedCustomObject(request, MERGE_PATCH);
    } catch (error) {
      // why: the object went away meanwhile; there is nothing left to write to.
      if (error instanceof ApiException && error.code === 404) return;
      throw error;
    }
  };
  return {
    async watch(changed) {
      const notify = (resource: KubernetesObject): void => changed(resource.metadata?.name ?? '');
      informer.on('add', notify);
      informer.on('update', notify);
      informer.on('delete', notify);
      // why: the informer stops on a watch error; it resumes after a pause, as client-go's reflector does.
      informer.on('error', () => {
        if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 2_000);
      });
      await informer.start();
    },
    // why: custom objects arrive as the API's JSON; the CRD's schema guarantees the shape the domain reads.
    get: (name) => informer.get(name, namespace) as unknown as ConexusRepository | undefined,
    names: () => informer.list(namespace).map((resource) => resource.metadata?.name ?? ''),
    async setFinalizers(resource, finalizers) {
      // why: the resourceVersion makes the write conditional, so a finalizer list changed by someone else is not overwritten.
      await patch(
        resource.metadata.name,
        { metadata: { finalizers, resourceVersion: resource.metadata.resourceVersion } },
        'main',
      );
    },
    async setStatus(resource, status) {
      await patch(resource.metadata.name, { status }, 'status');
    },
    async stop() {
      stopped = true;
      await informer.stop();
    },
  };
}
