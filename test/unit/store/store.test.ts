import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';
import { applyMigrations, openDatabase, schemaVersion } from '../../../src/store/database.js';
import { LockRepo } from '../../../src/store/lock-repo.js';
import type { AppConfig } from '../../../src/config/app-config.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { retryPendingIfSettingsChanged } from '../../../src/sync/settings-change.js';

const key = { account: '111122223333', region: 'us-east-1', detectorId: 'det1', findingId: 'f1' };
const snapshot = { findingAccount: '111122223333', updatedAt: '2026-01-01T00:00:00.000Z', count: 1, severity: 5, archived: false };

let dir: string;
let now = 1_000;
const clock = (): number => now;

function freshStore(): Store {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-store-'));
  return Store.open(path.join(dir, 'sub', 'state.db'), clock);
}

afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('database', () => {
  it('creates the file and its folder, in WAL mode, at the latest schema version', () => {
    const store = freshStore();
    expect(fs.existsSync(path.join(dir, 'sub', 'state.db'))).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(store.db)).toBe(3);
    store.close();
  });

  it('applies migrations once, in order, and refuses a database from a newer version', () => {
    const store = freshStore();
    const file = store.db.name;
    store.close();
    const db = openDatabase(file);
    expect(applyMigrations(db, [{ version: 99, name: 'later', sql: 'CREATE TABLE t2 (x INTEGER);' }])).toEqual([99]);
    expect(applyMigrations(db, [{ version: 99, name: 'later', sql: 'CREATE TABLE t2 (x INTEGER);' }])).toEqual([]);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer guardduty-soar \(schema version 99/);
  });
});

describe('links', () => {
  it('goes creating → partial → synced and keeps what was applied', () => {
    const store = freshStore();
    store.links.beginCreate(key, snapshot);
    expect(store.links.get(key)).toMatchObject({ state: 'creating', incidentId: null, incidentState: 'open' });
    store.links.attachIncident(key, 42, 'partial', { severity_code: 'Medium' });
    expect(store.links.get(key)).toMatchObject({ state: 'partial', incidentId: 42, applied: { severity_code: 'Medium' } });
    store.links.markSynced(key, { ...snapshot, count: 3 });
    expect(store.links.get(key)).toMatchObject({ state: 'synced', count: 3, applied: { severity_code: 'Medium' } });
    expect(store.links.byIncident(42)?.findingId).toBe('f1');
    store.close();
  });

  it('lists the open links a cycle did not see, for the archive check', () => {
    const store = freshStore();
    for (const id of ['a', 'b', 'c']) {
      const k = { ...key, findingId: id };
      store.links.beginCreate(k, snapshot);
      store.links.attachIncident(k, id.charCodeAt(0), 'partial', {});
      store.links.markSynced(k, snapshot);
    }
    store.links.markSeen([{ ...key, findingId: 'a' }], 7);
    store.links.setIncidentState({ ...key, findingId: 'c' }, 'closed');
    const unseen = store.links.unseenOpen(key.account, key.region, key.detectorId, 7, '', 50).map((l) => l.findingId);
    expect(unseen).toEqual(['b']);
    store.close();
  });

  it('rebuilds a link from SOAR without overwriting one that exists', () => {
    const store = freshStore();
    expect(store.links.isEmpty()).toBe(true);
    store.links.insertAdopted(key, snapshot, 9, 'closed', {});
    store.links.insertAdopted(key, { ...snapshot, count: 99 }, 10, 'open', {});
    expect(store.links.get(key)).toMatchObject({ state: 'adopted', incidentId: 9, incidentState: 'closed', count: 1 });
    expect(store.links.counts()).toEqual([{ state: 'adopted', incidentState: 'closed', archived: false, count: 1 }]);
    store.close();
  });
});

describe('cursors', () => {
  it('only move forward', () => {
    const store = freshStore();
    const dk = { account: key.account, region: key.region, detectorId: key.detectorId };
    expect(store.cursors.get(dk)).toBeUndefined();
    store.cursors.advance(dk, 500);
    store.cursors.advance(dk, 400);
    expect(store.cursors.get(dk)?.cursorMs).toBe(500);
    store.cursors.advance(dk, 600);
    store.cursors.recordError(dk, 'AccessDenied');
    expect(store.cursors.get(dk)).toMatchObject({ cursorMs: 600, lastError: 'AccessDenied' });
    store.cursors.recordSuccess(dk);
    expect(store.cursors.get(dk)).toMatchObject({ lastError: undefined, lastSuccessAt: now });
    store.close();
  });
});

describe('pending operations', () => {
  it('are due when scheduled, keep their schedule on re-enqueue and disappear when completed', () => {
    const store = freshStore();
    store.ops.enqueue('archive', 'k1', { n: 1 });
    store.ops.enqueue('archive', 'k2', {}, now + 10_000);
    expect(store.ops.due('archive').map((o) => o.key)).toEqual(['k1']);
    store.ops.fail('archive', 'k1', 'member account', now + 60_000);
    store.ops.enqueue('archive', 'k1', { n: 2 });
    expect(store.ops.due('archive')).toEqual([]);
    expect(store.ops.get('archive', 'k1')).toMatchObject({ attempts: 1, payload: { n: 2 }, lastError: 'member account' });
    now += 60_000;
    expect(store.ops.due('archive').map((o) => o.key)).toEqual(['k2', 'k1']);
    store.ops.complete('archive', 'k1');
    expect(store.ops.countByKind()).toEqual({ archive: 1 });
    store.close();
  });
});

describe('settings change at start', () => {
  const config = (regions: string): AppConfig => ({ aws: { regions: new RegExp(regions, 'i') } }) as unknown as AppConfig;

  it('ends every backoff when the configuration or a template changed since the last start, and only then', () => {
    const store = freshStore();
    store.ops.enqueue('sync-finding', 'a/f1', {});
    store.ops.fail('sync-finding', 'a/f1', 'close refused', now + 3_600_000);
    expect(retryPendingIfSettingsChanged(store, config('^us-'), 'templates-1', silentLogger())).toBe(0);
    expect(store.ops.waitingKeys('sync-finding')).toEqual(['a/f1']);
    // Same settings: the backoff stands.
    expect(retryPendingIfSettingsChanged(store, config('^us-'), 'templates-1', silentLogger())).toBe(0);
    expect(store.ops.waitingKeys('sync-finding')).toEqual(['a/f1']);
    // A template changed.
    expect(retryPendingIfSettingsChanged(store, config('^us-'), 'templates-2', silentLogger())).toBe(1);
    expect(store.ops.waitingKeys('sync-finding')).toEqual([]);
    expect(store.ops.due('sync-finding').map((o) => o.key)).toEqual(['a/f1']);
    // A regex in the configuration changed (RegExp values are part of the digest).
    store.ops.fail('sync-finding', 'a/f1', 'close refused', now + 3_600_000);
    expect(retryPendingIfSettingsChanged(store, config('^eu-'), 'templates-2', silentLogger())).toBe(1);
    store.close();
  });
});

describe('fingerprints', () => {
  it('remember the latest rows per table and every artifact', () => {
    const store = freshStore();
    store.fingerprints.setRows(5, 'gd_finding_overview', ['a']);
    store.fingerprints.setRows(5, 'gd_finding_overview', ['b']);
    expect(store.fingerprints.rows(5, 'gd_finding_overview')).toEqual(['b']);
    store.fingerprints.addArtifacts(5, [{ type: 'IP Address', value: '1.2.3.4' }, { type: 'IP Address', value: '1.2.3.4' }]);
    expect([...store.fingerprints.artifacts(5)]).toHaveLength(1);
    store.fingerprints.forget(5);
    expect(store.fingerprints.tables(5)).toEqual([]);
    store.close();
  });
});

describe('daemon lock', () => {
  const me = { owner: 'a', pid: 100, host: 'h1' };
  const other = { owner: 'b', pid: 200, host: 'h1' };

  it('refuses a second live daemon and takes over from a dead or stale one', () => {
    const store = freshStore();
    const alive = new Set([100, 200]);
    const lock = new LockRepo(store.db, clock, (pid) => alive.has(pid));
    expect(lock.acquire(me, 90_000)).toEqual({ acquired: true });
    expect(lock.acquire(other, 90_000)).toMatchObject({ acquired: false, holder: { owner: 'a', pid: 100 } });
    alive.delete(100);
    expect(lock.acquire(other, 90_000)).toEqual({ acquired: true });
    const remote = { owner: 'c', pid: 300, host: 'h2' };
    expect(lock.acquire(remote, 90_000).acquired).toBe(false);
    now += 120_000;
    expect(lock.acquire(remote, 90_000).acquired).toBe(true);
    expect(lock.heartbeat(other)).toBe(false);
    lock.release(remote);
    expect(lock.holder()).toBeUndefined();
    store.close();
  });
});
