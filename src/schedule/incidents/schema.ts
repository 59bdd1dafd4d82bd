/** The shape of an incident list: one schema per kind (in its own module), told apart by `kind`. Semantics are checked by resolveIncidents. */
import { z } from 'zod';
import { diseaseSchema } from './disease.js';
import { feedShortageSchema } from './feed-shortage.js';
import { harvestOverdueSchema } from './harvest-overdue.js';
import { liceOutbreakSchema } from './lice-outbreak.js';
import { mortalitySpikeSchema } from './mortality-spike.js';
import { oxygenDropSchema, temperatureSpikeSchema } from './sensor-excursion.js';

/** The shape of one incident, in INCIDENT_KINDS order (a wrong kind's message lists them so). */
export const incidentSchema = z.discriminatedUnion('kind', [
  liceOutbreakSchema,
  oxygenDropSchema,
  temperatureSpikeSchema,
  mortalitySpikeSchema,
  diseaseSchema,
  harvestOverdueSchema,
  feedShortageSchema,
]);

export const incidentsSchema = z.array(incidentSchema).max(1000);
