/** `toHaveIncident`: the farm's rows show an incident of a kind, optionally of one batch, container or day. */
import { assertIncidentKind, incidentEvidence, INCIDENT_SIGN, matchesQuery, type IncidentEvidence, type IncidentQuery } from '../verify/index.js';
import type { IncidentKind } from '../schedule/incident-types.js';
import { hint, isNot, target } from './outcome.js';
import type { MatcherContext, MatcherOutcome } from './types.js';

export async function toHaveIncident(this: MatcherContext | void, received: unknown, kind: IncidentKind, where: IncidentQuery = {}): Promise<MatcherOutcome> {
  const call = { matcher: 'toHaveIncident', args: Object.keys(where).length > 0 ? [kind, where] : [kind] };
  assertIncidentKind(kind, `${hint(call, false)}`);
  const all = await incidentEvidence(target(received, call), kind);
  const found = all.filter((e) => matchesQuery(e, where));
  const pass = found.length > 0;
  return {
    pass,
    name: call.matcher,
    message: () => {
      const scope = describeQuery(where);
      const body = pass
        ? [`expected no ${kind}${scope}, but the farm shows ${found.length === 1 ? 'one' : found.length}:`, ...sightings(found)]
        : [
            `expected ${article(kind)} ${kind}${scope}: no ${INCIDENT_SIGN[kind]}${scope}`,
            ...(all.length > 0 ? [`the farm's ${kind} sightings elsewhere:`, ...sightings(all)] : [`the farm shows no ${kind} at all`]),
          ];
      return [hint(call, isNot(this)), '', ...body].join('\n');
    },
  };
}

function article(kind: IncidentKind): string {
  return /^[aeiou]/.test(kind) ? 'an' : 'a';
}

/** Up to five sightings, one per line, and how many more. */
function sightings(list: readonly IncidentEvidence[]): string[] {
  const lines = list.slice(0, 5).map((e) => `  batch ${e.batch}${e.container ? ` ${e.container}` : ''} on ${e.day}: ${e.detail}`);
  if (list.length > 5) lines.push(`  … and ${list.length - 5} more`);
  return lines;
}

function describeQuery(where: IncidentQuery): string {
  const parts = [
    where.batch !== undefined ? ` in batch ${where.batch}` : '',
    where.container !== undefined ? ` in ${where.container}` : '',
    where.day !== undefined ? ` on ${where.day}` : '',
    where.treated !== undefined ? (where.treated ? ' (treated)' : ' (untreated)') : '',
  ];
  return parts.join('');
}

