import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './daemon-process.js';
import { createTestCa } from './test-ca.js';

/**
 * Apache ActiveMQ Classic, the broker SOAR runs, from Debian's `activemq` package (5.17), started by
 * a test as a child process with a configuration of its own: one `stomp+ssl` connector on
 * 127.0.0.1 (a keystore made from a fresh test CA, which the client verifies), simple
 * authentication, and authorization as SOAR grants it: the members of a message destination may
 * read `actions.<org>.<name>` and write `acks.<org>.<name>`; other keys may not.
 */

/** The message destination SOAR's broker serves, and the org it belongs to (the SOAR emulator's). */
export interface ActiveMqOptions {
  orgId: number;
  destination: string;
  /** Who may log in; `member`: a user of the message destination. */
  users: { login: string; passcode: string; member: boolean }[];
}

export interface ActiveMq {
  port: number;
  /** The CA file to configure as `stomp_cafile`. */
  caFile: string;
  caPem: string;
  /** SOAR's own account on its broker: it sends the invocations and reads the replies. */
  soar: { login: string; passcode: string };
  /** From spawn to the broker saying it started and its port answering. */
  startupMs: number;
  /** What the broker printed (its log), for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

const HOME = process.env.ACTIVEMQ_HOME ?? '/usr/share/activemq';
const JAR = path.join(HOME, 'bin', 'activemq.jar');
const STARTUP_LIMIT_MS = 90_000;
const SOAR = { login: 'soar-broker-admin', passcode: 'soar-broker-secret' };

/** Undefined when ActiveMQ can run here; otherwise what is missing. */
export function activeMqMissing(): string | undefined {
  if (!fs.existsSync(JAR)) return `${JAR} does not exist (Debian: apt-get install activemq)`;
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0) return 'no java on PATH (Debian\'s activemq package depends on one)';
  return undefined;
}

export async function startActiveMq(options: ActiveMqOptions): Promise<ActiveMq> {
  const ca = createTestCa('guardduty-soar ActiveMQ test CA');
  const dir = ca.dir;
  const keystore = path.join(dir, 'broker.p12');
  execOpenssl(['pkcs12', '-export', '-in', path.join(dir, 'server.pem'), '-inkey', path.join(dir, 'server-key.pem'), '-out', keystore, '-name', 'broker', '-passout', 'pass:changeit']);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'activemq.xml'), brokerXml(options, keystore, port, dir));
  // Log4j 1.2 (what Debian's build uses) to stdout, so a test sees when it started and why it did not.
  fs.writeFileSync(path.join(dir, 'log4j.properties'), [
    'log4j.rootLogger=INFO, stdout', 'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout', 'log4j.appender.stdout.layout.ConversionPattern=%5p | %m%n',
    'log4j.logger.org.springframework=WARN', 'log4j.logger.org.apache.xbean=WARN',
  ].join('\n'));
  const started = performance.now();
  // As /usr/bin/activemq starts it, minus the wrapper; C1 only and the serial collector halve the start-up (about 3-4 s instead of 6-7 s on 2 busy cores).
  const child = spawn('java', [
    '-Xms64m', '-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Djava.awt.headless=true',
    `-Dactivemq.home=${HOME}`, `-Dactivemq.base=${dir}`, `-Dactivemq.conf=${dir}`, `-Dactivemq.data=${path.join(dir, 'data')}`,
    `-Dlog4j.configuration=file:${path.join(dir, 'log4j.properties')}`,
    '-jar', JAR, 'start', `xbean:file:${path.join(dir, 'activemq.xml')}`,
  ], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    await kill(child, exited);
    ca.cleanup();
  };
  try {
    await waitStarted(() => output, port, exited);
  } catch (err) {
    await stop();
    throw new Error(`ActiveMQ did not start: ${(err as Error).message}\n${output.slice(-4_000)}`);
  }
  return { port, caFile: ca.caFile, caPem: ca.caPem, soar: SOAR, startupMs: Math.round(performance.now() - started), output: () => output, stop };
}

function brokerXml(o: ActiveMqOptions, keystore: string, port: number, dir: string): string {
  const actions = `actions.${o.orgId}.${o.destination}`;
  const acks = `acks.${o.orgId}.${o.destination}`;
  const users = [
    { ...SOAR, groups: 'soar' },
    ...o.users.map((u) => ({ login: u.login, passcode: u.passcode, groups: u.member ? o.destination : 'others' })),
  ];
  const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  // No JMX, no persistence, no advisories: a throwaway broker that starts fast; the STOMP and
  // authorization behaviour under test is the broker's own.
  return `<beans xmlns="http://www.springframework.org/schema/beans" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="guardduty-soar-test" useJmx="false" persistent="false"
          advisorySupport="false" schedulerSupport="false" useShutdownHook="false" dataDirectory="${xml(path.join(dir, 'data'))}">
    <plugins>
      <simpleAuthenticationPlugin anonymousAccessAllowed="false">
        <users>
${users.map((u) => `          <authenticationUser username="${xml(u.login)}" password="${xml(u.passcode)}" groups="${xml(u.groups)}"/>`).join('\n')}
        </users>
      </simpleAuthenticationPlugin>
      <authorizationPlugin>
        <map>
          <authorizationMap>
            <authorizationEntries>
              <authorizationEntry queue="${xml(actions)}" read="soar,${xml(o.destination)}" write="soar" admin="soar,${xml(o.destination)}"/>
              <authorizationEntry queue="${xml(acks)}" read="soar" write="soar,${xml(o.destination)}" admin="soar,${xml(o.destination)}"/>
            </authorizationEntries>
          </authorizationMap>
        </map>
      </authorizationPlugin>
    </plugins>
    <sslContext>
      <sslContext keyStore="file:${xml(keystore)}" keyStorePassword="changeit" keyStoreType="PKCS12"/>
    </sslContext>
    <transportConnectors>
      <transportConnector name="stomp+ssl" uri="stomp+ssl://127.0.0.1:${port}"/>
    </transportConnectors>
  </broker>
</beans>
`;
}

async function waitStarted(output: () => string, port: number, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = performance.now() + STARTUP_LIMIT_MS;
  while (performance.now() < deadline) {
    if (gone) throw new Error('the java process exited');
    if (/Apache ActiveMQ [\d.]+ \(.*\) started/.test(output()) && (await answers(port))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not started within ${STARTUP_LIMIT_MS / 1000} s`);
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function execOpenssl(args: string[]): void {
  const result = spawnSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`openssl ${args[0] ?? ''} failed: ${result.stderr?.toString() ?? ''}`);
}
