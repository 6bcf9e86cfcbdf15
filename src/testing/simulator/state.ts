/** The simulator's objects, per mode, and the lookups the API needs. */
import { resourceMissing } from './api-error.js';
import type { ReportState, SessionState } from './model.js';

/** All sessions and reports, in creation order. Live and test objects never see each other. */
export class SimulatorState {
  readonly sessions = new Map<string, SessionState>();
  readonly reports = new Map<string, ReportState>();
  private seq = 0;

  /** A fresh creation-order number. */
  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** The session with `id` in this mode, or Stripe's 404. */
  session(id: string, livemode: boolean): SessionState {
    const session = this.sessions.get(id);
    if (!session || session.livemode !== livemode) throw resourceMissing('verification_session', id);
    return session;
  }

  /** The report with `id` in this mode, or Stripe's 404. */
  report(id: string, livemode: boolean): ReportState {
    const report = this.reports.get(id);
    if (!report || report.livemode !== livemode) throw resourceMissing('verification_report', id);
    return report;
  }

  /** Sessions of one mode, newest first (Stripe's list order). */
  sessionsNewestFirst(livemode: boolean): SessionState[] {
    return [...this.sessions.values()].filter((s) => s.livemode === livemode).sort(newestFirst);
  }

  /** Reports of one mode, newest first. */
  reportsNewestFirst(livemode: boolean): ReportState[] {
    return [...this.reports.values()].filter((r) => r.livemode === livemode).sort(newestFirst);
  }

  /** Forgets everything. */
  clear(): void {
    this.sessions.clear();
    this.reports.clear();
  }
}

function newestFirst(a: { createdMs: number; seq: number }, b: { createdMs: number; seq: number }): number {
  return b.createdMs - a.createdMs || b.seq - a.seq;
}
