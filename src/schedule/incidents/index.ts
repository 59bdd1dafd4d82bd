/**
 * Incidents: domain situations a test can name ("a lice outbreak in FI-SEA-01 that needs
 * treatment", "an oxygen drop in ring 7 yesterday"), listed under `incidents:` in a preset or a
 * schedule, or passed to seedFarm({ incidents }). docs/incidents.md describes each kind and the rows
 * it writes. One module per kind here (its shape and what it must satisfy) beside its engine half
 * of the same name in src/engine/incidents/ (the rows it writes); ./resolve.ts places an incident
 * on its batch, day and containers. Types: ../incident-types.ts.
 */
export { incidentSchema, incidentsSchema } from './schema.js';
export { resolveIncidents, withIncidents } from './resolve.js';
export { overdueHarvestBatches } from './harvest-overdue.js';
export { incidentContainers, whereabouts, type Whereabouts } from './whereabouts.js';
export { MORTALITY_SPIKE_DESCRIPTION } from './mortality-spike.js';
