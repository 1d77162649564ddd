export { readControllerConfig, type ControllerConfig } from './config.js';
export { startRepositoryController, type RepositoryController } from './app/repository-controller.js';
export * from './domain/conexus-repository.js';
export * from './domain/plan-reconcile.js';
