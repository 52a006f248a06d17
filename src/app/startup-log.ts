import type { AppConfig } from '../config/app-config.js';
import { nodeSupportNotice } from '../core/runtime-support.js';
import { describeProxy } from '../util/proxy-routing.js';
import { assumedRoles, type App } from './app.js';

/** Logs the effective configuration (secrets blanked) and anything an operator should know at start. */
export function logStartup(app: App, command: string): void {
  const { config, logger, soarClient } = app;
  logger.info('guardduty-soar starting', { command, config: config.redacted });
  for (const warning of config.warnings) logger.warn(warning);
  if (soarClient.tlsVerificationDisabled) {
    logger.warn('TLS CERTIFICATE VERIFICATION IS DISABLED for SOAR ([resilient] cafile = false): anyone on the network path can read and change what is sent, including the API key. Point cafile at the CA that signed the SOAR certificate instead.');
  }
  const nodeNotice = nodeSupportNotice(process.versions.node);
  if (nodeNotice) logger.info(nodeNotice, { node: process.version });
  logger.info('AWS credentials', describeAwsCredentials(config));
  if (config.aws.httpProxy || config.aws.httpsProxy) {
    logger.info('AWS calls use a proxy', { http: describeProxy(config.aws.httpProxy), https: describeProxy(config.aws.httpsProxy) });
  }
  if (config.soar.proxy) logger.info('SOAR calls use a proxy', { proxy: describeProxy(config.soar.proxy.url) });
}

/** Which credential mode the configuration selects, for the start-up log (never a secret). */
function describeAwsCredentials(config: AppConfig): Record<string, unknown> {
  const { aws } = config;
  const source = aws.accessKeyId ? `static keys (${aws.accessKeyId})` : 'the AWS default credential chain';
  const roles = assumedRoles(aws);
  if (roles.length === 0) return { mode: source };
  return {
    mode: `assume role${roles.length > 1 ? ' per account' : ''}, from ${source}`,
    roles, sessionName: aws.roleSessionName, sessionDurationSeconds: aws.sessionDurationSeconds, externalId: aws.externalId ? 'set' : 'not set',
  };
}
