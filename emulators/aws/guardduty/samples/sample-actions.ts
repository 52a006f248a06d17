import { accessKeyDetails, instanceDetails, remoteIpDetails, type SampleContext } from './sample-finding-parts.js';
import type { JsonObject } from '../../protocol/wire.js';

/** The `service.action` variants and the two most common resources, shared by the templates. */

export interface SampleParts {
  title: string;
  description: string;
  resource: JsonObject;
  action?: JsonObject;
  service?: JsonObject;
}

export interface SampleTemplate {
  type: string;
  severity: number;
  build(ctx: SampleContext): SampleParts;
}

export const awsApiCall = (ctx: SampleContext, api: string, serviceName: string): JsonObject => ({
  actionType: 'AWS_API_CALL',
  awsApiCallAction: {
    api,
    serviceName,
    callerType: 'Remote IP',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
    remoteIpDetails: remoteIpDetails(ctx),
    affectedResources: {},
  },
});

export const network = (ctx: SampleContext, direction: 'INBOUND' | 'OUTBOUND', localPort: number, remotePort: number): JsonObject => ({
  actionType: 'NETWORK_CONNECTION',
  networkConnectionAction: {
    blocked: false,
    connectionDirection: direction,
    protocol: 'TCP',
    localPortDetails: { port: localPort, portName: localPort === 22 ? 'SSH' : 'Unknown' },
    remotePortDetails: { port: remotePort, portName: remotePort === 443 ? 'HTTPS' : 'Unknown' },
    localIpDetails: { ipAddressV4: `10.0.${ctx.prng.int(0, 15)}.${ctx.prng.int(4, 250)}` },
    remoteIpDetails: remoteIpDetails(ctx),
  },
});

export const dns = (domain: string): JsonObject => ({
  actionType: 'DNS_REQUEST',
  dnsRequestAction: { domain, protocol: 'UDP', blocked: false, domainWithSuffix: domain.split('.').slice(-2).join('.') },
});

export const instance = (ctx: SampleContext): JsonObject => ({ resourceType: 'Instance', instanceDetails: instanceDetails(ctx) });
export const accessKey = (ctx: SampleContext, userType?: string): JsonObject => ({ resourceType: 'AccessKey', accessKeyDetails: accessKeyDetails(ctx, userType) });

