import { AsyncLocalStorage } from 'node:async_hooks';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { systemClock, type Clock } from '../core/clock.js';
import type { ServiceName } from '../core/errors.js';
import type { CallGate } from '../util/call-gate.js';
import { createRoutingAgent, type ProxyRoute, type RouteCounts, type RoutingHttpAgent } from '../util/proxy-routing.js';
import { nullObserver, type ApiObserver } from '../util/api-observer.js';
import { awsErrorAttempts, awsErrorCode, awsErrorStatus, classifyAwsError, isThrottlingError } from './aws-errors.js';

/**
 * Builds the AWS SDK clients: one per (service, region), cached, all sharing one HTTP handler (the
 * proxy-routing agents and timeouts) and one credential provider. Endpoints come only from the SDK's
 * standard resolution (`AWS_ENDPOINT_URL_GUARDDUTY` / `_EC2` / `_STS` / `_S3`, shared config); there is no
 * private endpoint switch.
 */

export type AwsCredentialsSource =
  | { kind: 'static'; accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }
  /** The SDK's default chain: env, shared files, SSO, web identity, container and instance roles. */
  | { kind: 'default-chain' };

export type AwsCredentialsMode =
  | AwsCredentialsSource
  | {
      kind: 'assume-role';
      roleArn: string;
      roleSessionName: string;
      /** 900–43200 (STS enforces it). */
      durationSeconds?: number | undefined;
      externalId?: string | undefined;
      /** Credentials that call AssumeRole. */
      source: AwsCredentialsSource;
    };

export interface AwsClientsOptions {
  /** Region of STS (and of DescribeRegions, for the caller). */
  masterRegion: string;
  credentials: AwsCredentialsMode;
  proxy?: ProxyRoute | undefined;
  /** Per-request timeout (ms); default 30 s. The connection timeout is min(timeoutMs, 10 s). */
  timeoutMs?: number | undefined;
  /** The SDK's attempts per call (standard retry mode); default 3. We never retry on top of it. */
  maxAttempts?: number | undefined;
  /** AssumeRole calls (credential refreshes) are reported here. */
  observer?: ApiObserver | undefined;
  clock?: Clock | undefined;
  /** Closed by a stopping daemon: the SDK makes no further attempt (no retry after "Stopped"). */
  gate?: CallGate | undefined;
}

type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;
type Credentials = Awaited<ReturnType<CredentialProvider>>;

/** Refresh assumed-role credentials this long before they expire (the SDK's own window). */
const REFRESH_WINDOW_MS = 5 * 60_000;

/** Per logical call: how many attempts failed with throttling (filled by a middleware, read by the caller). */
export interface CallStats {
  throttles: number;
}
const callStats = new AsyncLocalStorage<CallStats>();

/** Runs one SDK call and counts its throttled attempts (the SDK retries them inside `send`). */
export async function withCallStats<T>(run: () => Promise<T>): Promise<{ result: T; stats: CallStats } | { error: unknown; stats: CallStats }> {
  const stats: CallStats = { throttles: 0 };
  try {
    return { result: await callStats.run(stats, run), stats };
  } catch (error) {
    return { error, stats };
  }
}

export class AwsClients {
  private readonly handler: NodeHttpHandler;
  private readonly agents: Record<'http' | 'https', RoutingHttpAgent>;
  private readonly credentials: CredentialProvider | Credentials;
  private readonly cache = new Map<string, GuardDutyClient | EC2Client | STSClient | S3Client>();

  constructor(private readonly options: AwsClientsOptions) {
    const timeout = options.timeoutMs ?? 30_000;
    const route = options.proxy ?? {};
    this.agents = { http: createRoutingAgent(false, route), https: createRoutingAgent(true, route) };
    this.handler = new NodeHttpHandler({
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      requestTimeout: timeout,
      // Without this the handler only logs a warning when requestTimeout passes (smithy keeps the
      // old socket-idle behaviour by default); we want a TimeoutError the SDK can retry.
      throwOnRequestTimeout: true,
      connectionTimeout: Math.min(timeout, 10_000),
    });
    this.credentials = this.buildCredentials(options.credentials);
  }

  /** Requests sent through the proxy and straight to AWS so far, by the endpoints' scheme (each has its proxy). */
  get routed(): Record<'http' | 'https', RouteCounts> {
    return { http: { ...this.agents.http.routed }, https: { ...this.agents.https.routed } };
  }

  get masterRegion(): string {
    return this.options.masterRegion;
  }

  guardDuty(region: string): GuardDutyClient {
    return this.cached('guardduty', region, (config) => {
      const client = new GuardDutyClient(config);
      client.middlewareStack.add(throttleCounter, THROTTLE_COUNTER);
      client.middlewareStack.add(gateCheck(this.options.gate, 'guardduty'), GATE_CHECK);
      return client;
    });
  }

  ec2(region: string): EC2Client {
    return this.cached('ec2', region, (config) => {
      const client = new EC2Client(config);
      client.middlewareStack.add(throttleCounter, THROTTLE_COUNTER);
      client.middlewareStack.add(gateCheck(this.options.gate, 'ec2'), GATE_CHECK);
      return client;
    });
  }

  sts(region: string): STSClient {
    return this.cached('sts', region, (config) => {
      const client = new STSClient(config);
      client.middlewareStack.add(throttleCounter, THROTTLE_COUNTER);
      client.middlewareStack.add(gateCheck(this.options.gate, 'sts'), GATE_CHECK);
      return client;
    });
  }

  /**
   * S3, for the list objects of IPSets and ThreatIntelSets. A bucket in another region than the
   * client's is followed (S3's redirect names it), since a list's URL need not name its region.
   */
  s3(region: string): S3Client {
    return this.cached('s3', region, (config) => {
      const client = new S3Client({ ...config, followRegionRedirects: true });
      client.middlewareStack.add(throttleCounter, THROTTLE_COUNTER);
      client.middlewareStack.add(gateCheck(this.options.gate, 's3'), GATE_CHECK);
      return client;
    });
  }

  /** Closes the shared sockets; the clients are unusable afterwards. */
  destroy(): void {
    this.cache.clear();
    this.handler.destroy();
  }

  private cached<C extends GuardDutyClient | EC2Client | STSClient | S3Client>(
    service: 'guardduty' | 'ec2' | 'sts' | 's3', region: string, create: (config: { region: string; credentials: CredentialProvider | Credentials; requestHandler: NodeHttpHandler; maxAttempts: number }) => C,
  ): C {
    const key = `${service}/${region}`;
    const existing = this.cache.get(key);
    if (existing) return existing as C;
    const client = create({ region, credentials: this.credentials, requestHandler: this.handler, maxAttempts: this.options.maxAttempts ?? 3 });
    this.cache.set(key, client);
    return client;
  }

  private buildCredentials(mode: AwsCredentialsMode): CredentialProvider | Credentials {
    if (mode.kind !== 'assume-role') return this.sourceCredentials(mode);
    const provider = fromTemporaryCredentials({
      params: { RoleArn: mode.roleArn, RoleSessionName: mode.roleSessionName, DurationSeconds: mode.durationSeconds, ExternalId: mode.externalId },
      masterCredentials: this.sourceCredentials(mode.source),
      clientConfig: this.stsClientConfig(),
    });
    return sharedRefreshing(this.observed(provider), this.options.clock ?? systemClock);
  }

  /**
   * The configuration of every STS client the SDK builds for itself (AssumeRole here; web identity,
   * profile roles and SSO inside the default chain). It must carry our proxy handler, or those
   * clients would bypass the proxy (aws-sdk-js-v3#5794), and the master region, or they would use
   * whichever region the calling client has. Endpoints still come from AWS_ENDPOINT_URL_STS.
   */
  private stsClientConfig(): { region: string; requestHandler: NodeHttpHandler; maxAttempts: number } {
    return { region: this.options.masterRegion, requestHandler: this.handler, maxAttempts: this.options.maxAttempts ?? 3 };
  }

  private sourceCredentials(source: AwsCredentialsSource): CredentialProvider | Credentials {
    if (source.kind === 'default-chain') return fromNodeProviderChain({ clientConfig: this.stsClientConfig() });
    return { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, sessionToken: source.sessionToken };
  }

  /** Reports each AssumeRole (credential refresh) and classifies its failure once, as STS's. */
  private observed(provider: CredentialProvider): CredentialProvider {
    const observer = this.options.observer ?? nullObserver;
    const clock = this.options.clock ?? systemClock;
    return async () => {
      const started = clock.now();
      try {
        const credentials = await provider();
        // fromTemporaryCredentials does not expose the response metadata: 1 attempt is assumed.
        observer.onCall({ service: 'sts', operation: 'AssumeRole', ok: true, status: 200, attempts: 1, throttleRetries: 0, durationMs: clock.now() - started });
        return credentials;
      } catch (err) {
        const classified = classifyAwsError(err, { service: 'sts', operation: 'AssumeRole', region: this.options.masterRegion });
        observer.onCall({
          service: 'sts', operation: 'AssumeRole', ok: false, status: awsErrorStatus(err), code: awsErrorCode(err),
          attempts: awsErrorAttempts(err) ?? 1, throttleRetries: 0, durationMs: clock.now() - started,
        });
        throw classified;
      }
    };
  }
}

/**
 * One set of assumed-role credentials for every client (each SDK client would otherwise assume the
 * role on its own), refreshed when it gets within the SDK's 5-minute window of expiry. Concurrent
 * callers share the in-flight AssumeRole; a failure is not cached.
 */
export function sharedRefreshing(provider: CredentialProvider, clock: Clock): CredentialProvider {
  let cached: Promise<Credentials> | undefined;
  let expiresAt: number | undefined;
  let generation = 0;
  return () => {
    if (cached && (expiresAt === undefined || expiresAt - clock.now() > REFRESH_WINDOW_MS)) return cached;
    const mine = ++generation;
    expiresAt = undefined;
    cached = provider().then(
      (credentials) => {
        if (mine === generation) expiresAt = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        return credentials;
      },
      (err: unknown) => {
        if (mine === generation) cached = undefined;
        throw err;
      },
    );
    return cached;
  };
}

/**
 * A middleware below the SDK's retry loop sees every attempt's error; it counts the throttled ones
 * into the current call's stats (AsyncLocalStorage, so concurrent calls do not mix).
 */
function throttleCounter<A, R>(next: (args: A) => Promise<R>): (args: A) => Promise<R> {
  return async (args) => {
    try {
      return await next(args);
    } catch (err) {
      const stats = callStats.getStore();
      if (stats && isThrottlingError(err)) stats.throttles++;
      throw err;
    }
  };
}

/**
 * Below the SDK's retry loop, so every attempt passes it: once the gate is closed the SDK's own retry
 * of a call given up at shutdown is not sent (the error is not one the SDK retries).
 */
function gateCheck(gate: CallGate | undefined, service: ServiceName) {
  return <A, R>(next: (args: A) => Promise<R>): ((args: A) => Promise<R>) => (args) => {
    gate?.check(service, 'an attempt');
    return next(args);
  };
}

const GATE_CHECK = { step: 'deserialize', name: 'guarddutySoarGateCheck', priority: 'low' } as const;

const THROTTLE_COUNTER = { step: 'deserialize', name: 'guarddutySoarThrottleCounter', priority: 'high' } as const;
