import { htmlToText } from '../util/html-text.js';
import type { Emulators } from '../../emulators/index.js';
import type { InvocationView } from '../../emulators/soar/index.js';
import type { CycleReport } from '../poller/run-cycle.js';

/** Printing helpers of the demo: what a responder and an operator would look at. */
export class DemoPrinter {
  constructor(private readonly write: (text: string) => void) {}

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  heading(text: string): void {
    this.line();
    this.line(`== ${text}`);
  }

  cycle(report: CycleReport, emulators: Emulators): void {
    const sum = (k: keyof CycleReport['regions'][number]['outcomes']): number => report.regions.reduce((a, r) => a + r.outcomes[k], 0);
    const archived = report.regions.reduce((a, r) => a + r.archivedInGuardDuty, 0);
    this.line(
      `cycle ${report.cycle}: ${report.ok ? 'ok' : 'with failures'} in ${report.durationMs} ms; ` +
        `listed ${report.regions.reduce((a, r) => a + r.listed, 0)} finding(s) in ${report.regions.length} region(s); ` +
        `created ${sum('created')}, updated ${sum('updated')}, reopened ${sum('reopened')}, closed ${sum('closed')}, ` +
        `archived in GuardDuty ${archived}, gone ${sum('gone')}, refreshed ${report.soar.refreshed}, unchanged ${sum('unchanged')}, failed ${sum('failed')}`,
    );
    const aws = emulators.aws.calls().counts;
    const soar = emulators.soar.calls().counts;
    this.line(`  AWS calls:  ${formatCounts(aws)}`);
    this.line(`  SOAR calls: ${formatCounts(soar)}`);
  }

  /** `lastNoteOnly`: the note that just appeared, not the incident's whole history. */
  incident(emulators: Emulators, id: number, title: string, options: { lastNoteOnly?: boolean } = {}): void {
    const incident = emulators.soar.getIncident(id);
    if (!incident) return;
    this.line(`  ${title}: incident ${id} "${incident.name}"`);
    this.line(`    status ${incident.planStatus === 'A' ? 'open' : 'closed'}${incident.resolution ? ` (${incident.resolution})` : ''}, severity ${incident.severity ?? '-'}`);
    const p = incident.properties;
    this.line(`    finding ${String(p.aws_guardduty_finding_type)} in ${String(p.aws_guardduty_region)}; count ${String(p.aws_guardduty_count)}; archived ${String(p.aws_guardduty_archived)}; updated ${String(p.aws_guardduty_finding_updated_at)}`);
    const rows = Object.entries(incident.tables).map(([t, r]) => `${t} ${r.length}`).join(', ');
    this.line(`    data table rows: ${rows || 'none'}`);
    this.line(`    artifacts (${incident.artifacts.length}): ${incident.artifacts.slice(0, 8).map((a) => `${a.type} ${a.value}`).join('; ')}${incident.artifacts.length > 8 ? '; ...' : ''}`);
    for (const note of options.lastNoteOnly ? incident.notes.slice(-1) : incident.notes.slice(1)) this.line(`    note: ${oneLine(note.text)}`);
    if (incident.resolutionSummary) this.line(`    resolution summary: ${oneLine(incident.resolutionSummary)}`);
  }

  /** What crossed STOMP for one invocation: the delivery, the status messages, the final reply, the ACK. */
  invocation(view: InvocationView, results: { success?: unknown; reason?: unknown } | undefined): void {
    const final = view.result as { message_type?: unknown; message?: unknown } | null;
    this.line(`  SOAR -> MESSAGE ${view.function} (correlation-id ${view.invocationId}) on ${view.destination}, delivered ${view.deliveries}x`);
    for (const text of view.messages) this.line(`  app  -> status: ${oneLine(text)}`);
    const outcome = results ? `success ${String(results.success)}${results.reason ? `, reason ${oneLine(typeof results.reason === 'string' ? results.reason : JSON.stringify(results.reason))}` : ''}` : oneLine(String(final?.message));
    this.line(`  app  -> final reply (message_type ${String(final?.message_type)}): ${outcome}; ${view.finalReplies} final repl${view.finalReplies === 1 ? 'y' : 'ies'}`);
    this.line(`  app  -> ${view.acks.map((a) => `${a.command} of delivery ${a.delivery}`).join(', ') || 'no ACK'}`);
  }
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  const total = entries.reduce((a, [, n]) => a + n, 0);
  return entries.length === 0 ? 'none' : `${total} (${entries.map(([k, n]) => `${k} ${n}`).join(', ')})`;
}

function oneLine(text: string): string {
  const plain = htmlToText(text.replace(/<(br|\/li|\/p|\/div)\b[^>]*>|\n/gi, ' | ')).replace(/(\s*\|\s*)+/g, ' | ').replace(/^ \| | \| $/g, '');
  return plain.length > 220 ? `${plain.slice(0, 217)}...` : plain;
}
