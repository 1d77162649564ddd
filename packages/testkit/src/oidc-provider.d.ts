// why: oidc-provider ships no type declarations; these cover only the parts start-oidc-provider.ts uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** How the provider issues access tokens for one resource server (audience). */
  export interface ResourceServerInfo {
    audience?: string;
    scope: string;
    accessTokenFormat?: 'jwt' | 'opaque';
    accessTokenTTL?: number;
  }

  /** A registered client, as the provider's models see it. */
  export interface Client {
    readonly clientId: string;
  }

  /** A token model instance; `save()` signs (JWT format) and stores it, resolving to the token value. */
  export interface SavableToken {
    save(): Promise<string>;
  }

  /** The input of `new provider.AccessToken(...)`. */
  export interface AccessTokenInput {
    accountId: string;
    client: Client;
    resourceServer: unknown;
    scope?: string;
    extra?: Record<string, unknown>;
    expiresIn?: number;
    iat?: number;
    exp?: number;
  }

  /** An ID token model instance. */
  export interface IdTokenModel {
    scope: string;
    issue(options: { use: 'idtoken' }): Promise<string>;
  }

  /** The provider's error classes (only those the testkit throws). */
  export const errors: { InvalidTarget: new (description?: string) => Error };

  /** A Koa application that is a complete OpenID provider. */
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    urlFor(name: string): string;
    on(event: string, listener: (...args: unknown[]) => void): this;
    readonly Client: { find(id: string): Promise<Client | undefined> };
    readonly AccessToken: new (input: AccessTokenInput) => SavableToken;
    readonly IdToken: new (claims: Record<string, unknown>, options: { client: Client }) => IdTokenModel;
    readonly ResourceServer: new (identifier: string, info: ResourceServerInfo) => unknown;
  }
}
