import type { SequenceResult } from '../../emulators/aws/index.js';
import type { Emulators } from '../../emulators/index.js';
import type { DemoPrinter } from './demo-story.js';

/**
 * The demo's attack sequence (issue 20): the case a responder opens, its story note, its tables, and
 * the incidents of the findings it is made of, each pointing back at it.
 */
export function printSequenceCase(out: DemoPrinter, emulators: Emulators, attack: SequenceResult, incidentOf: (findingId: string) => number): void {
  const id = incidentOf(attack.sequence.id);
  const incident = emulators.soar.getIncident(id);
  if (!incident) return;
  out.heading('An attack sequence: one case that tells the story, linked to the incidents of the findings it is made of');
  out.line(`  incident ${id} "${incident.name}", severity ${incident.severity ?? '-'}`);
  out.line('  its first note (the story; the whole finding follows as JSON in a collapsed block):');
  const story = (incident.notes[0]?.text ?? '').split('\n');
  const end = story.findIndex((line) => line.startsWith('The whole finding as GuardDuty sent it'));
  for (const line of story.slice(0, end < 0 ? 16 : end)) out.line(`    ${line.length > 160 ? `${line.slice(0, 157)}...` : line}`);
  const tables = Object.entries(incident.tables).filter(([t]) => t.startsWith('gd_sequence_')).map(([t, r]) => `${t} ${r.length}`);
  out.line(`  sequence tables: ${tables.join(', ')}`);
  for (const member of attack.members) {
    const memberIncident = emulators.soar.getIncident(incidentOf(member.id));
    if (!memberIncident) continue;
    const link = memberIncident.notes.slice(1).find((n) => n.text.startsWith('Part of an attack sequence'));
    out.line(`  member ${member.type}: incident ${memberIncident.id}, aws_guardduty_sequence_incident = ${String(memberIncident.properties.aws_guardduty_sequence_incident)}`);
    if (link) out.line(`    note: ${link.text.slice(0, 150)}...`);
  }
}
