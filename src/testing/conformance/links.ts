import type { LinkTakeInput } from '../../stores/contract.js';
import { T0 } from './fixtures.js';
import type { ConformanceCase } from './types.js';

const MINUTE = 60_000;
const take = (now: number, limit = 3): LinkTakeInput => ({ now, limit, windowMs: MINUTE });

/** Cases for the per-user link cap (`takeLinkRefresh`): a sliding window shared by every caller. */
export const linkCases: ConformanceCase[] = [
  {
    title: 'takeLinkRefresh allows `limit` takes in a window, then names when the next one is allowed',
    async run({ store, expect }) {
      expect(await store.takeLinkRefresh('subj_links', take(T0))).toBe(null);
      expect(await store.takeLinkRefresh('subj_links', take(T0 + 10))).toBe(null);
      expect(await store.takeLinkRefresh('subj_links', take(T0 + 20))).toBe(null);
      expect(await store.takeLinkRefresh('subj_links', take(T0 + 30))).toBe(T0 + MINUTE);
      // Refused takes are not recorded: they do not push the next allowed time further out.
      expect(await store.takeLinkRefresh('subj_links', take(T0 + 40))).toBe(T0 + MINUTE);
      expect(await store.takeLinkRefresh('subj_other', take(T0 + 40))).toBe(null);
      expect(await store.takeLinkRefresh('subj_links', take(T0 + MINUTE - 1))).toBe(T0 + MINUTE);
      expect(await store.takeLinkRefresh('subj_links', take(T0 + MINUTE))).toBe(null);
      expect(await store.takeLinkRefresh('subj_links', take(T0 + MINUTE + 1))).toBe(T0 + 10 + MINUTE);
    },
  },
  {
    title: 'takeLinkRefresh ignores takes dated after `now` (a clock stepped back never locks a user out)',
    async run({ store, expect }) {
      for (let i = 0; i < 3; i += 1)
        expect(await store.takeLinkRefresh('subj_skew', take(T0 + i))).toBe(null);
      expect(await store.takeLinkRefresh('subj_skew', take(T0 - 5_000))).toBe(null);
    },
  },
  {
    title: 'takeLinkRefresh grants exactly `limit` takes to 200 concurrent callers',
    async run({ store, expect }) {
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, () => store.takeLinkRefresh('subj_burst', take(T0, 10))),
      );
      expect(outcomes.filter((outcome) => outcome === null).length).toBe(10);
      expect(outcomes.every((outcome) => outcome === null || outcome === T0 + MINUTE)).toBe(true);
    },
  },
];
