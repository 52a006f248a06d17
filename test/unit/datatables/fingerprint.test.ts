import { describe, expect, it } from 'vitest';
import { newRowsSince, rowFingerprint } from '../../../src/datatables/fingerprint.js';
import type { TableRow } from '../../../src/datatables/map-rows.js';

const overview = (count: string): TableRow => ({ table: 'gd_finding_overview', cells: { severity: '5', count, updated_at: `t${count}` } });
const nic = (ip: string): TableRow => ({ table: 'gd_instance_details', cells: { instance_id: 'i-1', private_ip: ip } });

describe('rowFingerprint', () => {
  it('is stable across key order and ignores query_execution_date', () => {
    const a: TableRow = { table: 't', cells: { a: '1', b: '2' } };
    const b: TableRow = { table: 't', cells: { b: '2', a: '1', query_execution_date: '2025-01-01T00:00:00Z' } };
    expect(rowFingerprint(a)).toBe(rowFingerprint(b));
    expect(rowFingerprint(a)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('changes with the content and with the table', () => {
    const base: TableRow = { table: 't', cells: { a: '1' } };
    expect(rowFingerprint({ table: 't', cells: { a: '2' } })).not.toBe(rowFingerprint(base));
    expect(rowFingerprint({ table: 'u', cells: { a: '1' } })).not.toBe(rowFingerprint(base));
    expect(rowFingerprint({ table: 't', cells: { a: '1', b: '' } })).not.toBe(rowFingerprint(base));
    // Cell boundaries matter: {a:"1", b:"2"} is not {a:"1b", ...}.
    expect(rowFingerprint({ table: 't', cells: { a: '1", "b', c: '2' } })).not.toBe(rowFingerprint({ table: 't', cells: { a: '1', b: '2' } }));
  });
});

describe('newRowsSince', () => {
  it('single-row table: nothing when unchanged, the row when changed, and again when it changes back', () => {
    expect(newRowsSince([rowFingerprint(overview('3'))], [overview('3')])).toEqual([]);
    expect(newRowsSince([rowFingerprint(overview('3'))], [overview('4')])).toEqual([overview('4')]);
    expect(newRowsSince([rowFingerprint(overview('4'))], [overview('3')])).toEqual([overview('3')]);
  });

  it('first write: every row', () => {
    expect(newRowsSince([], [nic('10.0.0.1'), nic('10.0.0.2')])).toEqual([nic('10.0.0.1'), nic('10.0.0.2')]);
  });

  it('multi-row table: only the rows not among the last written set, identical rows once', () => {
    const previous = [nic('10.0.0.1'), nic('10.0.0.2')].map(rowFingerprint);
    expect(newRowsSince(previous, [nic('10.0.0.2'), nic('10.0.0.1')])).toEqual([]);
    expect(newRowsSince(previous, [nic('10.0.0.1'), nic('10.0.0.3'), nic('10.0.0.3')])).toEqual([nic('10.0.0.3')]);
  });
});
