/** The API group, version and plural of the ConexusRepository custom resource. */
export const REPOSITORY_RESOURCE = {
  group: 'conexus.dev',
  version: 'v1alpha1',
  plural: 'conexusrepositories',
} as const;

/** Held on every ConexusRepository the controller has added to Conexus, so that deleting it removes the repository first. */
export const REPOSITORY_FINALIZER = 'conexus.dev/remove-repository';

/** What a ConexusRepository asks for. */
export interface RepositorySpec {
  /** An https:// or ssh:// git URL. */
  readonly source: string;
  /** Branch or tag; the default branch when absent. */
  readonly branch?: string;
  /** Whose credentials add the repository (the controller holds one per tenant). */
  readonly tenant: string;
  /** The repository's name in Conexus; the resource's name when absent. */
  readonly repository?: string;
  /** A re-index interval such as `15m` or `1h30m`; none: only when the spec changes. */
  readonly schedule?: string;
  readonly suspend?: boolean;
}

/** Where a repository stands, as the status shows it. */
export type RepositoryPhase = 'Pending' | 'Indexing' | 'Ready' | 'Failed' | 'Deleting';

/** A Kubernetes condition (metav1.Condition). */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly observedGeneration?: number;
  readonly lastTransitionTime: string;
  readonly reason: string;
  readonly message: string;
}

/** What the controller reports on a ConexusRepository. */
export interface RepositoryStatus {
  readonly phase?: RepositoryPhase;
  readonly repository?: string;
  readonly commit?: string;
  readonly chunks?: number;
  readonly filesIndexed?: number;
  readonly lagSeconds?: number;
  readonly jobId?: string;
  readonly lastIndexedAt?: string;
  readonly lastScheduledAt?: string;
  readonly message?: string;
  readonly observedGeneration?: number;
  readonly conditions?: readonly Condition[];
}

/** The parts of a ConexusRepository object the controller reads. */
export interface ConexusRepository {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly generation?: number;
    readonly resourceVersion?: string;
    readonly deletionTimestamp?: string | Date;
    readonly finalizers?: readonly string[];
  };
  readonly spec: RepositorySpec;
  readonly status?: RepositoryStatus;
}

/** The repository's name in Conexus. */
export function repositoryName(resource: ConexusRepository): string {
  return resource.spec.repository || resource.metadata.name;
}

/** A schedule such as `1h30m` in milliseconds; undefined when absent or malformed. */
export function scheduleMs(schedule: string | undefined): number | undefined {
  if (!schedule || !/^(\d+[smh])+$/.test(schedule)) return undefined;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000 } as const;
  let total = 0;
  for (const [, amount, suffix] of schedule.matchAll(/(\d+)([smh])/g))
    total += Number(amount) * unit[suffix as 's' | 'm' | 'h'];
  return total > 0 ? total : undefined;
}
