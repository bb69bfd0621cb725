import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConsentRecordError,
  ConsentStoreError,
  consentVersionMeets,
  pseudonymise,
  type ConsentEventInput,
  type ConsentStore,
} from '../../src/subjects/index.js';

export const CONTRACT_KEY = 'contract-test-key-0123456789abcdef';
export const NOTICE_SHA = 'a'.repeat(64);

export interface StoreFixture {
  store: ConsentStore;
  /** Closes the store and opens the same data again. */
  reopen?: () => Promise<ConsentStore>;
  cleanup?: () => Promise<void>;
}

export function grant(subjectId: string, at: string, extra: Partial<ConsentEventInput> = {}): ConsentEventInput {
  return {
    subjectId,
    scope: 'adult-content',
    version: '1.0.0',
    state: 'given',
    at,
    noticeId: 'notice-adult-v1',
    noticeSha256: NOTICE_SHA,
    collectionMethod: 'web_form',
    ...extra,
  };
}

export function withdraw(subjectId: string, at: string, extra: Partial<ConsentEventInput> = {}): ConsentEventInput {
  return { subjectId, scope: 'adult-content', version: '1.0.0', state: 'withdrawn', at, collectionMethod: 'app', ...extra };
}

/** The behaviour every consent store must have; run against the file store and PostgreSQL. */
export function consentStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`consent store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: ConsentStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await store.close().catch(() => {});
      await fixture.cleanup?.();
    });

    it('knows nothing of an unknown subject or scope', async () => {
      expect(await store.events('nobody')).toEqual([]);
      expect(await store.stateAt('nobody', 'adult-content', new Date())).toEqual({ scope: 'adult-content', state: 'none' });
      await store.append(grant('alice', '2025-01-01T00:00:00.000Z'));
      expect(await store.stateAt('alice', 'no-such-scope', new Date('2025-02-01'))).toEqual({ scope: 'no-such-scope', state: 'none' });
      expect(await store.stateAt('', 'adult-content', new Date())).toEqual({ scope: 'adult-content', state: 'none' });
    });

    it('appends ISO/IEC TS 27560 shaped records under a pseudonym', async () => {
      const record = await store.append(grant('alice@example.com', '2025-01-01T00:00:00.000Z', { expiresAt: '2026-01-01T00:00:00.000Z', jurisdiction: 'gb' }));
      expect(record).toEqual({
        recordId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        subject: pseudonymise('alice@example.com', CONTRACT_KEY),
        scope: 'adult-content',
        version: '1.0.0',
        state: 'given',
        at: '2025-01-01T00:00:00.000Z',
        noticeId: 'notice-adult-v1',
        noticeSha256: NOTICE_SHA,
        collectionMethod: 'web_form',
        expiresAt: '2026-01-01T00:00:00.000Z',
        jurisdiction: 'GB',
      });
      expect(await store.events('alice@example.com')).toEqual([record]);
      expect(JSON.stringify(await store.events('alice@example.com'))).not.toContain('alice');
    });

    it('applies a withdrawal made 1 ms before the decision', async () => {
      await store.append(grant('bob', '2025-01-01T00:00:00.000Z'));
      const w = await store.append(withdraw('bob', '2025-03-01T10:00:00.000Z'));
      expect(await store.stateAt('bob', 'adult-content', new Date('2025-03-01T10:00:00.001Z'))).toMatchObject({ state: 'withdrawn', recordId: w.recordId });
      expect((await store.stateAt('bob', 'adult-content', new Date('2025-03-01T09:59:59.999Z'))).state).toBe('given');
    });

    it('exposes the version so a major bump needs fresh consent', async () => {
      await store.append(grant('carol', '2025-01-01T00:00:00.000Z', { version: '1.3.0' }));
      let status = await store.stateAt('carol', 'adult-content', new Date('2025-02-01'));
      expect(status).toMatchObject({ state: 'given', version: '1.3.0' });
      expect(consentVersionMeets(status.version, '2.0.0')).toBe(false);
      await store.append(grant('carol', '2025-02-02T00:00:00.000Z', { version: '2.0.0', noticeId: 'notice-adult-v2' }));
      status = await store.stateAt('carol', 'adult-content', new Date('2025-02-03'));
      expect(consentVersionMeets(status.version, '2.0.0')).toBe(true);
    });

    it('expires a consent at the end of its validity', async () => {
      await store.append(grant('dan', '2025-01-01T00:00:00.000Z', { expiresAt: '2025-02-01T00:00:00.000Z' }));
      expect((await store.stateAt('dan', 'adult-content', new Date('2025-01-15'))).state).toBe('given');
      expect((await store.stateAt('dan', 'adult-content', new Date('2025-02-01T00:00:00.000Z'))).state).toBe('expired');
    });

    it('returns events by scope, oldest first, whatever the append order', async () => {
      await store.append(grant('erin', '2025-03-01T00:00:00.000Z'));
      await store.append(grant('erin', '2025-01-01T00:00:00.000Z', { scope: 'marketing' }));
      await store.append(withdraw('erin', '2025-02-01T00:00:00.000Z'));
      expect((await store.events('erin')).map((e) => [e.scope, e.state])).toEqual([
        ['marketing', 'given'],
        ['adult-content', 'withdrawn'],
        ['adult-content', 'given'],
      ]);
      expect((await store.events('erin', 'marketing')).map((e) => e.scope)).toEqual(['marketing']);
      expect((await store.stateAt('erin', 'adult-content', new Date('2025-04-01'))).state).toBe('given');
    });

    it('treats an append with a known record id as a retry', async () => {
      const first = await store.append(grant('fay', '2025-01-01T00:00:00.000Z'));
      const again = await store.append(grant('fay', '2025-01-01T00:00:00.000Z', { recordId: first.recordId }));
      expect(again).toEqual(first);
      expect(await store.events('fay')).toHaveLength(1);
      await expect(store.append(grant('mallory', '2025-01-01T00:00:00.000Z', { recordId: first.recordId }))).rejects.toThrow(ConsentRecordError);
    });

    it('refuses invalid events', async () => {
      await expect(store.append(grant('g', '2025-01-01T00:00:00.000Z', { scope: 'Adult Content' }))).rejects.toThrow(ConsentRecordError);
      await expect(store.append(grant('g', '2025-01-01T00:00:00.000Z', { version: '2' }))).rejects.toThrow(ConsentRecordError);
      await expect(store.append(grant('g', '2025-01-01T00:00:00.000Z', { noticeSha256: undefined as unknown as string }))).rejects.toThrow(/notice/);
      await expect(store.append(grant('g', 'yesterday'))).rejects.toThrow(ConsentRecordError);
      await expect(store.append(grant('g', '2025-01-01T00:00:00.000Z', { expiresAt: '2024-01-01T00:00:00.000Z' }))).rejects.toThrow(/after/);
      await expect(store.append(grant('', '2025-01-01T00:00:00.000Z'))).rejects.toThrow(ConsentRecordError);
      await expect(store.append({ ...grant('g', '2025-01-01T00:00:00.000Z'), state: 'maybe' as 'given' })).rejects.toThrow(ConsentRecordError);
      expect(await store.events('g')).toEqual([]);
    });

    it('loses none of many concurrent appends', async () => {
      const inputs = Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0 ? grant(`s${i % 20}`, new Date(Date.UTC(2025, 0, 1, 0, 0, 0, i)).toISOString()) : withdraw(`s${i % 20}`, new Date(Date.UTC(2025, 0, 1, 0, 0, 0, i)).toISOString()),
      );
      const records = await Promise.all(inputs.map((i) => store.append(i)));
      expect(new Set(records.map((r) => r.recordId)).size).toBe(200);
      let total = 0;
      for (let s = 0; s < 20; s++) total += (await store.events(`s${s}`)).length;
      expect(total).toBe(200);
    });

    it('keeps events across close and reopen', async () => {
      if (fixture.reopen == null) return;
      const r = await store.append(grant('hana', '2025-01-01T00:00:00.000Z'));
      await store.close();
      store = await fixture.reopen();
      expect(await store.events('hana')).toEqual([r]);
    });

    it('refuses to work once closed', async () => {
      await store.close();
      await expect(store.append(grant('ivy', '2025-01-01T00:00:00.000Z'))).rejects.toThrow(ConsentStoreError);
      await expect(store.stateAt('ivy', 'adult-content', new Date())).rejects.toThrow(ConsentStoreError);
    });
  });
}
